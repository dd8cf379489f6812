import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ChoicesSpace, type ChoicesArch } from "../spaces/custom/choices.js";
import type { SearchProblem } from "../spaces/types.js";
import { resolveMethodOptions, runEvaluatedSearch, type EvaluatedSearchRequest } from "../search/methods.js";
import type { EvaluationRunRecord } from "../search/record.js";
import type { EvaluateFunction } from "./evaluator.js";
import { attemptsByKey, type JournalEntry } from "./journal.js";

const space = new ChoicesSpace("test-net", { depth: [1, 2, 3, 4, 5, 6], width: [8, 16, 32, 64, 128], act: ["relu", "gelu", "tanh"], lr: [0.001, 0.003, 0.01, 0.03] });
const problem: SearchProblem<ChoicesArch> = { spec: { space: space.name, objective: "value" }, space, objective: "value", parse: (input) => space.parse(input) };

/** A fixed function of the key in [0, 1). */
const unit = (salt: string, key: string) => createHash("sha256").update(`${salt}:${key}`).digest().readUInt32BE(0) / 2 ** 32;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An evaluation function with random durations (so that finishing order varies), counting how many run at once. */
function evaluator(behaviour: (key: string, attempt: number) => Promise<number> | number = (key) => unit("value", key)) {
  const state = { running: 0, peak: 0, calls: [] as string[] };
  const evaluate: EvaluateFunction<ChoicesArch> = async (arch, context) => {
    state.calls.push(`${context.key}#${context.attempt}`);
    if (JSON.stringify(context.json) !== context.key || JSON.stringify(space.describe(arch)) !== context.key) throw new Error("the context's JSON form is not the architecture's");
    state.running++;
    state.peak = Math.max(state.peak, state.running);
    try {
      await sleep(1 + Math.random() * 8);
      return { value: await behaviour(context.key, context.attempt), epochs: 3 };
    } finally {
      state.running--;
    }
  };
  return { evaluate, state };
}

const METHODS: [string, Record<string, unknown>][] = [
  ["random", {}],
  ["evolution", { populationSize: 8, tournamentSize: 3 }],
  ["local", { initialSamples: 4 }],
  ["predictor", { predictor: "ridge", pool: "mutation", poolSize: 30, initialSamples: 6, batchSize: 5 }],
  ["tpe", {}],
];

function request(method: string, options: Record<string, unknown>, evaluate: EvaluateFunction<ChoicesArch>, extra: Partial<EvaluatedSearchRequest<ChoicesArch>> = {}): EvaluatedSearchRequest<ChoicesArch> {
  return { method, seed: 3, budget: 40, options: resolveMethodOptions(method, options, undefined, space as never), evaluate, parallel: 4, ...extra };
}

const keysOf = (record: EvaluationRunRecord) => record.evaluations.map((e) => e.key);

describe("evaluations in flight", () => {
  it.each(METHODS)("%s keeps at most N in flight, reaches N, and launches the same architectures whatever the timing", async (method, options) => {
    const runs = await Promise.all([0, 1, 2].map(async () => {
      const { evaluate, state } = evaluator();
      const record = await runEvaluatedSearch(problem, request(method, options, evaluate));
      return { record, state };
    }));
    for (const { record, state } of runs) {
      expect(state.peak).toBeLessThanOrEqual(4);
      expect(record.peakInFlight).toBeLessThanOrEqual(4);
      expect(record.attempts.finished).toBe(40);
      expect(record.evaluations).toHaveLength(40);
    }
    expect(runs.some(({ state }) => state.peak === 4)).toBe(true);
    expect(keysOf(runs[1]!.record)).toEqual(keysOf(runs[0]!.record));
    expect(keysOf(runs[2]!.record)).toEqual(keysOf(runs[0]!.record));
  });

  it("with one in flight runs one at a time", async () => {
    const { evaluate, state } = evaluator();
    await runEvaluatedSearch(problem, request("random", {}, evaluate, { parallel: 1, budget: 12 }));
    expect(state.peak).toBe(1);
  });
});

describe("failures", () => {
  it("retries what looks transient, not what does not; the budget counts attempts; the search goes on without the failed", async () => {
    const { evaluate, state } = evaluator((key, attempt) => {
      if (unit("cuda", key) < 0.2 && attempt === 1) throw new Error("RuntimeError: CUDA error: out of memory");
      if (unit("bug", key) < 0.1) throw new Error("ValueError: width must be positive");
      return unit("nan", key) < 0.1 ? Number.NaN : unit("value", key);
    });
    const record = await runEvaluatedSearch(problem, request("predictor", METHODS[3]![1], evaluate, { retries: 1 }));
    expect(record.attempts.finished).toBe(40);
    expect(state.calls).toHaveLength(40);
    const failed = record.evaluations.filter((e) => e.failure !== undefined);
    expect(record.failed).toBe(failed.length);
    expect(record.attempts.failed).toBe(record.evaluations.reduce((sum, e) => sum + e.attempts, 0) - (record.evaluations.length - failed.length));
    for (const e of record.evaluations) {
      const cuda = unit("cuda", e.key) < 0.2;
      const bug = unit("bug", e.key) < 0.1;
      if (bug || unit("nan", e.key) < 0.1) expect(e.failure?.kind).toBe(bug ? "error" : "bad-value");
      if (e.failure?.kind === "error" && !bug) expect(e.failure.message).toMatch(/CUDA/);
      // A CUDA error is retried once (unless the budget was spent), a bug never.
      expect(e.attempts).toBe(cuda && (e.failure === undefined || bug || unit("nan", e.key) < 0.1) ? 2 : 1);
    }
    expect(failed.some((e) => e.failure!.kind === "bad-value" && /"value": NaN, not a finite number/.test(e.failure!.message))).toBe(true);
    expect(record.best?.value).toBe(Math.max(...record.evaluations.flatMap((e) => (e.value === undefined ? [] : [e.value]))));
  });

  it("stops an attempt that runs too long, as timed out (and retried)", async () => {
    const { evaluate } = evaluator((key, attempt) => (unit("hang", key) < 0.3 && attempt === 1 ? new Promise<number>(() => {}) : unit("value", key)));
    const record = await runEvaluatedSearch(problem, request("random", {}, evaluate, { budget: 16, evaluationTimeout: 0.05 }));
    const timedOut = record.evaluations.filter((e) => unit("hang", e.key) < 0.3);
    expect(timedOut.length).toBeGreaterThan(0);
    expect(record.attempts.timedOut).toBe(timedOut.length);
    for (const e of timedOut) expect(e.attempts === 2 || e.failure?.kind === "timeout").toBe(true);
  });

  it("minimises: the search sees the values negated, the record keeps them, the best is the lowest", async () => {
    const { evaluate } = evaluator();
    const record = await runEvaluatedSearch(problem, request("evolution", METHODS[1]![1], evaluate, { minimize: true }));
    const values = record.evaluations.map((e) => e.value!);
    expect(values.every((v) => v >= 0)).toBe(true);
    expect(record.best!.value).toBe(Math.min(...values));
    expect(record.minimize).toBe(true);
  });
});

describe("resuming from a journal", () => {
  it.each(METHODS)("%s reuses every journaled attempt, runs the rest, and ends where an uninterrupted run does", async (method, options) => {
    const entries: JournalEntry[] = [];
    const whole = await runEvaluatedSearch(problem, request(method, options, evaluator().evaluate, { journal: { replay: new Map(), append: (e) => entries.push(e) } }));
    expect(entries).toHaveLength(40);
    for (const cut of [0, 7, 23, 40]) {
      // The journal as a controller killed after `cut` finished attempts left it.
      const { evaluate, state } = evaluator();
      const resumed = await runEvaluatedSearch(problem, request(method, options, evaluate, { journal: { replay: attemptsByKey(entries.slice(0, cut)), append: () => {} } }));
      expect(keysOf(resumed)).toEqual(keysOf(whole));
      expect(resumed.evaluations.map((e) => e.value)).toEqual(whole.evaluations.map((e) => e.value));
      expect(resumed.attempts.reused).toBe(cut);
      const reused = new Set(entries.slice(0, cut).map((e) => e.key));
      expect(state.calls.filter((call) => reused.has(call.split("#")[0]!))).toEqual([]);
      expect(state.calls).toHaveLength(40 - cut);
    }
  });

  it("runs the retry a journal says is due", async () => {
    const entries: JournalEntry[] = [];
    const failing = evaluator((key, attempt) => {
      if (attempt === 1 && unit("cuda", key) < 0.3) throw new Error("CUDA error: unspecified launch failure");
      return unit("value", key);
    });
    await runEvaluatedSearch(problem, request("random", {}, failing.evaluate, { budget: 20, journal: { replay: new Map(), append: (e) => entries.push(e) } }));
    const firstFailure = entries.findIndex((e) => e.failure !== undefined && !e.final);
    expect(firstFailure).toBeGreaterThanOrEqual(0);
    const { evaluate, state } = evaluator();
    await runEvaluatedSearch(problem, request("random", {}, evaluate, { budget: 20, journal: { replay: attemptsByKey(entries.slice(0, firstFailure + 1)), append: () => {} } }));
    expect(state.calls).toContain(`${entries[firstFailure]!.key}#2`);
  });
});

describe("interruptions", () => {
  it("a stop launches nothing more and lets what runs finish; an interrupt stops what runs, which spends nothing", async () => {
    const stop = new AbortController();
    const interrupt = new AbortController();
    let started = 0;
    let aborted = 0;
    const evaluate: EvaluateFunction<ChoicesArch> = async (_arch, context) => {
      // The fifth attempt starts a stop, and 50 ms later an interrupt while it still runs.
      if (++started === 5) {
        stop.abort();
        setTimeout(() => interrupt.abort(), 50);
      }
      context.signal.addEventListener("abort", () => aborted++);
      await sleep(started >= 5 ? 10_000 : 5);
      return { value: unit("value", context.key) };
    };
    const start = Date.now();
    const record = await runEvaluatedSearch(problem, request("random", {}, evaluate, { stop: stop.signal, interrupt: interrupt.signal }));
    expect(Date.now() - start).toBeLessThan(5000);
    expect(record.interrupted).toBe(true);
    expect(started).toBe(5);
    expect(aborted).toBe(1);
    // The interrupted attempt is no finished attempt and no evaluation: it runs again on resume.
    expect(record.attempts.finished).toBe(4);
    expect(record.evaluations).toHaveLength(4);
    expect(record.evaluations.every((e) => e.failure === undefined)).toBe(true);
  });
});
