/**
 * What controllers and workers agree on in Redis: the names, what a job holds and what a worker
 * returns, each checked by whoever reads it (a queue anyone with the password can write to is
 * not trusted input).
 *
 * - One BullMQ queue per run directory, `prednas-run-<scope>`, the scope a random id the run
 *   directory keeps (DIR/queue.json): runs never share jobs, and a resumed controller, on any
 *   machine, finds its run's jobs again.
 * - A job's id is its architecture's and attempt's (`<sha256 of the key>-a<attempt>`): BullMQ
 *   adds a job whose id exists as a no-op, so an evaluation enqueued twice (a resumed
 *   controller, two controllers by mistake) is one job and runs once.
 * - A job holds the architecture and its identity only, never a command: the worker runs its own.
 * - The runs are registered in one hash, RUNS_KEY, so that workers find the queues to serve and
 *   `prednas queue status` lists them; workers announce themselves in WORKER_PREFIX keys that
 *   expire when they stop refreshing them.
 */
import { createHash } from "node:crypto";
import type { AttemptReport, EvaluationJob } from "../evaluation/backend.js";
import type { Failure, FailureKind } from "../evaluation/failures.js";
import { parseAttemptSettings, type AttemptSettings } from "../evaluation/settings.js";

export const RUNS_KEY = "prednas:runs";
export const WORKER_PREFIX = "prednas:worker:";
export const QUEUE_PREFIX = "prednas-run-";
/** A worker's announcement lives this long unless refreshed (it refreshes every third of it). */
export const WORKER_TTL_SECONDS = 15;

/**
 * The one rule for a run's queue name, for whoever makes one (the controller) or reads one (a run
 * directory's queue.json, the runs registered in Redis): the prefix and a plain scope. A worker
 * makes it a directory (`--work-dir`/runs/<name>) and a BullMQ queue, whose keys are joined with
 * ':' and whose names may not hold one: nothing but letters, digits, '_' and '-'.
 */
const QUEUE_NAME = new RegExp(`^${QUEUE_PREFIX}[A-Za-z0-9_-]{1,64}$`);

export const isQueueName = (name: unknown): name is string => typeof name === "string" && QUEUE_NAME.test(name);

/** What a queue name must be, for refusals. */
export const QUEUE_NAME_RULE = `${QUEUE_PREFIX} and up to 64 letters, digits, '_' or '-'`;

export function queueName(scope: string): string {
  const name = `${QUEUE_PREFIX}${scope}`;
  if (!isQueueName(name)) throw new Error(`${JSON.stringify(name)} is not a queue name: ${QUEUE_NAME_RULE}`);
  return name;
}

export function jobId(key: string, attempt: number): string {
  return `${createHash("sha256").update(key).digest("hex").slice(0, 32)}-a${attempt}`;
}

/** What the controller registers of its run (RUNS_KEY, field: the queue's name). */
export interface RunEntry {
  readonly runDir: string;
  readonly host: string;
  readonly pid: number;
  readonly since: string;
}

/** What a worker announces (WORKER_PREFIX + its id). */
export interface WorkerEntry {
  readonly host: string;
  readonly pid: number;
  readonly concurrency: number;
  readonly running: number;
  readonly finished: number;
  readonly since: string;
  readonly queues: readonly string[];
}

export interface JobData {
  readonly run: string;
  readonly key: string;
  readonly arch: unknown;
  readonly seed: number;
  readonly attempt: number;
  readonly id: string;
  /** The run's attempt settings (evaluation/settings.ts), checked by the worker as everything else. */
  readonly settings?: AttemptSettings;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** The job a worker runs from a job's data; throws with what is wrong. */
export function jobFromData(data: unknown): EvaluationJob<unknown> {
  if (!isObject(data)) throw new Error("the job's data is not an object");
  const { key, arch, seed, attempt, id } = data;
  if (typeof key !== "string" || key === "") throw new Error("the job has no architecture key");
  // The key goes to the command's environment, where a NUL cannot be (nor a line break in a log line).
  if (/\p{Cc}/u.test(key)) throw new Error("the job's architecture key holds a control character");
  if (arch === undefined) throw new Error("the job has no architecture");
  if (typeof seed !== "number" || !Number.isInteger(seed)) throw new Error("the job's seed is not an integer");
  if (typeof attempt !== "number" || !Number.isInteger(attempt) || attempt < 1) throw new Error("the job's attempt is not a positive integer");
  // The id names the attempt's log files: nothing that could leave the worker's directory.
  if (typeof id !== "string" || !/^[\w.-]{1,100}$/.test(id)) throw new Error("the job's id is not a plain file name");
  return { arch, key, description: arch, seed, attempt, id, settings: parseAttemptSettings(data.settings) };
}

const FAILURE_KINDS: readonly FailureKind[] = ["exit", "signal", "timeout", "no-result", "bad-value", "error", "interrupted"];

/** A worker's return value as an attempt's report; throws with what is wrong. */
export function reportFromReturn(value: unknown): AttemptReport<Record<string, unknown>> {
  if (!isObject(value) || !isObject(value.result)) throw new Error("the worker returned no report");
  const { result, startedAt, endedAt, host, pid, logs } = value;
  if (typeof startedAt !== "string" || typeof endedAt !== "string" || typeof host !== "string" || typeof pid !== "number") throw new Error("the worker's report has no times, host or process");
  const common = { startedAt, endedAt, host, pid, ...(Array.isArray(logs) && logs.every((l) => typeof l === "string") ? { logs: logs as string[] } : {}) };
  if (result.ok === true) {
    if (typeof result.value !== "number" || !Number.isFinite(result.value)) throw new Error("the worker's result has no finite value");
    return { ...common, result: { ok: true, value: result.value, metrics: isObject(result.metrics) ? result.metrics : {} } };
  }
  const failure = result.failure;
  if (!isObject(failure) || typeof failure.message !== "string" || !FAILURE_KINDS.includes(failure.kind as FailureKind)) throw new Error("the worker's failure has no kind or message");
  return { ...common, result: { ok: false, failure: failure as unknown as Failure } };
}
