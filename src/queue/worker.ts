/**
 * `prednas worker`: takes evaluation jobs from the runs' queues in Redis and runs each with the
 * worker's own command (evaluation/commandBackend.ts: its process group, its logs, its timeout),
 * returning the attempt's report as the job's result. A job carries an architecture, never a
 * command, so that writing to the queue does not let anyone run commands on the workers.
 *
 * - The runs come and go (a study runs one search after another, each with its queue): the worker
 *   reads the registered runs (protocol.ts, RUNS_KEY) every second and keeps one BullMQ Worker on
 *   each, closing it when its run is over. `concurrency` bounds the evaluations this process runs
 *   at once over all of them (a slot count shared by its BullMQ Workers, written here since
 *   BullMQ's concurrency is per queue): with one run at a time, as a controller does it, that is
 *   BullMQ's own concurrency; with several, a job may wait here for a slot, under its lock.
 * - A worker that dies (SIGKILL, power loss) stops renewing its jobs' locks: BullMQ's stalled
 *   check, run by the other workers every `stallMs` / 2, puts them back to be run by another worker,
 *   up to MAX_STALLS times, after which the job fails and the controller records the failure.
 *   The next worker started on the same directory stops the evaluations the dead one left
 *   running (stopLeftRunning); in the default directories (a slot each, workSlots.ts), every
 *   live worker does so within seconds.
 * - `stop()` (the first SIGTERM) takes no more jobs and waits for the running ones to finish;
 *   `interrupt()` (a second) stops them and hands their jobs back to the queue, for another worker.
 * - Each worker holds its directory (`workDir`, or a slot of the user's state directory: logs per
 *   run, the evaluations running) alone.
 * - Nothing read from Redis becomes a path or a queue unchecked: a registered run whose name is not
 *   a queue name (protocol.ts) is refused with one log line and the worker serves the others; a
 *   job's id, the only part of a job that names files, is checked by jobFromData.
 */
import { mkdirSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { UnrecoverableError, WaitingError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { commandBackend, stopLeftRunning } from "../evaluation/commandBackend.js";
import type { AttemptReport, EvaluationBackend } from "../evaluation/backend.js";
import { lockDirectory, type DirectoryLock } from "../util/directoryLock.js";
import { ensureWritableDirectory } from "../util/files.js";
import { connect, type QueueLocation } from "./connection.js";
import { defaultWorkersDirectory, sweepSlots, takeSlot } from "./workSlots.js";
import { isQueueName, jobFromData, QUEUE_NAME_RULE, RUNS_KEY, WORKER_PREFIX, WORKER_TTL_SECONDS, type WorkerEntry } from "./protocol.js";

/** Times a job may be found stalled and run again before BullMQ fails it. */
export const MAX_STALLS = 2;
const DISCOVERY_MS = 1000;
/** How often (in looks at the runs) a worker in a slot stops what dead workers left in the others. */
const SWEEP_TICKS = 5;

export interface WorkerOptions {
  readonly location: QueueLocation;
  /** The worker's evaluation command. */
  readonly command: string;
  readonly concurrency: number;
  readonly timeoutMs?: number;
  readonly graceMs: number;
  /** The worker's directory; undefined: a slot of the user's state directory (workSlots.ts). */
  readonly workDir?: string;
  /** How long a job's lock lasts without renewal before another worker may take it over. */
  readonly stallMs: number;
  /** What the worker does and what goes wrong, line by line. */
  readonly onLog: (message: string) => void;
  /** Gives up waiting for Redis at the start. */
  readonly signal?: AbortSignal;
}

export interface RunningWorker {
  /** Take no more jobs; resolves when the running ones have finished. */
  stop(): Promise<void>;
  /** Stop the running evaluations and hand their jobs back. */
  interrupt(): Promise<void>;
  /** How many attempts it ran to their end. */
  readonly finished: number;
}

/** The directory given with --work-dir, created and locked. */
async function ownDirectory(dir: string, onLog: (message: string) => void): Promise<{ readonly dir: string; readonly lock: DirectoryLock }> {
  ensureWritableDirectory(dir, "--work-dir");
  mkdirSync(dir, { recursive: true });
  const lock = await lockDirectory(dir, {
    name: "worker",
    holds: "a worker's evaluations; give each worker on a machine its own --work-dir, or none (each then takes a slot of the user's state directory)",
    onCompromised: (error) => onLog(`the lock on ${dir} was lost: ${error.message}`),
    onWait: onLog,
  });
  return { dir, lock };
}

/** A count of free slots that waiters queue for. */
function slots(count: number) {
  let free = count;
  const waiting: (() => void)[] = [];
  return {
    async acquire(): Promise<void> {
      if (free > 0) {
        free--;
        return;
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
    },
    release(): void {
      const next = waiting.shift();
      if (next) next();
      else free++;
    },
    get busy(): number {
      return count - free;
    },
  };
}

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const { location, onLog } = options;
  const slotRoot = options.workDir === undefined ? defaultWorkersDirectory() : undefined;
  const { dir: workDir, lock } = slotRoot === undefined ? await ownDirectory(options.workDir!, onLog) : await takeSlot(slotRoot, onLog);
  const runningDir = join(workDir, "running");
  const left = await stopLeftRunning(runningDir, options.graceMs);
  for (const what of left.stopped) onLog(`stopped an evaluation a previous worker left running: ${what}`);

  const connections = connect(location, onLog);
  try {
    await connections.ready(options.signal);
  } catch (error) {
    await connections.close();
    await lock.release();
    throw error;
  }
  const id = `${hostname()}:${process.pid}`;
  const since = new Date().toISOString();
  const redis = connections.client();
  const free = slots(options.concurrency);
  const backends = new Map<string, EvaluationBackend<unknown, Record<string, unknown>>>();
  const workers = new Map<string, { readonly worker: Worker; readonly client: Redis }>();
  /** Registered names refused, said once each while they stay registered. */
  const refused = new Set<string>();
  let stopping = false;
  let finished = 0;
  let interrupted!: () => void;
  const interruption = new Promise<void>((resolve) => (interrupted = resolve));

  const backendOf = (queue: string) => {
    let backend = backends.get(queue);
    if (backend === undefined) {
      const runDir = join(workDir, "runs", queue);
      backend = commandBackend({ command: options.command, runDir, logDir: join(runDir, "logs"), runningDir, graceMs: options.graceMs, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) });
      backends.set(queue, backend);
    }
    return backend;
  };

  const handBack = async (job: Job, token: string | undefined, why: string): Promise<never> => {
    await job.moveToWait(token);
    onLog(`${job.queueName} ${job.id}: handed back (${why})`);
    throw new WaitingError();
  };

  const processor = (queue: string) => async (job: Job, token?: string) => {
    let evaluation;
    try {
      evaluation = jobFromData(job.data);
    } catch (error) {
      onLog(`${queue} ${job.id}: refused: ${(error as Error).message}`);
      throw new UnrecoverableError(`refused: ${(error as Error).message}`);
    }
    await free.acquire();
    let report: AttemptReport<Record<string, unknown>>;
    try {
      if (stopping) return await handBack(job, token, "the worker is stopping");
      onLog(`${queue} ${job.id}: evaluating ${evaluation.key} (attempt ${evaluation.attempt})`);
      report = await backendOf(queue)
        .run(evaluation)
        .catch((error: Error) => {
          // The attempt could not even start here: BullMQ retries the job, then the controller records why.
          onLog(`${queue} ${job.id}: cannot run it: ${error.message}`);
          throw error;
        });
    } finally {
      free.release();
    }
    if (!report.result.ok && report.result.failure.kind === "interrupted") return handBack(job, token, "its evaluation was stopped");
    finished++;
    onLog(`${queue} ${job.id}: ${report.result.ok ? `value ${report.result.value}` : `failed: ${report.result.failure.message}`}`);
    const runDir = join(workDir, "runs", queue);
    return { ...report, logs: (report.logs ?? []).map((log) => `${report.host}:${join(runDir, log)}`) };
  };

  const attach = (queue: string) => {
    if (!isQueueName(queue)) {
      onLog(`refused the run ${JSON.stringify(queue)} registered in Redis (${RUNS_KEY}): not a queue name (${QUEUE_NAME_RULE}); serving the others`);
      refused.add(queue);
      return;
    }
    const client = connections.client();
    const worker = new Worker(queue, processor(queue), {
      connection: client,
      concurrency: options.concurrency,
      lockDuration: options.stallMs,
      // BullMQ moves a job whose lock has expired on the second check that finds it unrenewed: with
      // checks every half lock, a dead worker's job runs again within twice the lock, not three times.
      stalledInterval: Math.max(250, Math.round(options.stallMs / 2)),
      maxStalledCount: MAX_STALLS,
      name: id,
    });
    connections.watch(worker, queue);
    workers.set(queue, { worker, client });
    onLog(`serving run ${queue}`);
  };

  /** Stops serving a run: BullMQ closes its own connections, not the client it was given. */
  const detach = async (queue: string) => {
    const served = workers.get(queue)!;
    workers.delete(queue);
    try {
      await served.worker.close();
    } finally {
      await connections.release(served.client);
    }
  };

  const announce = async () => {
    const entry: WorkerEntry = { host: hostname(), pid: process.pid, concurrency: options.concurrency, running: free.busy, finished, since, queues: [...workers.keys()] };
    await redis.set(`${WORKER_PREFIX}${id}`, JSON.stringify(entry), "EX", WORKER_TTL_SECONDS);
  };

  const discover = async () => {
    const runs = await redis.hkeys(RUNS_KEY);
    if (stopping) return;
    for (const queue of runs) if (!workers.has(queue) && !refused.has(queue)) attach(queue);
    for (const queue of refused) if (!runs.includes(queue)) refused.delete(queue);
    for (const queue of workers.keys()) {
      if (runs.includes(queue)) continue;
      backends.delete(queue);
      void detach(queue).then(
        () => onLog(`run ${queue} is over`),
        (error: Error) => onLog(`run ${queue} is over; closing its queue: ${error.message}`),
      );
    }
  };

  let ticks = 0;
  // Whatever goes wrong in a look at the runs is said and the worker goes on: it must not end a worker that serves other runs.
  const refresh = async () => {
    try {
      await discover();
      if (ticks % Math.round((WORKER_TTL_SECONDS * 1000) / 3 / DISCOVERY_MS) === 0) await announce();
      ticks++;
    } catch (error) {
      if (!/Connection is closed/i.test((error as Error).message)) onLog(`cannot read the runs: ${(error as Error).message}`);
    }
  };
  // Its own chain: stopping a dead worker's evaluation waits its grace, which must not hold up the runs.
  let sweeps = 0;
  let sweeping = Promise.resolve();
  const sweep = async () => {
    if (slotRoot === undefined || stopping) return;
    try {
      await sweepSlots(slotRoot, workDir, options.graceMs, onLog);
    } catch (error) {
      onLog(`cannot look at the other worker slots: ${(error as Error).message}`);
    }
  };
  let tick = refresh();
  const timer = setInterval(() => {
    tick = tick.then(refresh);
    if (++sweeps % SWEEP_TICKS === 0) sweeping = sweeping.then(sweep);
  }, DISCOVERY_MS);
  await tick;
  onLog(`worker ${id} on ${location.display}, in ${workDir}: ${options.concurrency} at once, running ${JSON.stringify(options.command)}${options.timeoutMs === undefined ? "" : `, timeout ${options.timeoutMs / 1000} s`}`);

  return {
    get finished() {
      return finished;
    },
    async stop() {
      stopping = true;
      clearInterval(timer);
      await tick;
      await sweeping;
      // Closing waits for the running jobs, and for a Redis that is down: an interruption cuts it short.
      await Promise.race([Promise.all([...workers.keys()].map(detach)), interruption]);
      if (redis.status === "ready") await redis.del(`${WORKER_PREFIX}${id}`).catch(() => undefined);
      await connections.close();
      await lock.release();
    },
    async interrupt() {
      stopping = true;
      await Promise.all([...backends.values()].map((backend) => backend.interrupt()));
      // What they hand back needs a moment to reach Redis, if it is there.
      setTimeout(interrupted, 2000).unref();
    },
  };
}
