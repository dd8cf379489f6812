/**
 * The controller's side of `--queue URL`: an evaluation backend that enqueues each attempt as a
 * BullMQ job for `prednas worker` processes on other machines (queue/worker.ts) and reports its
 * result when one of them has run it, so that the scheduler, the journal and the methods are
 * those of a run on one machine.
 *
 * - Idempotence is BullMQ's: the job id is the architecture's and the attempt's (protocol.ts), and
 *   adding a job whose id exists adds nothing. A resumed controller enqueues what it launches
 *   again and so re-attaches to the job already waiting, running or finished, and collects a
 *   result that came in while it was down; finished attempts come from the journal and are
 *   never enqueued at all. Finished jobs are kept in Redis until the run ends (`finish`
 *   obliterates the run's queue), so that a second controller of the same run finds them.
 * - Waiting is Job.waitUntilFinished on QueueEvents, with a time limit, around a small loop
 *   written here: after each wait the job's state is read again, and a job Redis no longer has
 *   (restarted without its data) is enqueued again. BullMQ's wait alone would wait forever for
 *   a job that no longer exists; Redis is transport, the journal is the record.
 * - A job that BullMQ gave up (its workers died more often than the workers allow, or its
 *   data was refused) is a failed attempt, not a fault of the run.
 * - A job whose worker died (its lock expired: BullMQ's "stalled") is said when a live worker's
 *   check finds it, and again when another worker takes it, with the architecture and both
 *   workers, so that a user watching the controller sees the loss and the recovery.
 * - An interruption does not touch the workers: the attempts in flight are reported as
 *   interrupted (they run again on resume, that is, their jobs are collected then).
 */
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { Job, Queue, QueueEvents } from "bullmq";
import { connect, type Connections, type QueueLocation } from "./connection.js";
import { isQueueName, jobId, QUEUE_NAME_RULE, queueName, reportFromReturn, RUNS_KEY, type JobData, type RunEntry } from "./protocol.js";
import { InputError } from "../util/errors.js";
import type { AttemptReport, EvaluationBackend, EvaluationJob } from "../evaluation/backend.js";
import type { Failure } from "../evaluation/failures.js";

/** The file of a run directory that names its queue. */
export const QUEUE_FILE = "queue.json";
/** How often a wait looks at its job again (a lost job, a missed event). */
const RECHECK_MS = 2000;
/** Retries of a job whose processing threw on a worker (not its evaluation: the worker itself). */
const JOB_ATTEMPTS = 3;

/** The queue of the run in `runDir`: named in DIR/queue.json, created with a random scope on first use. */
export function runQueueName(runDir: string): string {
  const path = join(runDir, QUEUE_FILE);
  try {
    writeFileSync(path, `${JSON.stringify({ queue: queueName(randomBytes(8).toString("hex")) })}\n`, { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  let name: unknown;
  try {
    name = (JSON.parse(readFileSync(path, "utf8")) as { queue?: unknown }).queue;
  } catch {
    // Not JSON, or JSON that is not an object: the check below refuses it.
  }
  if (!isQueueName(name)) throw new InputError(`${path} does not name a queue (${QUEUE_NAME_RULE}); delete it to give the run a new one (jobs already queued are then not found again)`);
  return name;
}

export interface QueueBackend extends EvaluationBackend<unknown, Record<string, unknown>> {
  /** The queue's name (per run directory). */
  readonly name: string;
  /** What evaluates, for the record: the queue without its password. */
  readonly description: string;
  /** The run is over: its queue and registration are removed from Redis. */
  finish(): Promise<void>;
  /** Closes the connections (the jobs stay for a resumed controller). */
  close(): Promise<void>;
}

export interface QueueBackendOptions {
  readonly location: QueueLocation;
  readonly runDir: string;
  /** Hears about Redis's state and lost jobs. */
  readonly onStatus: (message: string) => void;
  /** Gives up waiting for Redis at the start. */
  readonly signal?: AbortSignal;
}

/** A report for a job that never produced one. */
function failedReport(failure: Failure, job: Job | undefined): AttemptReport<Record<string, unknown>> {
  const at = (ms: number | undefined) => new Date(ms ?? Date.now()).toISOString();
  return { result: { ok: false, failure }, startedAt: at(job?.processedOn ?? job?.timestamp), endedAt: at(job?.finishedOn), host: job?.processedBy ?? "queue", pid: 0 };
}

function gaveUp(job: Job): Failure {
  const reason = job.failedReason ?? "no reason given";
  const stalled = /stalled/i.test(reason);
  return {
    kind: "error",
    message: stalled
      ? `the workers that took it stopped without finishing it (killed, or cut off from Redis) more often than they allow: ${reason}`
      : `a worker could not run it: ${reason}`,
    transient: false,
  };
}

export async function openQueueBackend(options: QueueBackendOptions): Promise<QueueBackend> {
  const { location, onStatus } = options;
  const name = runQueueName(options.runDir);
  const connections: Connections = connect(location, onStatus);
  let queue: Queue | undefined;
  let events: QueueEvents | undefined;
  const closeAll = async () => {
    await events?.close();
    await queue?.close();
    await connections.close();
  };
  const registry = connections.client();
  const entry: RunEntry = { runDir: options.runDir, host: hostname(), pid: process.pid, since: new Date().toISOString() };
  // Registered again whenever a job was lost: a Redis that lost the jobs lost this too.
  const register = () => registry.hset(RUNS_KEY, name, JSON.stringify(entry));
  try {
    await connections.ready(options.signal);
    queue = new Queue(name, { connection: connections.client() });
    events = new QueueEvents(name, { connection: connections.client() });
    connections.watch(queue, `queue ${name}`);
    connections.watch(events, `queue ${name}`);
    await events.waitUntilReady();
    await register();
  } catch (error) {
    // A refused password, or an interruption while Redis is down: clients left retrying would keep the program alive.
    await closeAll();
    throw error;
  }

  const jobs = new Map<string, EvaluationJob<unknown>>();
  /** The worker each job was last taken by (read when it was taken: by the time it is found lost, another may have it). */
  const takenBy = new Map<string, Promise<string>>();
  /** Jobs found stalled and not yet taken again: the worker that lost each. */
  const lost = new Map<string, Promise<string>>();
  const describeJob = (id: string) => {
    const job = jobs.get(id);
    return job === undefined ? `job ${id}` : `job ${id} (${job.key}, attempt ${job.attempt})`;
  };
  const workerOf = async (id: string) => (await Job.fromId(queue, id).catch(() => undefined))?.processedBy ?? "unknown";
  events.on("stalled", ({ jobId: id }) => {
    const worker = takenBy.get(id) ?? Promise.resolve("unknown");
    lost.set(id, worker);
    void worker.then((name) => onStatus(`${describeJob(id)} was lost: worker ${name} stopped renewing its lock (killed, or cut off from Redis); it goes back to the queue for another worker`));
  });
  events.on("active", ({ jobId: id }) => {
    if (!jobs.has(id)) return;
    const now = workerOf(id);
    takenBy.set(id, now);
    const before = lost.get(id);
    if (before === undefined) return;
    lost.delete(id);
    void Promise.all([before, now]).then(([was, is]) => onStatus(`${describeJob(id)}, lost on worker ${was}, is running again on worker ${is}`));
  });

  const stops = new Set<() => void>();
  const add = (data: JobData, id: string) =>
    queue.add("evaluate", data, { jobId: id, attempts: JOB_ATTEMPTS, backoff: { type: "fixed", delay: 1000 }, removeOnComplete: false, removeOnFail: false });

  const waitFor = async (job: EvaluationJob<unknown>, stopped: Promise<"interrupted">): Promise<AttemptReport<Record<string, unknown>>> => {
    const id = jobId(job.key, job.attempt);
    const data: JobData = { run: name, key: job.key, arch: job.description, seed: job.seed, attempt: job.attempt, id: job.id, ...(job.settings === undefined ? {} : { settings: job.settings }) };
    jobs.set(id, job);
    await add(data, id);
    while (true) {
      const current = await Job.fromId(queue, id);
      if (current === undefined) {
        onStatus(`job ${id} (${job.key}, attempt ${job.attempt}) is no longer in Redis (restarted without its data?): enqueued again`);
        await register();
        await add(data, id);
        continue;
      }
      const outcome = await Promise.race([
        current.waitUntilFinished(events, RECHECK_MS).then(
          (value: unknown) => ({ value }),
          () => undefined,
        ),
        stopped,
      ]);
      if (outcome === "interrupted") return failedReport({ kind: "interrupted", message: "interrupted: the job stays queued and is collected on resume", transient: false }, undefined);
      if (outcome !== undefined) {
        try {
          return reportFromReturn(outcome.value);
        } catch (error) {
          return failedReport({ kind: "error", message: `the worker's answer is unusable: ${(error as Error).message}`, transient: false }, current);
        }
      }
      const state = await queue.getJobState(id);
      if (state === "failed") {
        const failed = await Job.fromId(queue, id);
        if (failed !== undefined) return failedReport(gaveUp(failed), failed);
      }
    }
  };

  return {
    name,
    description: `workers on ${location.display} (queue ${name})`,
    async run(job) {
      let stop!: () => void;
      const stopped = new Promise<"interrupted">((resolve) => (stop = () => resolve("interrupted")));
      stops.add(stop);
      try {
        return await waitFor(job, stopped);
      } finally {
        stops.delete(stop);
        const id = jobId(job.key, job.attempt);
        for (const map of [jobs, takenBy, lost]) map.delete(id);
      }
    },
    async interrupt() {
      for (const stop of stops) stop();
    },
    async finish() {
      await queue.obliterate({ force: true });
      await registry.hdel(RUNS_KEY, name);
    },
    close: closeAll,
  };
}
