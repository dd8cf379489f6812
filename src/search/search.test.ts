import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { spaceFileProblem } from "../spaces/custom/file.js";
import { bitStringProblem } from "../spaces/synthetic.js";
import { ridgePredictor } from "../predictors/ridge.js";
import { createPool, POOL_NAMES } from "../pools/registry.js";
import { DEFAULT_SPACE, loadProblem } from "../spaces/registry.js";
import { RIDGE_OPTIONS } from "../predictors/ridge.js";
import { resolveOptions, sourceOf } from "../options/schema.js";
import { oracleBackend } from "../evaluation/backend.js";
import { predictorSearch } from "./predictorSearch.js";
import { randomSearch } from "./randomSearch.js";
import { runMethod } from "./run.js";
import { resolveMethodOptions, runSearch, type Method } from "./methods.js";
import { topIndices } from "./acquisition.js";
import type { RunRecord } from "./record.js";

const synthetic = bitStringProblem(12, 0b101100111010);

function firstHit(record: RunRecord, key: string): number {
  return record.queries.find((q) => q.key === key)?.n ?? Number.POSITIVE_INFINITY;
}

describe("the harness", () => {
  it("launches each architecture once and stops at the budget", async () => {
    const run = await runMethod((context) => randomSearch(context).then(() => undefined), synthetic.space, { seed: 1, budget: 3, backend: oracleBackend(synthetic.oracle), settings: {} });
    const { launches } = run.scheduler;
    expect(launches.map((l) => l.n)).toEqual([1, 2, 3]);
    expect(new Set(launches.map((l) => l.key)).size).toBe(3);
    expect(launches.map((l) => l.outcome)).toEqual(launches.map((l) => ({ ok: true, value: synthetic.truths[l.arch], raw: synthetic.truths[l.arch], metrics: { truth: synthetic.truths[l.arch] }, attempts: 1 })));
    expect(run.scheduler.remaining).toBe(0);
    expect(() => run.scheduler.launch(0, { iteration: 0 })).toThrow(/internal/);
  });
});

describe("acquisition", () => {
  it("picks the k largest, ties to the lower index", () => {
    expect(topIndices([3, 1, 3, 5, 0], 3)).toEqual([3, 0, 2]);
    expect(topIndices([1, 2], 5)).toEqual([1, 0]);
  });
});

describe("search methods on a synthetic space with a known best", () => {
  const ridgeOnBits = { predictor: "ridge", predictorOptions: { encoding: "bits" } };
  const methods: [Method, Record<string, unknown>][] = [
    ["random", {}],
    ["evolution", { populationSize: 20, tournamentSize: 5 }],
    ["local", {}],
    ...POOL_NAMES.map((pool): [Method, Record<string, unknown>] => ["predictor", { ...ridgeOnBits, pool, poolSize: 50 }]),
  ];

  it.each(methods)("%s %j spends the budget exactly, never queries twice, and is reproducible", async (method, options) => {
    const resolved = resolveMethodOptions(method, options);
    const first = await runSearch(synthetic, { method, seed: 3, budget: 60, options: resolved });
    const again = await runSearch(synthetic, { method, seed: 3, budget: 60, options: resolved });
    expect(first.queries).toHaveLength(60);
    expect(new Set(first.queries.map((q) => q.key)).size).toBe(60);
    expect(first.queries.map((q) => q.n)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(again.queries).toEqual(first.queries);
    const { poolSize: _size, ...rest } = options;
    expect(first.options).toMatchObject(options.pool === "full" ? rest : options);
    if (options.pool === "full") expect(first.options).not.toHaveProperty("poolSize");
  });

  it("a predictor with the full pool finds the best architecture far sooner than random search", async () => {
    const best = synthetic.space.key(synthetic.best);
    const seeds = Array.from({ length: 10 }, (_, i) => i);
    const predictorHits = await Promise.all(
      seeds.map(async (seed) => firstHit(await runSearch(synthetic, { method: "predictor", seed, budget: 200, options: resolveMethodOptions("predictor", { ...ridgeOnBits, pool: "full" }) }), best)),
    );
    const randomHits = await Promise.all(seeds.map(async (seed) => firstHit(await runSearch(synthetic, { method: "random", seed, budget: 4096, options: resolveMethodOptions("random") }), best)));
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    expect(Math.max(...predictorHits)).toBeLessThanOrEqual(30); // n_init 10, then the optimum in the next batches
    expect(mean(randomHits)).toBeGreaterThan(500); // expectation (4096 + 1) / 2
  });

  it("scores exactly the pool: the full pool never offers a queried architecture", async () => {
    const inner = createPool<number>("full");
    const offered: number[][] = [];
    const spy = { name: "spy", candidates: async (ctx: Parameters<typeof inner.candidates>[0]) => {
      const result = await inner.candidates(ctx);
      offered.push([...result.archs]);
      return result;
    } };
    const predictor = ridgePredictor.create(synthetic.space, resolveOptions("ridge", RIDGE_OPTIONS, { encoding: "bits" }, sourceOf("test")));
    const loop = { initialSamples: 10, batchSize: 10, poolSize: 100, acquisition: "mean", ucbKappa: 0.5 } as const;
    const run = await runMethod((context) => predictorSearch(context, predictor, spy, loop), synthetic.space, { seed: 1, budget: 40, backend: oracleBackend(synthetic.oracle), settings: {} });
    const stats = run.stats!;
    const queriedBefore = (iteration: number) => new Set(run.scheduler.launches.filter((l) => l.details.iteration < iteration).map((l) => l.key));
    offered.forEach((archs, i) => {
      const before = queriedBefore(i + 1);
      expect(archs.some((bits) => before.has(synthetic.space.key(bits)))).toBe(false);
      expect(archs).toHaveLength(4096 - before.size);
    });
    expect(stats.iterations).toBe(3);
  });

  it("rejects unknown methods, options and acquisitions that need a deviation", async () => {
    expect(() => resolveMethodOptions("predictor", { pools: "full" })).toThrow(/method predictor has no option pools \(options: predictor, predictorOptions, pool/);
    expect(() => resolveMethodOptions("predictor", { poolOptions: { parents: 0 } })).toThrow(/pool mutation: option poolOptions\.parents must be an integer >= 1, got 0/);
    expect(() => resolveMethodOptions("predictor", { predictor: "nope" })).toThrow(/option predictor must be one of ridge, mlp-ensemble, gcn/);
    await expect(runSearch(synthetic, { method: "predictor", seed: 0, budget: 20, options: resolveMethodOptions("predictor", { ...ridgeOnBits, acquisition: "its" }) })).rejects.toThrow(/standard deviation/);
    expect(() => resolveMethodOptions("nope" as Method)).toThrow(/unknown method/);
  });

  it("defaults to the ListMLE-trained GCN, and to the MLP ensemble on a space without a graph unless a predictor is named", async () => {
    const nasbench = await loadProblem({ space: DEFAULT_SPACE });
    const choices = spaceFileProblem(fileURLToPath(new URL("../evaluation/fixtures/space.json", import.meta.url))).space;
    expect(resolveMethodOptions("predictor", {}, sourceOf("test"), nasbench.space).predictor).toBe("gcn-listmle");
    const graphless = resolveMethodOptions("predictor", {}, sourceOf("test"), choices);
    expect(graphless).toMatchObject({ predictor: "mlp-ensemble", predictorOptions: { encoding: "onehot" } });
    expect(() => resolveMethodOptions("predictor", { predictor: "gcn-rank" }, sourceOf("test"), choices)).toThrow(/has no graph encoding/);
  });

  it("merges a method's own pool defaults under the given pool options, for its own pool only", () => {
    expect(resolveMethodOptions("bananas", { poolOptions: { parents: 3 } }).poolOptions).toEqual({ parents: 3, operator: "official", maxEdits: 3, mutationRate: 1 });
    expect(resolveMethodOptions("bananas", { pool: "random" }).poolOptions).toEqual({});
    expect(resolveMethodOptions("predictor", { pool: "full", poolSize: 5 })).not.toHaveProperty("poolSize");
  });
});

describe("search on the default space (NAS-Bench-101)", () => {
  it("runs every method through the same harness and records the options and every query", async () => {
    const problem = await loadProblem({ space: DEFAULT_SPACE });
    for (const [method, options] of [
      ["random", {}],
      ["evolution", {}],
      ["local", {}],
      ["predictor", { predictor: "ridge", pool: "mutation", poolSize: 300 }],
    ] as [Method, Record<string, unknown>][]) {
      const record = await runSearch(problem, { method, seed: 11, budget: 80, options: resolveMethodOptions(method, options) });
      expect(record.queries).toHaveLength(80);
      expect(new Set(record.queries.map((q) => q.key)).size).toBe(80);
      record.queries.forEach((q) => expect(q.truth).toBe(problem.truths[problem.space.enumeration.indexOfKey(q.key)]));
      expect(record.seed).toBe(11);
    }
  });

  it("with the full pool, a predictor finds good cells faster than random search", async () => {
    const problem = await loadProblem({ space: DEFAULT_SPACE });
    const seeds = [0, 1, 2, 3, 4, 5];
    const bestAt = (record: RunRecord, n: number) => Math.max(...record.queries.slice(0, n).map((q) => q.truth));
    const predictor = await Promise.all(seeds.map((seed) => runSearch(problem, { method: "predictor", seed, budget: 60, options: resolveMethodOptions("predictor", { predictor: "ridge", pool: "full" }) })));
    const random = await Promise.all(seeds.map((seed) => runSearch(problem, { method: "random", seed, budget: 60, options: resolveMethodOptions("random") })));
    const mean = (records: RunRecord[]) => records.reduce((sum, r) => sum + bestAt(r, 60), 0) / records.length;
    expect(mean(predictor)).toBeGreaterThan(mean(random));
    // The first ten queries are the same uniform draws for both methods.
    expect(predictor[0]!.queries.slice(0, 10).map((q) => q.key)).toEqual(random[0]!.queries.slice(0, 10).map((q) => q.key));
  }, 120_000);

  it("scores the full pool on worker threads with the same result, bit for bit, as in its own thread", async () => {
    const problem = await loadProblem({ space: DEFAULT_SPACE });
    const request = {
      method: "predictor" as const,
      seed: 5,
      budget: 30,
      options: resolveMethodOptions("predictor", { predictor: "mlp-ensemble", predictorOptions: { members: 2, epochs: 5 }, pool: "full", acquisition: "ucb" }),
    };
    const inThread = await runSearch(problem, request);
    const onWorkers = await runSearch(problem, { ...request, spaceScoring: { problem: problem.spec, workers: 2 } });
    expect(onWorkers.queries).toEqual(inThread.queries);
    expect(onWorkers.timing.predictorCalls).toBe(inThread.timing.predictorCalls);
    expect(inThread.queries.filter((q) => q.score !== undefined && q.scoreStd !== undefined)).toHaveLength(20);
  }, 120_000);
});
