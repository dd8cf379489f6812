/**
 * The user's training command as the evaluation (`prednas search --evaluate "CMD"`). For each
 * attempt prednas runs CMD through the shell, in the directory it was started in, with:
 * - on standard input, one JSON line: {"key": ..., "arch": <the architecture's JSON form>,
 *   "seed": ..., "runDir": ...}, then end of input (a command that waits for more does not hang);
 * - in the environment, prednas's own without its secrets (childEnvironment.ts), PREDNAS_ARCH_KEY
 *   and PREDNAS_ARCH_JSON (the same key and architecture, left out when over 64 KiB), and
 *   PREDNAS_SEED, PREDNAS_ATTEMPT, PREDNAS_RUN_DIR, PREDNAS_ATTEMPT_TOKEN.
 * The result is the last non-blank line of its standard output (at most 16 MiB: util/lines.ts): a
 * JSON object with a finite numeric "value" (higher is better) and any other metrics. Everything
 * it prints goes to its log files, DIR/logs/<attempt>.out and .err. A non-zero exit, a signal, a
 * last line that is not such an object is a failure, recorded with the exit status or signal and
 * the tail of its error output (failures.ts says which are retried). `timeoutMs` (any length)
 * stops an attempt that runs longer.
 *
 * Each attempt runs in a process group of its own with a token in its environment, both recorded
 * in DIR/running/<attempt>.json (with the group leader's start time) while it runs: a timeout or
 * an interruption stops everything the attempt started (util/processes.ts: its group, children
 * and grandchildren, and the processes that left the group but carry the token), SIGTERM, then
 * SIGKILL after `graceMs`; what the command leaves behind when it exits is stopped too; and a
 * controller that starts after one that died finds what it left running and stops it
 * (`stopLeftRunning`).
 *
 * A file system that refuses the attempt's files (a full disk, a read-only mount) is a fault of
 * the run, not of the evaluation: `run` rejects with an InputError naming the file, after stopping
 * what it started.
 *
 * Why node:child_process rather than execa: what this needs is a detached process group, output
 * written straight to files (so that a controller killed with SIGKILL leaves no pipe whose closing
 * would kill or block the evaluation), and signals sent to the group, all of which are spawn's own
 * options; execa's conveniences (promises, pipes, output capture) would all be turned off.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync } from "node:fs";
import { hostname } from "node:os";
import { dirname, join } from "node:path";
import { fileSystemError, writeFileAtomic } from "../util/files.js";
import { MAX_JSON_DEPTH, tooDeepAt } from "../util/jsonDocument.js";
import { formatBytes, MAX_LINE_BYTES, readLastLine } from "../util/lines.js";
import { isRecordedGroupAlive, isToken, newToken, processesWithToken, processStartTime, stopStarted, TOKEN_VARIABLE, type Started } from "../util/processes.js";
import { setLongTimeout } from "../util/timers.js";
import type { AttemptReport, AttemptResult, EvaluationBackend, EvaluationJob } from "./backend.js";
import { childEnvironment } from "./childEnvironment.js";
import { environmentOf } from "./settings.js";
import { looksTransient, parseResult, tail, type Failure } from "./failures.js";

/** Between SIGTERM and SIGKILL when an attempt is stopped, unless told otherwise. */

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
  /** The token in the attempt's environment (util/processes.ts). */
  readonly token?: string;
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

type Exit = { code: number | null; signal: NodeJS.Signals | null; error?: Error };

/** Starts the command with its output going to the log files; a command that cannot start is an `error` exit. */
function start(command: string, env: Record<string, string>, outPath: string, errPath: string): { child?: ChildProcess; exited: Promise<Exit> } {
  const fds: number[] = [];
  try {
    // Made again should someone have removed it mid-run.
    mkdirSync(dirname(outPath), { recursive: true });
    fds.push(openSync(outPath, "w"), openSync(errPath, "w"));
  } catch (error) {
    for (const fd of fds) closeSync(fd);
    throw fileSystemError(error, `cannot create the evaluation's log file in ${dirname(outPath)}`);
  }
  try {
    const child = spawn(command, { shell: true, detached: true, stdio: ["pipe", fds[0], fds[1]], env });
    const exited = new Promise<Exit>((resolve) => {
      child.once("exit", (code, signal) => resolve({ code, signal }));
      child.once("error", (error) => resolve({ code: null, signal: null, error }));
    });
    // A command that does not read its input closes it (EPIPE): that is no failure.
    child.stdin!.on("error", () => {});
    return { child, exited };
  } catch (error) {
    // Refused at once (E2BIG: the environment is too large for the system).
    return { exited: Promise.resolve({ code: null, signal: null, error: error as Error }) };
  } finally {
    // The child holds its own copies of the log files.
    for (const fd of fds) closeSync(fd);
  }
}

/** The attempt's result from how it ended and what it printed. */
function attemptResult(exit: Exit, stopping: "timeout" | "interrupted" | undefined, outPath: string, errPath: string, timeoutMs: number | undefined): AttemptResult<Record<string, unknown>> {
  const { code, signal, error } = exit;
  const stderrTail = tail(readTail(errPath));
  const failed = (failure: Omit<Failure, "stderrTail">): AttemptResult<Record<string, unknown>> => ({ ok: false, failure: { ...failure, ...(stderrTail === "" ? {} : { stderrTail }) } });
  if (error !== undefined) return failed({ kind: "error", message: `cannot run the command: ${error.message}`, transient: false });
  if (stopping === "interrupted") return failed({ kind: "interrupted", message: "stopped: the run was interrupted", transient: false });
  if (stopping === "timeout") return failed({ kind: "timeout", message: `timed out after ${timeoutMs! / 1000} s: its process group was stopped`, ...(signal === null ? {} : { signal }), transient: true });
  if (signal !== null) return failed({ kind: "signal", message: `killed by ${signal}`, signal, transient: true });
  if (code !== 0) {
    const message = `exited with status ${code}`;
    return failed({ kind: "exit", message, exitCode: code!, transient: looksTransient("exit", `${stderrTail}\n${tail(readTail(outPath))}`, code!) });
  }
  const { line, tooLong } = readLastLine(outPath);
  if (tooLong) return failed({ kind: "no-result", message: `the last line of standard output is longer than ${formatBytes(MAX_LINE_BYTES)}, the most a result line may hold: print big metrics to a file and a short JSON object last`, transient: false });
  if (line === undefined) return failed({ kind: "no-result", message: 'printed nothing on standard output (the last line must be a JSON object with a "value")', transient: false });
  // Metrics nested deeper would overflow the stack where the journal writes them.
  if (tooDeepAt(line) >= 0) return failed({ kind: "no-result", message: `the last line of standard output nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels`, transient: false });
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return failed({ kind: "no-result", message: `the last line of standard output is not JSON: ${JSON.stringify(line.slice(0, 200))}`, transient: false });
  }
  const value = parseResult(parsed, "the last line of standard output");
  return value.ok ? value : failed({ kind: value.kind, message: value.message, transient: false });
}

export function commandBackend<A>(options: CommandBackendOptions): EvaluationBackend<A, Record<string, unknown>> {
  for (const dir of [options.logDir, options.runningDir]) {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw fileSystemError(error, `cannot create ${dir}`);
    }
  }
  /** Attempts in progress: how to stop each. */
  const running = new Map<string, () => Promise<void>>();

  const run = async (job: EvaluationJob<A>): Promise<AttemptReport<Record<string, unknown>>> => {
    const startedAt = new Date().toISOString();
    const logs = [join("logs", `${job.id}.out`), join("logs", `${job.id}.err`)];
    const outPath = join(options.logDir, `${job.id}.out`);
    const errPath = join(options.logDir, `${job.id}.err`);
    const token = newToken();
    const { env } = childEnvironment({
      PREDNAS_ARCH_KEY: job.key,
      PREDNAS_ARCH_JSON: JSON.stringify(job.description),
      PREDNAS_SEED: String(job.seed),
      PREDNAS_ATTEMPT: String(job.attempt),
      PREDNAS_RUN_DIR: options.runDir,
      [TOKEN_VARIABLE]: token,
    }, process.env, environmentOf(job.settings));
    const { child, exited } = start(options.command, env, outPath, errPath);
    const pgid = child?.pid;
    const leaderStarted = pgid === undefined ? undefined : processStartTime(pgid);
    const started: Started = { ...(pgid === undefined ? {} : { pgid }), token, ...(leaderStarted === undefined ? {} : { since: leaderStarted }) };
    const runningFile = join(options.runningDir, `${job.id}.json`);
    let stopping: "timeout" | "interrupted" | undefined;
    let cancelTimer: (() => void) | undefined;
    if (pgid !== undefined) {
      const stop = (why: "timeout" | "interrupted") => {
        stopping ??= why;
        return stopStarted(started, options.graceMs);
      };
      running.set(job.id, () => stop("interrupted"));
      try {
        const record: RunningAttempt = { pgid, ...(leaderStarted === undefined ? {} : { started: leaderStarted }), token, host: hostname(), key: job.key, attempt: job.attempt, controller: process.pid, since: startedAt };
        writeFileAtomic(runningFile, `${JSON.stringify(record)}\n`);
      } catch (error) {
        // Untracked, the attempt would outlive a crash unseen: it does not run.
        child!.stdin!.destroy();
        await stopStarted(started, 0);
        await exited;
        running.delete(job.id);
        throw error;
      }
      if (options.timeoutMs !== undefined) cancelTimer = setLongTimeout(() => void stop("timeout"), options.timeoutMs);
      child!.stdin!.end(`${JSON.stringify({ key: job.key, arch: job.description, seed: job.seed, runDir: options.runDir })}\n`);
    }
    const exit = await exited;
    cancelTimer?.();
    // Whatever the command left running (a background job, a process that left the group) ends with it.
    await stopStarted(started, options.graceMs);
    running.delete(job.id);
    try {
      rmSync(runningFile, { force: true });
    } catch {
      // A read-only run directory: the record names processes that are gone, which a resumed run checks.
    }
    const result = attemptResult(exit, stopping, outPath, errPath, options.timeoutMs);
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
 * Stops the attempts a dead controller left running (recorded in `runningDir`): their process
 * group when it still runs and is still theirs, and the processes that carry their token;
 * returns what it found. Attempts recorded on another host
 * cannot be stopped from here: they are returned as `elsewhere` and left recorded.
 */
export async function stopLeftRunning(runningDir: string, graceMs: number): Promise<{ stopped: string[]; gone: number; elsewhere: string[] }> {
  const found = { stopped: [] as string[], gone: 0, elsewhere: [] as string[] };
  if (!existsSync(runningDir)) return found;
  for (const name of readdirSync(runningDir).filter((file) => file.endsWith(".json"))) {
    const path = join(runningDir, name);
    let attempt: RunningAttempt | null;
    try {
      attempt = JSON.parse(readFileSync(path, "utf8")) as RunningAttempt | null;
    } catch {
      attempt = null;
    }
    if (typeof attempt !== "object" || attempt === null) {
      // Torn by a kill while it was written: the attempt had not started.
      rmSync(path, { force: true });
      continue;
    }
    const what = `${attempt.key} (attempt ${attempt.attempt}, process group ${attempt.pgid}, started by controller ${attempt.controller} at ${attempt.since})`;
    if (attempt.host !== hostname()) {
      found.elsewhere.push(`${what} on ${attempt.host}`);
      continue;
    }
    // The group only when it is still the recorded one; the token (checked: it is looked for in other processes) identifies its own.
    const validGroup = Number.isSafeInteger(attempt.pgid) && attempt.pgid > 1;
    const left: Started = { ...(validGroup && isRecordedGroupAlive(attempt) ? { pgid: attempt.pgid } : {}), ...(isToken(attempt.token) && processesWithToken(attempt.token, attempt.started).length > 0 ? { token: attempt.token, ...(attempt.started === undefined ? {} : { since: attempt.started }) } : {}) };
    if (left.pgid !== undefined || left.token !== undefined) {
      await stopStarted(left, graceMs);
      found.stopped.push(what);
    } else {
      found.gone++;
    }
    rmSync(path, { force: true });
  }
  return found;
}
