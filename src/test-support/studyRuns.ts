/** Run records for the study tests: real runs on the synthetic space, and hand-made ones. */
import { resolveMethodOptions, runSearch, type Method } from "../search/methods.js";
import type { QueryRecord } from "../evaluation/evaluator.js";
import type { RunRecord } from "../search/record.js";
import { bitStringProblem } from "../spaces/synthetic.js";
import type { FirstHit } from "../statistics/survival.js";
import { seededRng } from "../util/rng.js";

/** A 1,024-architecture space (bit strings of length 10) with a known best. */
export const SYNTHETIC = bitStringProblem(10, 0b1011001110);

/** Real runs of a method on SYNTHETIC, one per seed. */
export async function syntheticRuns(method: Method, options: Record<string, unknown>, seeds: readonly number[], budget: number): Promise<RunRecord[]> {
  const runs: RunRecord[] = [];
  const resolved = resolveMethodOptions(method, options);
  for (const seed of seeds) runs.push(await runSearch(SYNTHETIC, { method, seed, budget, options: resolved }));
  return runs;
}

/** A run that queried architectures with these truths (observed = truth unless `values` says otherwise), in order. */
export function handMadeRun(truths: readonly number[], overrides: Partial<RunRecord> = {}, values: readonly number[] = truths): RunRecord {
  const queries: QueryRecord[] = truths.map((truth, i) => ({ n: i + 1, key: `a${i}`, value: values[i]!, truth, iteration: 0 }));
  return {
    version: 1,
    method: "random",
    space: "nasbench101",
    objective: "test-mean",
    seed: 0,
    budget: truths.length,
    options: {},
    queries,
    timing: { totalMs: 0, fitMs: 0, poolMs: 0, predictorCalls: 0 },
    ...overrides,
  };
}

/**
 * First-hit times of simulated random search without replacement: architectures 0..targetSize-1
 * of a space of spaceSize are the target; each run is a uniform permutation cut at the budget.
 */
export function randomSearchFirstHits(spaceSize: number, targetSize: number, runs: number, budget: number, seed: number): FirstHit[] {
  const rng = seededRng(seed);
  const order = Array.from({ length: spaceSize }, (_, i) => i);
  return Array.from({ length: runs }, () => {
    const n = rng.shuffle(order).findIndex((a) => a < targetSize) + 1;
    return n <= budget ? { queries: n, hit: true } : { queries: budget, hit: false };
  });
}
