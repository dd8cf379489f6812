/**
 * `prednas search --evaluate`, run as a user runs it (the built dist/), with real evaluator
 * processes (fixtures/evaluator.mjs): evaluations in flight and never more, a controller killed
 * with SIGKILL at random moments and resumed (nothing finished repeated, nothing lost, the same
 * end as an uninterrupted run), SIGINT and SIGTERM, failing and hanging evaluators, and the
 * refusals (broken space files, the full pool, another run in the same directory).
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EVALUATE, prednas as runPrednas, readJournal, readTrace, sleep, SPACE, startPrednas, waitUntil, type Env, type Trace } from "../test-support/cli.js";
import type { JournalEntry } from "../evaluation/journal.js";
import type { EvaluationRunRecord } from "../search/record.js";

const scratch = mkdtempSync(join(tmpdir(), "prednas-evaluate-"));
let counter = 0;
const fresh = (name: string): string => join(scratch, `${name}-${counter++}`);

/** A search of the fixture space by the fixture evaluator: the predictor-based loop (ridge), or `--method M` among `extra`. */
function searchArgs(runDir: string, extra: string[] = []): string[] {
  const loop = extra.includes("--method") ? [] : ["--predictor", "ridge", "--pool-size", "40"];
  return ["search", "--space-file", SPACE, "--evaluate", EVALUATE, "--run-dir", runDir, ...loop, "--seed", "4", ...extra];
}

const prednas = (args: string[], env: Env = {}) => runPrednas(args, { env, cwd: scratch });
/** Starts the controller; `kill` sends it a signal, `done` is its exit status. */
const start = (args: string[], env: Env = {}) => startPrednas(args, { env, cwd: scratch });
const journal = readJournal;
const trace = readTrace;
const record = (runDir: string) => JSON.parse(readFileSync(join(runDir, "record.json"), "utf8")) as EvaluationRunRecord;

/** The most intervals [from, to] that overlap. */
function peak(intervals: readonly { from: number; to: number }[]): number {
  const events = intervals.flatMap(({ from, to }) => [
    { at: from, step: 1 },
    { at: to, step: -1 },
  ]);
  let running = 0;
  let most = 0;
  for (const { step } of events.sort((a, b) => a.at - b.at || a.step - b.step)) most = Math.max(most, (running += step));
  return most;
}

/** The evaluator processes' own start and end times (from the trace; every one must have ended). */
const processIntervals = (lines: readonly Trace[]) =>
  lines.filter((l) => l.what === "start").map((s) => ({ from: s.at, to: lines.find((l) => l.what === "end" && l.pid === s.pid)!.at }));
/** The attempts' times as the journal has them: from spawn to the end of the whole process group. */
const attemptIntervals = (entries: readonly JournalEntry[]) => entries.map((e) => ({ from: Date.parse(e.startedAt), to: Date.parse(e.endedAt) }));

/** Whether a process runs (a zombie waiting for init to reap it does not). */
function running(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]![0] !== "Z";
  } catch {
    return false;
  }
}

async function expectNothingLeft(lines: readonly Trace[]): Promise<void> {
  const pids = lines.map((l) => l.pid);
  for (let i = 0; i < 40 && pids.some(running); i++) await sleep(50);
  expect(pids.filter(running)).toEqual([]);
}

describe("evaluations by the user's command", () => {
  it("keeps N in flight and never more, and records every attempt in the journal", () => {
    const runDir = fresh("parallel");
    const tracePath = fresh("trace");
    const { status, stdout } = prednas(searchArgs(runDir, ["--parallel", "3", "--budget", "15"]), { EVAL_MS: "150", EVAL_TRACE: tracePath });
    expect(status).toBe(0);
    expect(stdout).toMatch(/attempts +15 of 15 \(seed 4\): 0 failed/);
    expect(stdout).toMatch(/peak in flight +3/);
    expect(peak(processIntervals(trace(tracePath)))).toBe(3);
    const entries = journal(runDir);
    expect(entries).toHaveLength(15);
    expect(new Set(entries.map((e) => e.key)).size).toBe(15);
    expect(entries.every((e) => e.host.length > 0 && e.pid > 0 && Date.parse(e.endedAt) >= Date.parse(e.startedAt) && e.result !== undefined)).toBe(true);
    expect(record(runDir).evaluations.map((e) => e.n)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
  });

  it("prints plain progress lines when standard error is not a terminal (a log), at most every few seconds", () => {
    const { status, stderr } = prednas(searchArgs(fresh("piped"), ["--method", "random", "--budget", "4"]), { EVAL_MS: "2000" });
    expect(status).toBe(0);
    const lines = stderr.split("\n").filter((line) => line !== "");
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.length).toBeLessThanOrEqual(3);
    for (const line of lines) expect(line).toMatch(/^prednas: search \(random\): [1-4]\/4 \(\d+%\) \| in flight \d \| failed 0 \| best [\d.]+ \| [\d.]+ s\/evaluation \| elapsed \d+ s \| left (\d+ s|-)$/);
    expect(lines.at(-1)).toMatch(/: 4\/4 \(100%\)/);
  });

  it("resumes after SIGKILLs of the controller at random moments: nothing finished repeated or lost, the same end as an uninterrupted run", async () => {
    const args = (runDir: string) => searchArgs(runDir, ["--parallel", "3", "--budget", "18", "--options", '{"batchSize": 4, "initialSamples": 5}']);
    const env = { EVAL_MS: "100" };
    const reference = fresh("reference");
    expect(prednas(args(reference), env).status).toBe(0);
    const runDir = fresh("killed");
    const tracePath = fresh("trace");
    // Kill moments spread over the run: once a few more attempts are journaled, plus a delay that
    // lands in the middle of an evaluation, at its start or between two.
    for (const [more, delay] of [[1, 30], [4, 170], [3, 95]] as const) {
      const controller = start(args(runDir), { ...env, EVAL_TRACE: tracePath });
      const before = journal(runDir).length;
      await waitUntil(() => journal(runDir).length >= before + more);
      await sleep(delay);
      controller.child.kill("SIGKILL");
      await controller.done;
    }
    expect(journal(runDir).length).toBeGreaterThan(0);
    expect(journal(runDir).length).toBeLessThan(18);
    const last = prednas(args(runDir), { ...env, EVAL_TRACE: tracePath });
    expect(last.status).toBe(0);
    const mine = record(runDir);
    const theirs = record(reference);
    expect(mine.evaluations.map(({ n, key, value, iteration }) => ({ n, key, value, iteration }))).toEqual(theirs.evaluations.map(({ n, key, value, iteration }) => ({ n, key, value, iteration })));
    expect(mine.best).toEqual(theirs.best);
    // Every finished attempt is in the journal once, and none was started again once journaled.
    const entries = journal(runDir);
    expect(entries).toHaveLength(18);
    expect(new Set(entries.map((e) => e.key)).size).toBe(18);
    const lines = trace(tracePath);
    for (const entry of entries) expect(lines.filter((l) => l.what === "start" && l.key === entry.key && l.at > Date.parse(entry.endedAt))).toEqual([]);
    await expectNothingLeft(lines);
  });

  it("stops gracefully on SIGINT (exit 130) and SIGTERM (exit 143), keeping what finished, and resumes", async () => {
    const runDir = fresh("signals");
    const args = searchArgs(runDir, ["--parallel", "2", "--budget", "12", "--method", "random"]);
    for (const [signal, status] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
      const controller = start(args, { EVAL_MS: "300" });
      const before = journal(runDir).length;
      await waitUntil(() => journal(runDir).length > before);
      controller.child.kill(signal);
      expect((await controller.done).status).toBe(status);
      expect(controller.stderr()).toMatch(new RegExp(`${signal}: launching nothing more; waiting for the evaluations in flight`));
      expect(controller.stderr()).toMatch(new RegExp(`interrupted by ${signal}: the finished evaluations are in the journal; run the same command again to resume`));
      expect(record(runDir).interrupted).toBe(true);
      // What was in flight finished and was journaled: nothing is left running.
      expect(readdirSync(join(runDir, "running"))).toEqual([]);
    }
    const last = prednas(args, { EVAL_MS: "10" });
    expect(last.status).toBe(0);
    expect(journal(runDir)).toHaveLength(12);
    expect(record(runDir).interrupted).toBeUndefined();
  });

  it("survives crashing, hanging and garbage-printing evaluators, and a kill of the controller: failures recorded with their messages, nothing left running", async () => {
    const runDir = fresh("faults");
    const tracePath = fresh("trace");
    const env = { EVAL_MS: "100", EVAL_CRASH: "0.25", EVAL_HANG: "0.15", EVAL_GARBAGE: "0.1", EVAL_FATAL: "0.05", EVAL_IGNORE_TERM: "1", EVAL_TRACE: tracePath };
    // The timeout leaves a loaded machine time to start Node and print (an attempt it stops is a timeout, whatever it printed).
    const args = searchArgs(runDir, ["--parallel", "4", "--budget", "24", "--evaluation-timeout", "1.5", "--kill-grace", "0.2"]);
    const controller = start(args, env);
    await waitUntil(() => journal(runDir).length >= 3);
    controller.child.kill("SIGKILL");
    await controller.done;
    const { status, stdout, stderr } = prednas(args, env);
    expect(stderr).not.toMatch(/internal error/);
    const result = record(runDir);
    expect(result.attempts.finished).toBe(24);
    expect(status).toBe(result.failed > 0 ? 1 : 0);
    expect(stdout).toMatch(/peak in flight +[1-4]\n/);
    const failures = result.evaluations.flatMap((e) => (e.failure === undefined ? [] : [e.failure]));
    expect(failures.length).toBeGreaterThan(0);
    expect(result.attempts.timedOut).toBeGreaterThan(0);
    const attempts = journal(runDir);
    const crashed = attempts.filter((e) => e.failure?.kind !== "timeout" && e.failure?.stderrTail?.includes("CUDA error"));
    expect(crashed.length).toBeGreaterThan(0);
    for (const entry of crashed) expect(entry.failure).toMatchObject({ kind: "exit", exitCode: 1, transient: true });
    for (const entry of attempts.filter((e) => e.failure?.kind === "no-result")) expect(entry.failure!.message).toBe('the last line of standard output is not JSON: "epoch 3 loss 0.2 -- done!"');
    // A traceback that exited is not transient (one stopped at the timeout on a loaded machine is: a timeout always is).
    for (const entry of attempts.filter((e) => e.failure?.kind === "exit" && e.failure.stderrTail?.includes("ValueError"))) expect(entry.failure!.transient).toBe(false);
    // The best is the highest value of the evaluations that succeeded.
    expect(result.best!.value).toBe(Math.max(...result.evaluations.flatMap((e) => (e.value === undefined ? [] : [e.value]))));
    const lines = trace(tracePath);
    expect(peak(attemptIntervals(attempts))).toBeLessThanOrEqual(4);
    expect(lines.some((l) => l.what === "grandchild")).toBe(true);
    await expectNothingLeft(lines);
  });
});

describe("a study of a space file", () => {
  it("runs its searches with the preset's evaluations, one run directory each, and resumes without repeating", () => {
    const dir = fresh("study");
    const presetDir = fresh("preset");
    spawnSync("mkdir", ["-p", presetDir]);
    copyFileSync(SPACE, join(presetDir, "space.json"));
    const preset = join(presetDir, "preset.json");
    writeFileSync(
      preset,
      JSON.stringify({
        name: "mine",
        spaceFile: "space.json",
        evaluate: EVALUATE,
        parallel: 2,
        budget: 6,
        runs: 2,
        configurations: [{ method: "random" }, { method: "predictor", options: { predictor: "ridge", poolSize: 20, initialSamples: 3, batchSize: 3 } }],
      }),
    );
    const first = prednas(["study", "--preset", preset, "--out", dir], { EVAL_MS: "1" });
    // Nothing but progress lines (printed when standard error is not a terminal and a few seconds pass).
    expect(first.stderr.split("\n").filter((line) => line !== "" && !line.startsWith("prednas: study mine: "))).toEqual([]);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/study mine: 4 runs \(0 already done, 4 run now\)/);
    expect(first.stdout).toMatch(/no report: a space of your own has no benchmark/);
    const records = readFileSync(join(dir, "evaluations.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line) as EvaluationRunRecord);
    expect(records.map((r) => [r.method, r.seed, r.evaluations.length, r.parallel])).toEqual([["random", 0, 6, 2], ["predictor", 0, 6, 2], ["random", 1, 6, 2], ["predictor", 1, 6, 2]]);
    expect(readdirSync(join(dir, "runs"))).toHaveLength(4);
    expect(prednas(["study", "--preset", preset, "--out", dir]).stdout).toMatch(/4 runs \(4 already done, 0 run now\)/);
  });
});

describe("what is refused", () => {
  const expectUserError = (result: { status: number | null; stderr: string }, message: RegExp) => {
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/internal error| at .*\.js:\d+/);
    expect(result.status).toBe(2);
  };

  it("a broken space file, naming the JSON pointer; the full pool on a space that cannot be listed; missing flags", () => {
    const broken = `${fresh("broken")}.json`;
    writeFileSync(broken, '{"type": "choices", "choices": {"width": [16, "", 64]}}');
    expectUserError(prednas(["search", "--space-file", broken, "--evaluate", "true", "--run-dir", fresh("run")]), /broken-\d+\.json: at \/choices\/width\/1: must be a number or a non-empty string, got ""/);
    expectUserError(prednas([...searchArgs(fresh("run")), "--pool", "full"]), /--pool: the full pool scores every architecture .* the space 'tiny-net', 1,800 architectures, cannot be listed .*use a pool that draws its candidates: random, mutation/);
    expectUserError(prednas(["search", "--space-file", SPACE]), /--space-file .*: a space of your own has no benchmark to evaluate it; give your training command with --evaluate CMD/);
    expectUserError(prednas(["search", "--space-file", SPACE, "--evaluate", "true"]), /--evaluate needs --run-dir DIR/);
  });

  it("another run in the same directory, saying what differs; a second controller on a running one", async () => {
    const runDir = fresh("identity");
    expect(prednas(searchArgs(runDir, ["--budget", "3", "--method", "random"]), { EVAL_MS: "1" }).status).toBe(0);
    expectUserError(prednas(searchArgs(runDir, ["--budget", "3", "--method", "random", "--seed", "5"])), /holds another run \(1 difference: seed: \d+ before, 5 now\)/);
    const changed = `${fresh("space")}.json`;
    copyFileSync(SPACE, changed);
    writeFileSync(changed, readFileSync(SPACE, "utf8").replace('"width": [8, 16, 32, 64, 128]', '"width": [8, 16, 32, 64]'));
    expectUserError(prednas(searchArgs(runDir, ["--budget", "3", "--method", "random"]).map((arg) => (arg === SPACE ? changed : arg))), /space\.definition\.choices\.width: \[8,16,32,64,128\] before, \[8,16,32,64\] now/);
    const busy = fresh("busy");
    const first = start(searchArgs(busy, ["--budget", "8", "--method", "random"]), { EVAL_MS: "2000" });
    await waitUntil(() => existsSync(join(busy, ".run.lock.owner.json")));
    expectUserError(prednas(searchArgs(busy, ["--budget", "8", "--method", "random"])), new RegExp(`is in use by process ${first.child.pid} on `));
    first.child.kill("SIGKILL");
    await first.done;
  });

  it("samples a space file's architectures, reproducibly", () => {
    const once = prednas(["sample", "--space-file", SPACE, "--n", "3", "--seed", "1", "--uniform"]);
    expect(once.status).toBe(0);
    expect(once.stdout).toBe(prednas(["sample", "--space-file", SPACE, "--n", "3", "--seed", "1", "--uniform"]).stdout);
    expect(once.stdout.trim().split("\n").map((line) => Object.keys(JSON.parse(line) as object))).toEqual(Array(3).fill(["activation", "depth", "dropout", "lr", "width"]));
  });
});
