/**
 * Benchmarks of evaluations through the queue (queue/controller.ts, queue/worker.ts), on a
 * throwaway redis-server on loopback and real `prednas worker` processes (the built dist/), with
 * a trivial evaluation command (a shell that prints {"value": 1}), so that what is measured is
 * prednas's and BullMQ's share of an evaluation, not training:
 *
 * - `queue`: one evaluation at a time, the round-trip of a bare BullMQ job (add, a Worker in
 *   this process returns at once, waitUntilFinished) against prednas's (the controller's backend,
 *   one worker process running the command), the command run locally for reference, and the
 *   difference: prednas's overhead per evaluation over BullMQ's; then the throughput of
 *   evaluations end to end through 1, 2 and 4 workers (2 at once each, as many in flight).
 * - `queue-soak` (opt-in, a few minutes): 10,000 evaluations through 4 workers, one of them
 *   SIGKILLed and restarted every few seconds; every evaluation must come back, and the ones run
 *   twice are counted (only a killed worker's in-flight jobs may be).
 *
 * - PREDNAS_BENCH_QUEUE_EVALUATIONS   evaluations per throughput figure (default 400)
 * - PREDNAS_BENCH_SOAK_EVALUATIONS    evaluations of the soak (default 10000)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Queue, QueueEvents, Worker } from "bullmq";
import { Redis } from "ioredis";
import { commandBackend } from "../evaluation/commandBackend.js";
import type { EvaluationJob } from "../evaluation/backend.js";
import { openQueueBackend, type QueueBackend } from "../queue/controller.js";
import { parseQueueUrl } from "../queue/connection.js";
import { startRedis, type RedisServer } from "../queue/localRedis.js";
import type { Figure, Section } from "./harness.js";

const MAIN = join(dirname(fileURLToPath(import.meta.url)), "..", "cli", "main.js");
const TRIVIAL = `echo '{"value": 1}'`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const jobOf = (i: number, prefix: string): EvaluationJob<unknown> => ({ arch: { i }, key: `${prefix}-${i}`, description: { i }, seed: i, attempt: 1, id: `${prefix}-${i}-a1` });

interface Workers {
  readonly processes: ChildProcess[];
  kill(index: number): Promise<void>;
  restart(index: number): void;
  stop(): Promise<void>;
}

/** `count` prednas worker processes, each in its own work directory. */
function startWorkers(redis: RedisServer, count: number, dir: string, command: string, concurrency: number): Workers {
  const launch = (index: number) =>
    spawn(process.execPath, [MAIN, "worker", "--queue", redis.url, "--evaluate", command, "--concurrency", String(concurrency), "--work-dir", join(dir, `worker${index}`), "--stall-timeout", "1"], { stdio: "ignore" });
  const processes = Array.from({ length: count }, (_, index) => launch(index));
  const ended = (child: ChildProcess) => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once("exit", () => resolve())));
  return {
    processes,
    async kill(index) {
      processes[index]!.kill("SIGKILL");
      await ended(processes[index]!);
    },
    restart(index) {
      processes[index] = launch(index);
    },
    async stop() {
      for (const child of processes) child.kill("SIGTERM");
      await Promise.all(processes.map(ended));
    },
  };
}

/** Runs `jobs` through `run` with `parallel` in flight; returns the wall time in ms and the reports. */
async function drive<R>(jobs: readonly EvaluationJob<unknown>[], parallel: number, run: (job: EvaluationJob<unknown>) => Promise<R>): Promise<{ ms: number; reports: R[] }> {
  const reports: R[] = new Array(jobs.length);
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < jobs.length) {
        const i = next++;
        reports[i] = await run(jobs[i]!);
      }
    }),
  );
  return { ms: performance.now() - start, reports };
}

async function withRun<T>(redis: RedisServer, use: (backend: QueueBackend) => Promise<T>): Promise<T> {
  const runDir = mkdtempSync(join(tmpdir(), "prednas-bench-run-"));
  const backend = await openQueueBackend({ location: parseQueueUrl(redis.url), runDir, onStatus: (message) => process.stderr.write(`  ${message}\n`) });
  try {
    return await use(backend);
  } finally {
    await backend.finish();
    await backend.close();
  }
}

/** The bare BullMQ round-trip: a job added, taken by a Worker that returns at once, its end awaited. */
async function bareRoundTripMs(redis: RedisServer, count: number): Promise<number> {
  const clients: Redis[] = [];
  const connection = () => {
    const client = new Redis({ host: "127.0.0.1", port: redis.port, password: redis.password, maxRetriesPerRequest: null });
    clients.push(client);
    return client;
  };
  const queue = new Queue("bench-bare", { connection: connection() });
  const events = new QueueEvents("bench-bare", { connection: connection() });
  const worker = new Worker("bench-bare", async () => ({ value: 1 }), { connection: connection() });
  await events.waitUntilReady();
  await worker.waitUntilReady();
  const { ms } = await drive(
    Array.from({ length: count }, (_, i) => jobOf(i, "bare")),
    1,
    async (job) => (await queue.add("evaluate", job.description, { jobId: job.id })).waitUntilFinished(events),
  );
  await worker.close();
  await events.close();
  await queue.obliterate({ force: true });
  await queue.close();
  for (const client of clients) client.disconnect();
  return ms / count;
}

async function localCommandMs(count: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "prednas-bench-local-"));
  const backend = commandBackend({ command: TRIVIAL, runDir: dir, logDir: join(dir, "logs"), runningDir: join(dir, "running"), graceMs: 1000 });
  const { ms } = await drive(
    Array.from({ length: count }, (_, i) => jobOf(i, "local")),
    1,
    (job) => backend.run(job),
  );
  return ms / count;
}

async function waitForWorkers(redis: RedisServer, count: number): Promise<void> {
  const client = new Redis({ host: "127.0.0.1", port: redis.port, password: redis.password });
  try {
    while ((await client.keys("prednas:worker:*")).length < count) await sleep(100);
  } finally {
    client.disconnect();
  }
}

export const queueSection: Section = {
  name: "queue",
  description: "evaluations through BullMQ on a local redis-server, trivial command: prednas's overhead per evaluation over a bare BullMQ job, and throughput through 1, 2, 4 worker processes",
  async run(): Promise<Figure[]> {
    const count = Number(process.env.PREDNAS_BENCH_QUEUE_EVALUATIONS ?? 400);
    const redis = await startRedis();
    const dir = mkdtempSync(join(tmpdir(), "prednas-bench-queue-"));
    const figures: Figure[] = [];
    try {
      const serial = Math.min(count, 200);
      const bare = await bareRoundTripMs(redis, serial);
      const local = await localCommandMs(serial);
      const workers = startWorkers(redis, 1, join(dir, "serial"), TRIVIAL, 1);
      await waitForWorkers(redis, 1);
      const prednasMs = await withRun(redis, async (backend) => (await drive(Array.from({ length: serial }, (_, i) => jobOf(i, "serial")), 1, (job) => backend.run(job))).ms / serial);
      await workers.stop();
      figures.push(
        { name: "bare BullMQ job round-trip, one at a time", value: bare, unit: "ms/job" },
        { name: "trivial command run locally (commandBackend), one at a time", value: local, unit: "ms/eval" },
        { name: "prednas through the queue, 1 worker, one at a time", value: prednasMs, unit: "ms/eval" },
        { name: "prednas overhead per evaluation over bare BullMQ", value: prednasMs - bare, unit: "ms/eval", note: `of which running the command itself ~${local.toFixed(1)} ms` },
      );
      for (const count_ of [1, 2, 4]) {
        const pool = startWorkers(redis, count_, join(dir, `w${count_}`), TRIVIAL, 2);
        await waitForWorkers(redis, count_);
        const { ms, reports } = await withRun(redis, (backend) => drive(Array.from({ length: count }, (_, i) => jobOf(i, `t${count_}`)), 2 * count_, (job) => backend.run(job)));
        await pool.stop();
        const failed = reports.filter((report) => !report.result.ok).length;
        figures.push({ name: `throughput through ${count_} worker${count_ === 1 ? "" : "s"} (2 at once each, ${2 * count_} in flight)`, value: (count / ms) * 1000, unit: "evals/s", note: `${count} evaluations${failed > 0 ? `, ${failed} failed` : ""}` });
      }
    } finally {
      await redis.stop();
    }
    return figures;
  },
};

export const queueSoakSection: Section = {
  name: "queue-soak",
  optIn: true,
  description: "10,000 trivial evaluations through 4 workers, a random one SIGKILLed and restarted every 3 s: all accounted for",
  async run(): Promise<Figure[]> {
    const count = Number(process.env.PREDNAS_BENCH_SOAK_EVALUATIONS ?? 10_000);
    const redis = await startRedis();
    const dir = mkdtempSync(join(tmpdir(), "prednas-bench-soak-"));
    mkdirSync(dir, { recursive: true });
    const tracePath = join(dir, "trace");
    const workers = startWorkers(redis, 4, dir, `echo "$PREDNAS_ARCH_KEY" >> '${tracePath}'; echo '{"value": 1}'`, 2);
    try {
      await waitForWorkers(redis, 4);
      let kills = 0;
      let killing = true;
      const killer = (async () => {
        while (killing) {
          await sleep(3000);
          if (!killing) break;
          const index = Math.floor(Math.random() * 4);
          await workers.kill(index);
          kills++;
          workers.restart(index);
        }
      })();
      const { ms, reports } = await withRun(redis, (backend) => drive(Array.from({ length: count }, (_, i) => jobOf(i, "soak")), 8, (job) => backend.run(job)));
      killing = false;
      await killer;
      const succeeded = reports.filter((report) => report?.result.ok).length;
      const failed = reports.filter((report) => report !== undefined && !report.result.ok).length;
      const runs = new Map<string, number>();
      for (const key of readFileSync(tracePath, "utf8").split("\n").filter(Boolean)) runs.set(key, (runs.get(key) ?? 0) + 1);
      const missing = Array.from({ length: count }, (_, i) => `soak-${i}`).filter((key) => !runs.has(key)).length;
      return [
        { name: "evaluations that came back with a result", value: succeeded, unit: "evals", target: { value: count, better: "higher" } },
        { name: "evaluations failed (a job given up after repeated stalls)", value: failed, unit: "evals", note: "a job is given up after its workers die 3 times" },
        { name: "evaluations never run", value: missing, unit: "evals", target: { value: 0, better: "lower" } },
        { name: "evaluations run more than once (a killed worker's in flight)", value: [...runs.values()].filter((n) => n > 1).length, unit: "evals", note: `${kills} worker kills, each with up to 2 in flight` },
        { name: "soak throughput with kills", value: (count / ms) * 1000, unit: "evals/s", note: `${(ms / 1000).toFixed(0)} s in all` },
      ];
    } finally {
      await workers.stop();
      await redis.stop();
    }
  },
};
