/**
 * Evaluations on many machines, end to end: a real redis-server on 127.0.0.1 with a password
 * (test-support/redis.ts), real `prednas worker` processes of the built dist/ with the fixture
 * evaluator, and the controller (`prednas search --queue`); workers killed with SIGKILL and
 * stopped with SIGTERM, the controller killed and resumed, Redis restarted without its data, two
 * controllers of one run, a job whose workers keep dying, and the refusals. Nothing here talks to
 * anything but 127.0.0.1.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openQueueBackend } from "../queue/controller.js";
import { parseQueueUrl } from "../queue/connection.js";
import { EVALUATE, prednas, readJournal, readTrace, sleep, SPACE, startPrednas, waitUntil, type Env } from "../test-support/cli.js";
import { startRedis, type RedisServer } from "../queue/localRedis.js";

const scratch = mkdtempSync(join(tmpdir(), "prednas-queue-"));
let counter = 0;
const fresh = (name: string): string => join(scratch, `${name}-${counter++}`);
let redis: RedisServer;

beforeAll(async () => {
  redis = await startRedis();
});
/**
 * Every prednas started here: a test that fails leaves none running, neither on the machine nor
 * serving the next tests' runs (every worker serves every run registered in the one Redis).
 */
const started: ReturnType<typeof startPrednas>[] = [];
const start: typeof startPrednas = (args, options) => {
  const run = startPrednas(args, options);
  started.push(run);
  return run;
};
afterEach(async () => {
  for (const run of started.splice(0)) {
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill("SIGKILL");
    await run.done;
  }
});
afterAll(async () => {
  await redis?.stop();
});

function startWorker(workDir: string, env: Env, extra: string[] = []) {
  return start(["worker", "--queue", redis.url, "--evaluate", EVALUATE, "--work-dir", workDir, "--stall-timeout", "1", ...extra], { cwd: scratch, env });
}

/** A search of the fixture space through the queue: the predictor-based loop (ridge) unless `loop` says otherwise. */
const searchArgs = (runDir: string, extra: string[], loop = ["--predictor", "ridge", "--pool-size", "40"]) => ["search", "--space-file", SPACE, "--queue", redis.url, "--run-dir", runDir, ...loop, "--seed", "4", ...extra];

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** A client of the test's Redis, to look at what is left there. */
async function peek<T>(look: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis({ host: "127.0.0.1", port: redis.port, password: redis.password, maxRetriesPerRequest: 1 });
  try {
    return await look(client);
  } finally {
    client.disconnect();
  }
}

/**
 * A worker whose command fails on an architecture that asks it to (`"fail"`), else reports the
 * length of its input line; `oneRun` gives it a run of its own with one job of `arch`, puts a job
 * that is not one in the same queue, and returns once the worker has refused that and seen the
 * run end.
 */
function lineLengthWorker() {
  const command = `read -r line; case "$line" in *'"fail"'*) exit 3;; esac; echo "{\\"value\\": \${#line}}"`;
  const worker = start(["worker", "--queue", redis.url, "--evaluate", command, "--work-dir", fresh("worker")], { cwd: scratch });
  const location = parseQueueUrl(redis.url);
  const runsOver = () => worker.stderr().split(/run prednas-run-\w+ is over/).length - 1;
  const oneRun = async (arch: Record<string, unknown>) => {
    const runDir = fresh("run");
    mkdirSync(runDir, { recursive: true });
    const backend = await openQueueBackend({ location, runDir, onStatus: () => {} });
    const report = await backend.run({ arch, key: JSON.stringify(arch), description: arch, seed: 1, attempt: 1, id: "0001-a1" });
    await peek(async (client) => {
      const queue = new Queue(backend.name, { connection: client });
      await queue.add("evaluate", { run: backend.name, key: "bad\u0000key", arch: {}, seed: 0, attempt: 1, id: "bad-a1" }, { jobId: "bad-a1" });
      await queue.close();
    });
    await waitUntil(() => worker.stderr().includes(`${backend.name} bad-a1: refused: the job's architecture key holds a control character`), 20_000, "the bad job refused");
    const before = runsOver();
    await backend.finish();
    await backend.close();
    await waitUntil(() => runsOver() > before, 20_000, "the worker to see the run over");
    return report;
  };
  return { worker, oneRun, openFiles: () => readdirSync(`/proc/${worker.child.pid}/fd`).length };
}

const starts = (tracePath: string) => {
  const count = new Map<string, number>();
  for (const line of readTrace(tracePath)) if (line.what === "start") count.set(line.key, (count.get(line.key) ?? 0) + 1);
  return count;
};

describe("evaluations through a queue in Redis", () => {
  it("spreads a run over three workers; a worker SIGKILLed and the controller SIGKILLed and resumed: every architecture once, nothing left in Redis, no password anywhere, workers exit on SIGTERM", async () => {
    const runDir = fresh("run");
    const tracePath = fresh("trace");
    const workDirs = [0, 1, 2].map((i) => fresh(`worker${i}`));
    const env = { EVAL_MS: "250", EVAL_TRACE: tracePath };
    const workers = workDirs.map((dir) => startWorker(dir, env, ["--concurrency", "2"]));
    const args = searchArgs(runDir, ["--parallel", "6", "--budget", "36"]);
    const first = start(args, { cwd: scratch });
    await waitUntil(() => /evaluating/.test(workers[0]!.stderr()) && readJournal(runDir).length >= 3, 60_000, "worker 0 to evaluate");
    workers[0]!.child.kill("SIGKILL");
    const inFlightOnKilled = [...workers[0]!.stderr().matchAll(/evaluating (.*) \(attempt/g)].map((match) => match[1]!);
    await waitUntil(() => readJournal(runDir).length >= 15, 60_000, "15 finished attempts");
    first.child.kill("SIGKILL");
    await first.done;
    await sleep(600);
    const resumed = start(args, { cwd: scratch });
    const { status } = await resumed.done;
    expect(resumed.stderr()).not.toMatch(/internal error/);
    expect(status).toBe(0);
    expect(resumed.stdout()).toMatch(/attempts +36 of 36 \(seed 4\): 0 failed; \d+ reused from the journal/);
    expect(resumed.stdout()).toMatch(/evaluator +workers on redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ \(queue prednas-run-[0-9a-f]+\)/);

    // Every architecture finished once; only those the killed worker had taken ran twice.
    const entries = readJournal(runDir);
    expect(entries).toHaveLength(36);
    expect(new Set(entries.map((e) => e.key)).size).toBe(36);
    const repeated = [...starts(tracePath)].filter(([, n]) => n > 1).map(([key]) => key);
    for (const key of repeated) expect(inFlightOnKilled).toContain(key);
    // The work spread over the workers that lived (the journal says whose logs each attempt has).
    const byWorker = workDirs.map((dir) => entries.filter((e) => e.logs?.some((log) => log.includes(dir))).length);
    expect(byWorker[1]).toBeGreaterThan(0);
    expect(byWorker[2]).toBeGreaterThan(0);

    // The run's jobs and registration are gone from Redis. A worker still attached to the queue
    // may write its stalled-job check's lock and the queue's meta again after the controller
    // removed the queue (BullMQ's own bookkeeping, no job): those two may come back.
    const left = await peek((client) => client.keys("bull:*"));
    expect(left.filter((key) => !/:(stalled-check|meta)$/.test(key))).toEqual([]);
    expect(await peek((client) => client.hgetall("prednas:runs"))).toEqual({});

    // The password is in no process title, no file of the run or the workers, no output.
    for (const worker of workers.slice(1)) expect(readFileSync(`/proc/${worker.child.pid}/cmdline`, "utf8")).not.toContain(redis.password);
    const texts = [...[runDir, ...workDirs].flatMap(filesUnder).map((path) => readFileSync(path, "utf8")), ...[first, resumed, ...workers].flatMap((p) => [p.stdout(), p.stderr()])];
    expect(texts.length).toBeGreaterThan(40);
    for (const text of texts) expect(text).not.toContain(redis.password);

    for (const worker of workers.slice(1)) worker.child.kill("SIGTERM");
    for (const worker of workers.slice(1)) expect(await worker.done).toEqual({ status: 0, signal: null });
  });

  it("runs an architecture once for two controllers of one run, and hands a finished result to a controller that asks later", async () => {
    const runDir = fresh("twice");
    const copy = fresh("twice-copy");
    const tracePath = fresh("trace");
    const worker = startWorker(fresh("worker"), { EVAL_MS: "300", EVAL_TRACE: tracePath });
    const location = parseQueueUrl(redis.url);
    mkdirSync(runDir, { recursive: true });
    const one = await openQueueBackend({ location, runDir, onStatus: () => {} });
    // A copy of the run directory (its queue named in it) with a controller of its own.
    cpSync(runDir, copy, { recursive: true });
    const two = await openQueueBackend({ location, runDir: copy, onStatus: () => {} });
    expect(two.name).toBe(one.name);
    const job = { arch: { depth: 2 }, key: "depth=2", description: { depth: 2 }, seed: 7, attempt: 1, id: "0001-test-a1" };
    const [a, b] = await Promise.all([one.run(job), two.run(job)]);
    expect(a).toEqual(b);
    expect(a.result.ok).toBe(true);
    const later = await two.run(job);
    expect(later).toEqual(a);
    expect(starts(tracePath).get("depth=2")).toBe(1);
    await one.finish();
    await one.close();
    await two.close();
    worker.child.kill("SIGTERM");
    expect((await worker.done).status).toBe(0);
  });

  it("waits for a Redis restarted without its data, enqueues again what it lost, and finishes with nothing finished lost", async () => {
    const runDir = fresh("restart");
    const env = { EVAL_MS: "300" };
    const workers = [startWorker(fresh("worker"), env, ["--concurrency", "2"]), startWorker(fresh("worker"), env, ["--concurrency", "2"])];
    const controller = start(searchArgs(runDir, ["--parallel", "4", "--budget", "16"]), { cwd: scratch });
    await waitUntil(() => readJournal(runDir).length >= 4, 60_000, "4 finished attempts");
    const before = readJournal(runDir).length;
    await redis.restart({ downMs: 2500 });
    const { status } = await controller.done;
    expect(controller.stderr()).not.toMatch(/internal error/);
    expect(status).toBe(0);
    expect(controller.stderr()).toMatch(/Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ is unreachable \(.*\); waiting for it/);
    expect(controller.stderr()).toMatch(/is reachable again/);
    expect(controller.stderr()).toMatch(/is no longer in Redis \(restarted without its data\?\): enqueued again/);
    // One outage, said once and its end once, by the controller and by each worker (BullMQ's connections included).
    for (const text of [controller.stderr(), ...workers.map((w) => w.stderr())]) {
      // The first error of the outage (ECONNRESET or ECONNREFUSED), in that one message.
      expect(text.match(/ECONN/g), text).toHaveLength(1);
      expect(text.match(/is unreachable \((read ECONNRESET|connect ECONNREFUSED [\d.:]+)\)/g), text).toHaveLength(1);
      expect(text.match(/is reachable again/g), text).toHaveLength(1);
    }
    const entries = readJournal(runDir);
    expect(entries.length).toBe(16);
    expect(entries.length).toBeGreaterThan(before);
    expect(new Set(entries.map((e) => e.key)).size).toBe(16);
    for (const text of [controller.stderr(), ...workers.map((w) => w.stderr())]) expect(text).not.toContain(redis.password);
    for (const worker of workers) worker.child.kill("SIGTERM");
    for (const worker of workers) expect((await worker.done).status).toBe(0);
  });

  it("re-runs a SIGKILLed worker's job on another worker within seconds by default, and the controller says which job was lost on which worker and where it runs again", async () => {
    const runDir = fresh("recovery");
    // Each evaluation lasts long enough to be killed in the middle of.
    const env = { EVAL_MS: "6000" };
    const workers = [0, 1].map(() => start(["worker", "--queue", redis.url, "--evaluate", EVALUATE, "--work-dir", fresh("worker")], { cwd: scratch, env }));
    const controller = start(searchArgs(runDir, ["--budget", "2", "--parallel", "1"], ["--method", "random"]), { cwd: scratch });
    const evaluating = (worker: (typeof workers)[number]) => /evaluating (\S+)/.exec(worker.stderr())?.[1];
    await waitUntil(() => workers.some((worker) => evaluating(worker) !== undefined), 60_000, "a worker to take the first job");
    const victim = workers.find((worker) => evaluating(worker) !== undefined)!;
    const survivor = workers.find((worker) => worker !== victim)!;
    const key = evaluating(victim)!;
    const killed = Date.now();
    victim.child.kill("SIGKILL");
    await waitUntil(() => survivor.stderr().includes(`evaluating ${key}`), 60_000, "the lost job to run again");
    const recoveryMs = Date.now() - killed;
    console.log(`a SIGKILLed worker's job ran again on the other worker after ${(recoveryMs / 1000).toFixed(1)} s`);
    // The lock lasts 5 s and the check runs every 5 s: 10 s at most, with room for a loaded machine.
    expect(recoveryMs).toBeLessThan(20_000);
    expect((await controller.done).status).toBe(0);
    const victimName = `${hostname()}:${victim.child.pid}`;
    expect(controller.stderr()).toContain(`(${key}, attempt 1) was lost: worker ${victimName} stopped renewing its lock`);
    expect(controller.stderr()).toContain(`lost on worker ${victimName}, is running again on worker ${hostname()}:${survivor.child.pid}`);
    for (const line of survivor.stderr().trim().split("\n")) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z prednas worker: /);
    expect(readJournal(runDir)).toHaveLength(2);
  });

  it("runs two workers started without --work-dir, each in a slot of the user's state directory; a live worker stops what a killed one left running, and a new worker takes its slot", async () => {
    const runDir = fresh("slots");
    const tracePath = fresh("trace");
    const state = fresh("state");
    const env = { XDG_DATA_HOME: state, EVAL_MS: "20000", EVAL_TRACE: tracePath };
    const slotOf = (worker: ReturnType<typeof start>) => new RegExp(`in ${join(state, "prednas", "workers")}/(slot-\\d+):`).exec(worker.stderr())?.[1];
    const startDefault = () => start(["worker", "--queue", redis.url, "--evaluate", EVALUATE], { cwd: scratch, env });
    const workers = [startDefault(), startDefault()];
    await waitUntil(() => workers.every((worker) => slotOf(worker) !== undefined), 60_000, "both workers to start");
    expect(workers.map(slotOf).sort()).toEqual(["slot-0", "slot-1"]);
    expect(existsSync(join(scratch, "prednas-worker"))).toBe(false);

    const controller = start(searchArgs(runDir, ["--budget", "1", "--parallel", "1"], ["--method", "random"]), { cwd: scratch });
    await waitUntil(() => workers.some((worker) => worker.stderr().includes("evaluating")), 60_000, "a worker to take the job");
    const victim = workers.find((worker) => worker.stderr().includes("evaluating"))!;
    const survivor = workers.find((worker) => worker !== victim)!;
    await waitUntil(() => readTrace(tracePath).length >= 1, 30_000, "the evaluation to start");
    const orphan = readTrace(tracePath)[0]!.pid;
    victim.child.kill("SIGKILL");
    await victim.done;
    const deadSlot = join(state, "prednas", "workers", slotOf(victim)!);
    await waitUntil(() => survivor.stderr().includes(`stopped an evaluation a dead worker left running in ${deadSlot}`), 60_000, "the survivor to stop the orphan");
    // Gone, or a zombie its dead parent cannot reap (Linux's /proc says which).
    const living = () => existsSync(`/proc/${orphan}/stat`) && !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${orphan}/stat`, "utf8"));
    expect(living()).toBe(false);
    expect(readdirSync(join(deadSlot, "running"))).toEqual([]);

    const third = startDefault();
    await waitUntil(() => slotOf(third) !== undefined, 60_000, "a third worker to start");
    expect(slotOf(third)).toBe(slotOf(victim));
    expect((await controller.done).status).toBe(0);
    expect(readJournal(runDir)).toHaveLength(1);
    for (const worker of [survivor, third]) worker.child.kill("SIGTERM");
    for (const worker of [survivor, third]) expect((await worker.done).status).toBe(0);
  });

  it("gives up a job whose workers keep dying: run again by the next worker, then a recorded failure; a new worker stops what a dead one left running", async () => {
    const runDir = fresh("stalls");
    const tracePath = fresh("trace");
    const workDir = fresh("worker");
    // Every first attempt hangs: each worker that takes the job is killed while it runs.
    const env = { EVAL_HANG: "1", EVAL_TRACE: tracePath };
    const controller = start(searchArgs(runDir, ["--budget", "1", "--retries", "0"], ["--method", "random"]), { cwd: scratch });
    let worker = startWorker(workDir, env);
    for (let run = 1; run <= 3; run++) {
      await waitUntil(() => readTrace(tracePath).filter((l) => l.what === "start").length >= run, 60_000, `run ${run} of the job`);
      worker.child.kill("SIGKILL");
      await worker.done;
      worker = startWorker(workDir, env);
      await waitUntil(() => /stopped an evaluation a previous worker left running/.test(worker.stderr()), 30_000, "the orphan stopped");
    }
    const { status } = await controller.done;
    expect(status).toBe(1);
    const [entry] = readJournal(runDir);
    expect(entry?.failure?.message).toMatch(/the workers that took it stopped without finishing it .*: job stalled more than allowable limit/);
    expect(readTrace(tracePath).filter((l) => l.what === "start")).toHaveLength(3);
    worker.child.kill("SIGTERM");
    expect((await worker.done).status).toBe(0);
  });

  it("refuses run names in Redis that are not queue names (a path, a ':'), once each, and goes on serving: nothing outside --work-dir, exit 0 on SIGTERM", async () => {
    const workDir = fresh("worker");
    const escape = `escape-${counter++}`;
    // From --work-dir/runs/<name>, this name leads to a sibling of the work dir.
    const bad = [`../../${escape}`, "prednas-run-a:b", `prednas-run-../../../${escape}`, ""];
    await peek(async (client) => {
      for (const name of bad) await client.hset("prednas:runs", name, JSON.stringify({ runDir: "/tmp", host: "h", pid: 1, since: "now" }));
    });
    // A job waiting in the queue of the path-like name, as in the issue.
    const rogueClient = new Redis({ host: "127.0.0.1", port: redis.port, password: redis.password, maxRetriesPerRequest: null });
    const rogue = new Queue(`../../${escape}`, { connection: rogueClient });
    await rogue.add("evaluate", { run: `../../${escape}`, key: "k", arch: {}, seed: 0, attempt: 1, id: "x-a1" }, { jobId: "x-a1" });
    const worker = startWorker(workDir, { EVAL_MS: "0" });
    try {
      // It serves a real run alongside.
      const runDir = fresh("run");
      mkdirSync(runDir, { recursive: true });
      const backend = await openQueueBackend({ location: parseQueueUrl(redis.url), runDir, onStatus: () => {} });
      const report = await backend.run({ arch: { depth: 1 }, key: "depth=1", description: { depth: 1 }, seed: 1, attempt: 1, id: "0001-depth1-a1" });
      expect(report.result.ok).toBe(true);
      await backend.finish();
      await backend.close();
      await sleep(2500); // two more looks at the registered runs: still said once
      for (const name of bad) expect(worker.stderr().split(`refused the run ${JSON.stringify(name)}`), name).toHaveLength(2);
      expect(worker.stderr()).not.toMatch(/internal error|serving run \.\.|serving run prednas-run-a:b/);
      expect(existsSync(join(scratch, escape))).toBe(false);
      expect(readdirSync(join(workDir, "runs"))).toEqual([backend.name]);
      // queue status lists them as refused instead of failing on them.
      const status = prednas(["queue", "status", "--queue", redis.url], { cwd: scratch });
      expect(status.stderr).toBe("");
      expect(status.stdout).toContain(`refused by the workers, not queue names (prednas-run- and up to 64 letters, digits, '_' or '-'): `);
      expect(status.stdout).toContain(JSON.stringify("prednas-run-a:b"));
    } finally {
      await peek((client) => client.hdel("prednas:runs", ...bad));
      await rogue.obliterate({ force: true });
      await rogue.close();
      rogueClient.disconnect();
    }
    worker.child.kill("SIGTERM");
    expect(await worker.done).toEqual({ status: 0, signal: null });
  });

  it("keeps a worker's file descriptors level over failed and refused jobs and over runs that end", async () => {
    const served = lineLengthWorker();
    try {
      expect((await served.oneRun({ depth: 1 })).result.ok).toBe(true);
      const level = served.openFiles();
      for (let i = 0; i < 3; i++) expect((await served.oneRun({ fail: true, i })).result).toMatchObject({ ok: false, failure: { kind: "exit" } });
      expect(served.openFiles()).toBe(level);
    } finally {
      served.worker.child.kill("SIGTERM");
    }
    expect(await served.worker.done).toEqual({ status: 0, signal: null });
  });

  it("runs an architecture whose JSON is over 128 KB through the queue, whole, with the worker's file descriptors level", async () => {
    const served = lineLengthWorker();
    try {
      await served.oneRun({ depth: 1 });
      const level = served.openFiles();
      const arch = { layers: Array.from({ length: 16_000 }, (_, i) => `conv3x3-${i}`) };
      const size = JSON.stringify(arch).length;
      expect(size).toBeGreaterThan(200_000);
      const report = await served.oneRun(arch);
      expect(report.result, JSON.stringify(report.result).slice(0, 500)).toMatchObject({ ok: true });
      // The input line holds the architecture and its key (here its JSON too): both arrived whole.
      expect(report.result.ok && report.result.value).toBeGreaterThan(2 * size);
      expect(served.openFiles()).toBe(level);
    } finally {
      served.worker.child.kill("SIGTERM");
    }
    expect(await served.worker.done).toEqual({ status: 0, signal: null });
  });

  it("ends a controller (search, study) promptly: a wrong password or none (exit 2), and Redis down at the start with one SIGINT (exit 130)", async () => {
    const space = ["--space-file", SPACE, "--method", "random", "--budget", "2"];
    // One that hangs (as they did) is killed after 30 s, and then has no exit status.
    const ended = async (args: string[], signal?: NodeJS.Signals) => {
      const run = start(args, { cwd: scratch });
      if (signal !== undefined) {
        await waitUntil(() => /unreachable/.test(run.stderr()), 60_000, "the controller to wait for Redis").catch((error: Error) => {
          throw new Error(`${error.message}; it printed: ${run.stderr()}`);
        });
        run.child.kill(signal);
      }
      const timer = setTimeout(() => run.child.kill("SIGKILL"), 30_000);
      const { status } = await run.done;
      clearTimeout(timer);
      return { status, stderr: run.stderr() };
    };
    const port = redis.port;
    const preset = `${fresh("preset")}.json`;
    writeFileSync(preset, JSON.stringify({ name: "through-queue", spaceFile: SPACE, configurations: [{ method: "random" }], runs: 1, budget: 2 }));
    const study = (url: string) => ["study", "--preset", preset, "--out", fresh("study"), "--queue", url];
    const [wrong, none, down, worker, studyWrong, studyDown] = await Promise.all([
      ended(["search", ...space, "--queue", `redis://:not-the-password@127.0.0.1:${port}`, "--run-dir", fresh("wrong")]),
      ended(["search", ...space, "--queue", `redis://127.0.0.1:${port}`, "--run-dir", fresh("none")]),
      ended(["search", ...space, "--queue", `redis://:${redis.password}@127.0.0.1:1`, "--run-dir", fresh("down")], "SIGINT"),
      ended(["worker", "--queue", `redis://:not-the-password@127.0.0.1:${port}`, "--evaluate", "true", "--work-dir", fresh("worker")]),
      ended(study(`redis://:not-the-password@127.0.0.1:${port}`)),
      ended(study(`redis://:${redis.password}@127.0.0.1:1`), "SIGINT"),
    ]);
    for (const refused of [wrong, none, worker, studyWrong]) {
      expect(refused.stderr).toMatch(/refused the credentials/);
      expect(refused.status).toBe(2);
    }
    for (const interrupted of [down, studyDown]) {
      expect(interrupted.stderr).toMatch(/interrupted by SIGINT/);
      expect(interrupted.status).toBe(130);
      expect(interrupted.stderr).not.toContain(redis.password);
    }
    for (const run of [wrong, none, down, worker, studyWrong, studyDown]) expect(run.stderr).not.toMatch(/not-the-password|internal error/);
  });

  it("refuses a wrong password, a bad URL and --evaluate with --queue (exit 2); waits for a Redis that is not there yet", async () => {
    const wrong = redis.url.replace(redis.password, "not-the-password");
    const refused = prednas(["queue", "status", "--queue", wrong], { cwd: scratch });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ refused the credentials \(WRONGPASS/);
    expect(refused.stderr).not.toContain("not-the-password");
    const scheme = prednas(["worker", "--queue", "http://:secret@127.0.0.1:1", "--evaluate", "true"], { cwd: scratch });
    expect(scheme.status).toBe(2);
    expect(scheme.stderr).toMatch(/--queue http:\/\/:\*\*\*@127\.0\.0\.1:1: the scheme must be redis:\/\/ or rediss:\/\//);
    expect(scheme.stderr).not.toContain("secret");
    expect(prednas(["worker", "--queue", "redis://127.0.0.1", "--evaluate", "true"], { cwd: scratch }).stderr).toMatch(/no port/);
    const both = prednas([...searchArgs(fresh("both"), ["--budget", "2"]), "--evaluate", "true"], { cwd: scratch });
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/--evaluate and --queue: with --queue the workers evaluate/);

    const status = prednas(["queue", "status", "--queue", redis.url], { cwd: scratch });
    expect(status.status).toBe(0);
    expect(status.stdout).toMatch(/^queue redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\n/);

    // A worker started before its Redis: it says so, waits, and SIGTERM still ends it.
    const nowhere = `redis://:${redis.password}@127.0.0.1:1`;
    const early = start(["worker", "--queue", nowhere, "--evaluate", "true", "--work-dir", fresh("worker")], { cwd: scratch });
    await waitUntil(() => /unreachable/.test(early.stderr()), 20_000, "the worker to say Redis is unreachable");
    expect(early.stderr()).toMatch(/prednas worker: Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1 is unreachable \(.*ECONNREFUSED.*\); waiting for it, retrying every 2 s/);
    early.child.kill("SIGTERM");
    const ended = await early.done;
    expect(ended.status).toBe(1);
    expect(early.stderr()).toMatch(/stopped while waiting for Redis/);
    expect(early.stderr()).not.toContain(redis.password);
  });
});
