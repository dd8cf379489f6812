import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CellSpace } from "../spaces/custom/cell.js";
import { ChoicesSpace, type ChoicesArch } from "../spaces/custom/choices.js";
import { AVAILABLE_OPS } from "../spaces/nasbench101/ops.js";
import { loadProblem } from "../spaces/registry.js";
import { bitStringProblem } from "../spaces/synthetic.js";
import type { Problem, SearchProblem, SearchSpace } from "../spaces/types.js";
import { seededRng } from "../util/rng.js";
import type { EvaluateFunction } from "../evaluation/evaluator.js";
import { resolveMethodOptions, runEvaluatedSearch, runSearch } from "./methods.js";
import type { RunRecord } from "./record.js";

const bestAfter = (record: RunRecord, queries: number) => Math.max(...record.queries.slice(0, queries).map((q) => q.truth));
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const digest = (record: RunRecord) => createHash("sha256").update(JSON.stringify(record.queries)).digest("hex");

/** Every architecture a parameterisation reads back is itself; `count` draws of the space. */
function expectRoundTrip<A>(space: SearchSpace<A>, count: number): void {
  const parameters = space.categorical!;
  const rng = seededRng(5);
  for (let i = 0; i < count; i++) {
    const arch = space.sampleUniform(rng);
    const values = parameters.valuesOf(arch);
    expect(values).toHaveLength(parameters.cardinalities.length);
    values.forEach((value, p) => expect(value >= 0 && value < parameters.cardinalities[p]!).toBe(true));
    expect(space.key(parameters.archOf(values)!)).toBe(space.key(arch));
  }
}

describe("spaces as categorical parameters", () => {
  it("NAS-Bench-201: six edges of five operations, every cell exactly", async () => {
    const { space } = await loadProblem({ space: "nasbench201" });
    const parameters = space.categorical!;
    expect(parameters.names).toEqual(["edge 0->1", "edge 0->2", "edge 1->2", "edge 0->3", "edge 1->3", "edge 2->3"]);
    expect(parameters.cardinalities).toEqual([5, 5, 5, 5, 5, 5]);
    for (let index = 0; index < space.enumeration.size; index++) {
      const cell = space.enumeration.at(index);
      expect(space.enumeration.indexOf(parameters.archOf(parameters.valuesOf(cell))!)).toBe(index);
    }
  });

  it("a space file's choices: one parameter per variable choice (constants are none)", () => {
    const space = new ChoicesSpace("net", { depth: [2, 3, 4], act: ["relu"], width: [8, 16] });
    expect(space.categorical.names).toEqual(["depth", "width"]);
    expect(space.categorical.cardinalities).toEqual([3, 2]);
    expect(space.describe(space.categorical.archOf([2, 1])!)).toEqual({ act: "relu", depth: 4, width: 16 });
    expectRoundTrip(space, 50);
  });

  it("cells (NAS-Bench-101 and a space file's): 21 adjacency bits and 5 operations; invalid values give no cell", async () => {
    const { space } = await loadProblem({ space: "nasbench101" });
    const parameters = space.categorical!;
    expect(parameters.cardinalities).toEqual([...Array(21).fill(2), ...Array(5).fill(3)]);
    expect(parameters.names.slice(0, 2)).toEqual(["edge 0->1", "edge 0->2"]);
    expect(parameters.names.at(-1)).toBe("op 5");
    expectRoundTrip(space, 300);
    // A pruned 3-vertex cell input -> conv -> output is padded: its output at vertex 6.
    const values = Array(26).fill(0);
    values[0] = 1; // 0 -> 1
    values[10] = 1; // 1 -> 6 (row 1 holds slots 6..10: 1->2 .. 1->6)
    const cell = parameters.archOf(values)!;
    expect(space.describe(cell)).toMatchObject({ matrix: [[0, 1, 0], [0, 0, 1], [0, 0, 0]], ops: ["input", "conv3x3-bn-relu", "output"] });
    expect(parameters.valuesOf(space.enumeration.at(space.enumeration.indexOfKey(space.key(cell))))).toEqual(values);
    // No edge: disconnected; every edge: 21 > 9 edges.
    expect(parameters.archOf(Array(26).fill(0))).toBeUndefined();
    expect(parameters.archOf([...Array(21).fill(1), 0, 0, 0, 0, 0])).toBeUndefined();
    const custom = new CellSpace("cells", { vertices: 5, maxEdges: 6, ops: ["a", "b", "c", "d"] });
    expect(custom.categorical.cardinalities).toEqual([...Array(10).fill(2), 4, 4, 4]);
    expectRoundTrip(custom, 200);
    const nb101Like = new CellSpace("nb101-like", { vertices: 7, maxEdges: 9, ops: [...AVAILABLE_OPS] });
    expect(nb101Like.key(nb101Like.categorical.archOf(values)!)).toBe(space.key(cell));
  });
});

describe("tpe on a synthetic space with a known best", () => {
  const synthetic = bitStringProblem(12, 0b101100111010);

  it.each(["multivariate", "univariate"])("%s: the budget exactly, no architecture twice, the same record for a seed, another for another seed", async (variant) => {
    const options = resolveMethodOptions("tpe", { variant });
    const first = await runSearch(synthetic, { method: "tpe", seed: 3, budget: 80, options });
    const again = await runSearch(synthetic, { method: "tpe", seed: 3, budget: 80, options });
    const other = await runSearch(synthetic, { method: "tpe", seed: 4, budget: 80, options });
    expect(first.queries).toHaveLength(80);
    expect(new Set(first.queries.map((q) => q.key)).size).toBe(80);
    expect(digest(again)).toBe(digest(first));
    expect(digest(other)).not.toBe(digest(first));
    expect(first.options).toEqual({ variant, startupTrials: 10, gamma: 0.1, maxGood: 25, priorWeight: 1, candidates: 24, constantLiar: true });
    // The startup trials are the uniform draws every method starts with.
    const random = await runSearch(synthetic, { method: "random", seed: 3, budget: 10, options: resolveMethodOptions("random") });
    expect(first.queries.slice(0, 10).map((q) => q.key)).toEqual(random.queries.map((q) => q.key));
    expect(first.queries.slice(10).every((q) => q.iteration > 0)).toBe(true);
  });

  it.each(["multivariate", "univariate"])("%s: a better best than random search after 100 queries, in mean over seeds 0-5", async (variant) => {
    const seeds = [0, 1, 2, 3, 4, 5];
    const best = (method: string, options: Record<string, unknown>) =>
      Promise.all(seeds.map(async (seed) => bestAfter(await runSearch(synthetic, { method, seed, budget: 100, options: resolveMethodOptions(method, options) }), 100)));
    const [tpe, random] = await Promise.all([best("tpe", { variant }), best("random", {})]);
    // The accuracy is 0.5 + 0.4 x (bits right) / 12: 0.0333 per bit.
    expect(mean(tpe) - mean(random)).toBeGreaterThan(0.02);
  });

  it("refuses a space without categorical parameters, with a message that says what to do", async () => {
    const { categorical: _none, ...withoutParameters } = synthetic.space as unknown as Record<string, unknown>;
    const space = Object.assign(Object.create(Object.getPrototypeOf(synthetic.space) as object) as object, withoutParameters) as unknown as typeof synthetic.space;
    await expect(runSearch({ ...synthetic, space } as Problem<number>, { method: "tpe", seed: 1, budget: 20, options: resolveMethodOptions("tpe") })).rejects.toThrow(
      /method tpe: the space bitstrings does not give its architectures as categorical parameters; use another method/,
    );
  });

  it("rejects options out of range with the option named", () => {
    expect(() => resolveMethodOptions("tpe", { gamma: 0 })).toThrow(/option gamma must be a number > 0 and <= 1, got 0/);
    expect(() => resolveMethodOptions("tpe", { variant: "joint" })).toThrow(/option variant must be one of multivariate, univariate/);
  });
});

describe("tpe with evaluations in flight", () => {
  const space = new ChoicesSpace("test-net", { depth: [1, 2, 3, 4, 5, 6], width: [8, 16, 32, 64, 128], act: ["relu", "gelu", "tanh"], lr: [0.001, 0.003, 0.01, 0.03] });
  const problem: SearchProblem<ChoicesArch> = { spec: { space: space.name, objective: "value" }, space, objective: "value", parse: (input) => space.parse(input) };
  const unit = (key: string) => createHash("sha256").update(`value:${key}`).digest().readUInt32BE(0) / 2 ** 32;
  /** Random durations, so that evaluations finish in another order each run; counts how many run at once. */
  function evaluator() {
    const state = { running: 0, peak: 0 };
    const evaluate: EvaluateFunction<ChoicesArch> = async (_arch, context) => {
      state.peak = Math.max(state.peak, ++state.running);
      await new Promise((resolve) => setTimeout(resolve, 1 + Math.random() * 8));
      state.running--;
      return { value: unit(context.key) };
    };
    return { evaluate, state };
  }
  const run = (options: Record<string, unknown>, parallel: number) => {
    const { evaluate, state } = evaluator();
    return runEvaluatedSearch(problem, { method: "tpe", seed: 3, budget: 60, options: resolveMethodOptions("tpe", options), evaluate, parallel }).then((record) => ({ record, state }));
  };
  const keys = (record: { evaluations: readonly { key: string }[] }) => record.evaluations.map((e) => e.key);

  it.each([{ variant: "multivariate" }, { variant: "univariate" }, { constantLiar: false }])("%j: N = 4 in flight, the same architectures whatever the timing", async (options) => {
    const runs = await Promise.all([0, 1, 2].map(() => run(options, 4)));
    for (const { record, state } of runs) {
      expect(state.peak).toBeLessThanOrEqual(4);
      expect(record.evaluations).toHaveLength(60);
      expect(new Set(keys(record)).size).toBe(60);
    }
    expect(runs.some(({ state }) => state.peak === 4)).toBe(true);
    expect(keys(runs[1]!.record)).toEqual(keys(runs[0]!.record));
    expect(keys(runs[2]!.record)).toEqual(keys(runs[0]!.record));
  });

  it("the constant liar changes the proposals only when something runs at a decision (N > 1)", async () => {
    const [liar1, honest1, liar4, honest4] = await Promise.all([run({}, 1), run({ constantLiar: false }, 1), run({}, 4), run({ constantLiar: false }, 4)]);
    expect(keys(honest1.record)).toEqual(keys(liar1.record));
    expect(keys(honest4.record)).not.toEqual(keys(liar4.record));
    expect(keys(liar4.record)).not.toEqual(keys(liar1.record));
  });
});

describe("tpe on the benchmark tables", () => {
  it("NAS-Bench-201 (CIFAR-10 validation): 150 distinct cells, better than random search on average (seeds 0-5)", async () => {
    const problem = await loadProblem({ space: "nasbench201" });
    const seeds = [0, 1, 2, 3, 4, 5];
    const tpe = await Promise.all(seeds.map((seed) => runSearch(problem, { method: "tpe", seed, budget: 150, options: resolveMethodOptions("tpe") })));
    const random = await Promise.all(seeds.map((seed) => runSearch(problem, { method: "random", seed, budget: 150, options: resolveMethodOptions("random") })));
    for (const record of tpe) expect(new Set(record.queries.map((q) => q.key)).size).toBe(150);
    expect(mean(tpe.map((r) => bestAfter(r, 150)))).toBeGreaterThan(mean(random.map((r) => bestAfter(r, 150))));
  });

  it("NAS-Bench-101 (multivariate and univariate): 100 distinct valid cells, each launched by TPE after the startup", async () => {
    const problem = await loadProblem({ space: "nasbench101" });
    for (const variant of ["multivariate", "univariate"]) {
      const record = await runSearch(problem, { method: "tpe", seed: 2, budget: 100, options: resolveMethodOptions("tpe", { variant }) });
      expect(new Set(record.queries.map((q) => q.key)).size).toBe(100);
      expect(record.queries.filter((q) => q.iteration > 0)).toHaveLength(90);
    }
  });
});
