/**
 * A search whose space runs out before its budget (36 architectures, budget 37) ends, with every
 * architecture evaluated once and the record saying so, for every method and every pool that
 * draws its candidates.
 */
import { describe, expect, it } from "vitest";
import { poolFactory, POOL_NAMES } from "../pools/registry.js";
import { ChoicesSpace, type ChoicesArch } from "../spaces/custom/choices.js";
import type { SearchProblem } from "../spaces/types.js";
import { METHODS, resolveMethodOptions, runEvaluatedSearch } from "./methods.js";
import { exhaustionMessage, runWarnings } from "./record.js";

const space = new ChoicesSpace("tiny", { a: [1, 2, 3, 4, 5, 6], b: [1, 2, 3, 4, 5, 6] });
const problem: SearchProblem<ChoicesArch> = { spec: { space: space.name, objective: "value" }, space, objective: "value", parse: (input) => space.parse(input) };
const evaluate = async (arch: ChoicesArch) => ({ value: (Number(arch[0]) * 7 + Number(arch[1]) * 3) % 11 });

const drawingPools = POOL_NAMES.filter((pool) => !poolFactory(pool).wholeSpace);
/** Each method with its default pool and predictor, the predictor made small (what is tested is the loop's end, not the fit). */
const METHOD_OPTIONS: Readonly<Record<string, Record<string, unknown>>> = {
  evolution: { populationSize: 8, tournamentSize: 3 },
  predictor: { predictorOptions: { members: 2, layers: 2, epochs: 5 } },
  bananas: { predictorOptions: { members: 2, layers: 2, epochs: 5 } },
};
const runs: [string, Record<string, unknown>][] = [
  ...METHODS.map((method): [string, Record<string, unknown>] => [method, METHOD_OPTIONS[method] ?? {}]),
  ...drawingPools.map((pool): [string, Record<string, unknown>] => ["predictor", { predictor: "ridge", pool, poolSize: 20, initialSamples: 5, batchSize: 4 }]),
];

describe("a space that runs out before the budget", () => {
  it.each(runs)("%s %j ends after every architecture, and says so", async (method, options) => {
    const record = await runEvaluatedSearch(problem, { method, seed: 1, budget: 37, parallel: 2, options: resolveMethodOptions(method, options, undefined, space as never), evaluate });
    const keys = record.evaluations.map((e) => e.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(record.exhausted).toEqual({ architectures: 36, spaceSize: 36 });
    expect(keys).toHaveLength(36);
    expect(record.attempts.finished).toBe(36);
    expect(runWarnings(record)).toContain(exhaustionMessage(record.exhausted!, 37));
  });

  it("a run that does not run out says nothing of it", async () => {
    const record = await runEvaluatedSearch(problem, { method: "random", seed: 1, budget: 36, options: resolveMethodOptions("random", {}), evaluate });
    expect(record.evaluations).toHaveLength(36);
    expect(record.exhausted).toBeUndefined();
  });
});
