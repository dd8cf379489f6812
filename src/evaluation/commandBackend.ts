/**
 * The user's training command as the evaluation (`prednas search --evaluate "CMD"`). For each
 * attempt prednas runs CMD through the shell, in the directory it was started in, with:
 * - on standard input, one JSON line: {"key": ..., "arch": <the architecture's JSON form>,
 *   "seed": ..., "runDir": ...};
 * - in the environment, PREDNAS_ARCH_KEY and PREDNAS_ARCH_JSON (the same key and architecture),
 *   and PREDNAS_SEED, PREDNAS_ATTEMPT, PREDNAS_RUN_DIR.
 * The result is the last non-blank line of its standard output: a JSON object with a finite
 * numeric "value" (higher is better) and any other metrics. Everything it prints goes to its log
 * files, DIR/logs/<attempt>.out and .err. A non-zero exit, a signal, a last line that is not such
 * an object is a failure, recorded with the exit status or signal and the tail of its error
 * output (failures.ts says which are retried). `timeoutMs` stops an attempt that runs longer.
 *
 * Each attempt runs in a process group of its own, recorded in DIR/running/<attempt>.json (its id,
 * its leader's start time) while it runs: a timeout or an interruption stops the whole group, the
 * command's children and grandchildren included (SIGTERM, then SIGKILL after `graceMs`); what the
 * command leaves behind when it exits is stopped too; and a controller that starts after one that
 * died finds the groups it left running and stops them (`stopLeftRunning`).
 *
 * Why node:child_process rather than execa: what this needs is a detached process group, output
 * written straight to files (so that a controller killed with SIGKILL leaves no pipe whose closing
 * would kill or block the evaluation), and signals sent to the group, all of which are spawn's own
 * options; execa's conveniences (promises, pipes, output capture) would all be turned off.
 */
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { writeFileAtomic } from "../util/files.js";
import { isRecordedGroupAlive, processStartTime, stopGroup } from "../util/processes.js";
import type { AttemptReport, AttemptResult, EvaluationBackend, EvaluationJob } from "./backend.js";
import { looksTransient, parseResult, tail, type Failure } from "./failures.js";

/** Between SIGTERM and SIGKILL when an attempt is stopped, unless told otherwise. */
export const DEFAULT_KILL_GRACE_SECONDS = 5;

export interface CommandBackendOptions {
  readonly command: string;
  /** The run directory: passed to the command. */
  readonly runDir: string;
  /** Where the attempts' output goes, and where running attempts are recorded. */
  readonly logDir: string;
  readonly runningDir: string;
  readonly timeoutMs?: number;
  /** Between SIGTERM and SIGKILL. */
  readonly graceMs: number;
}

/** What DIR/running/<attempt>.json says of a running attempt. */
interface RunningAttempt {
  readonly pgid: number;
  readonly started?: string;
  readonly host: string;
  readonly key: string;
  readonly attempt: number;
  readonly controller: number;
  readonly since: string;
}

/** The last `bytes` bytes of a file, as text. */
function readTail(path: string, bytes = 65_536): string {
  if (!existsSync(path)) return "";
  const size = statSync(path).size;
  const length = Math.min(size, bytes);
  const buffer = Buffer.alloc(length);
  const fd = openSync(path, "r");
  try {
    readSync(fd, buffer, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  return buffer.toString("utf8");
}

function lastLine(text: string): string | undefined {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .at(-1);
}

export function commandBackend<A>(options: CommandBackendOptions): EvaluationBackend<A, Record<string, unknown>> {
  mkdirSync(options.logDir, { recursive: true });
  mkdirSync(options.runningDir, { recursive: true });
  /** Attempts in progress: how to stop each. */
  const running = new Map<string, () => Promise<void>>();

  const run = async (job: EvaluationJob<A>): Promise<AttemptReport<Record<string, unknown>>> => {
    const startedAt = new Date().toISOString();
    const logs = [join("logs", `${job.id}.out`), join("logs", `${job.id}.err`)];
    const outPath = join(options.logDir, `${job.id}.out`);
    const errPath = join(options.logDir, `${job.id}.err`);
    const out = openSync(outPath, "w");
    const err = openSync(errPath, "w");
    const archJson = JSON.stringify(job.description);
    const child = spawn(options.command, {
      shell: true,
      detached: true,
      stdio: ["pipe", out, err],
      env: {
        ...process.env,
        PREDNAS_ARCH_KEY: job.key,
        PREDNAS_ARCH_JSON: archJson,
        PREDNAS_SEED: String(job.seed),
        PREDNAS_ATTEMPT: String(job.attempt),
        PREDNAS_RUN_DIR: options.runDir,
      },
    });
    // The child holds its own copies of the log files.
    closeSync(out);
    closeSync(err);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
      child.once("exit", (code, signal) => resolve({ code, signal }));
      child.once("error", (error) => resolve({ code: null, signal: null, error }));
    });
    const pgid = child.pid;
    const runningFile = join(options.runningDir, `${job.id}.json`);
    let stopping: "timeout" | "interrupted" | undefined;
    let timer: NodeJS.Timeout | undefined;
    if (pgid !== undefined) {
      const started = processStartTime(pgid);
      const record: RunningAttempt = { pgid, ...(started === undefined ? {} : { started }), host: hostname(), key: job.key, attempt: job.attempt, controller: process.pid, since: startedAt };
      writeFileAtomic(runningFile, `${JSON.stringify(record)}\n`);
      const stop = (why: "timeout" | "interrupted") => {
        stopping ??= why;
        return stopGroup(pgid, options.graceMs);
      };
      running.set(job.id, () => stop("interrupted"));
      if (options.timeoutMs !== undefined) timer = setTimeout(() => void stop("timeout"), options.timeoutMs);
      // A command that does not read its input closes it: that is no failure.
      child.stdin!.on("error", () => {});
      child.stdin!.end(`${JSON.stringify({ key: job.key, arch: job.description, seed: job.seed, runDir: options.runDir })}\n`);
    }
    const { code, signal, error } = await exited;
    clearTimeout(timer);
    // Whatever the command left running in its group (a background job) ends with it.
    if (pgid !== undefined) await stopGroup(pgid, options.graceMs);
    running.delete(job.id);
    rmSync(runningFile, { force: true });
    const stdout = readTail(outPath);
    const stderrTail = tail(readTail(errPath));
    const result = ((): AttemptResult<Record<string, unknown>> => {
      const failed = (failure: Omit<Failure, "stderrTail">): AttemptResult<Record<string, unknown>> => ({ ok: false, failure: { ...failure, ...(stderrTail === "" ? {} : { stderrTail }) } });
      if (error !== undefined) return failed({ kind: "error", message: `cannot run the command: ${error.message}`, transient: false });
      if (stopping === "interrupted") return failed({ kind: "interrupted", message: "stopped: the run was interrupted", transient: false });
      if (stopping === "timeout") return failed({ kind: "timeout", message: `timed out after ${options.timeoutMs! / 1000} s: its process group was stopped`, ...(signal === null ? {} : { signal }), transient: true });
      if (signal !== null) return failed({ kind: "signal", message: `killed by ${signal}`, signal, transient: true });
      if (code !== 0) {
        const message = `exited with status ${code}`;
        return failed({ kind: "exit", message, exitCode: code!, transient: looksTransient("exit", `${stderrTail}\n${tail(stdout)}`, code!) });
      }
      const line = lastLine(stdout);
      if (line === undefined) return failed({ kind: "no-result", message: "printed nothing on standard output (the last line must be a JSON object with a \"value\")", transient: false });
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        return failed({ kind: "no-result", message: `the last line of standard output is not JSON: ${JSON.stringify(line.slice(0, 200))}`, transient: false });
      }
      const value = parseResult(parsed, "the last line of standard output");
      return value.ok ? value : failed({ kind: value.kind, message: value.message, transient: false });
    })();
    return { result, startedAt, endedAt: new Date().toISOString(), host: hostname(), pid: pgid ?? 0, logs };
  };

  return {
    run,
    async interrupt() {
      await Promise.all([...running.values()].map((stop) => stop()));
    },
  };
}

/**
 * Stops the attempts a dead controller left running (recorded in `runningDir`), when their process
 * group still runs and is still theirs; returns what it found. Attempts recorded on another host
 * cannot be stopped from here: they are returned as `elsewhere` and left recorded.
 */
export async function stopLeftRunning(runningDir: string, graceMs: number): Promise<{ stopped: string[]; gone: number; elsewhere: string[] }> {
  const found = { stopped: [] as string[], gone: 0, elsewhere: [] as string[] };
  if (!existsSync(runningDir)) return found;
  for (const name of readdirSync(runningDir).filter((file) => file.endsWith(".json"))) {
    const path = join(runningDir, name);
    let attempt: RunningAttempt;
    try {
      attempt = JSON.parse(readFileSync(path, "utf8")) as RunningAttempt;
    } catch {
      // Torn by a kill while it was written: the attempt had not started.
      rmSync(path, { force: true });
      continue;
    }
    const what = `${attempt.key} (attempt ${attempt.attempt}, process group ${attempt.pgid}, started by controller ${attempt.controller} at ${attempt.since})`;
    if (attempt.host !== hostname()) {
      found.elsewhere.push(`${what} on ${attempt.host}`);
      continue;
    }
    if (isRecordedGroupAlive(attempt)) {
      await stopGroup(attempt.pgid, graceMs);
      found.stopped.push(what);
    } else {
      found.gone++;
    }
    rmSync(path, { force: true });
  }
  return found;
}
