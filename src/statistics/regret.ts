/**
 * Anytime quality of a search: the regret curve (how far the best architecture found so far is
 * from the global optimum, after each query) and the literature's headline number, the true
 * accuracy of the architecture a search would return after 150 queries.
 */
import { mean, sampleStandardDeviation } from "simple-statistics";
import type { QueryRecord } from "../evaluation/evaluator.js";
import { bestQuery, type RunRecord } from "../search/record.js";

/** The standard error of a mean; NaN for fewer than two values (no spread to estimate). */
export function standardError(values: readonly number[]): number {
  return values.length < 2 ? Number.NaN : sampleStandardDeviation([...values]) / Math.sqrt(values.length);
}

/**
 * Regret after n queries, for n = 1..budget (index n - 1): the optimum minus the best truth
 * among the first n queries. A run that stopped before the budget keeps its last value.
 */
export function regretCurve(queries: readonly Pick<QueryRecord, "truth">[], optimum: number, budget: number): Float64Array {
  const curve = new Float64Array(budget);
  let best = Number.NEGATIVE_INFINITY;
  for (let n = 1; n <= budget; n++) {
    const query = queries[n - 1];
    if (query !== undefined && query.truth > best) best = query.truth;
    curve[n - 1] = optimum - best;
  }
  return curve;
}

export interface MeanCurve {
  /** Index n - 1 holds the value after n queries. */
  readonly mean: Float64Array;
  readonly standardError: Float64Array;
}

/** Mean regret and its standard error across runs, after each of `budget` queries. */
export function meanRegretCurve(runs: readonly Pick<RunRecord, "queries">[], optimum: number, budget: number): MeanCurve {
  if (runs.length === 0) throw new RangeError("a mean regret curve needs at least one run");
  const curves = runs.map((run) => regretCurve(run.queries, optimum, budget));
  const result = { mean: new Float64Array(budget), standardError: new Float64Array(budget) };
  for (let i = 0; i < budget; i++) {
    const values = curves.map((curve) => curve[i]!);
    result.mean[i] = mean(values);
    result.standardError[i] = standardError(values);
  }
  return result;
}

export interface BestFound {
  /** The query count the best architecture was chosen within: min(requested, the shortest run). */
  readonly afterQueries: number;
  readonly runs: number;
  /** Mean over runs of the truth of the best-observed architecture among the first queries. */
  readonly meanTruth: number;
  readonly standardError: number;
  /** Runs whose chosen architecture is the global optimum. */
  readonly optimumFound: number;
  /** Mean test accuracy of the chosen architectures, when the runs record it beside a truth that is not (NAS-Bench-201: validation). */
  readonly meanTest?: number;
}

/**
 * The true accuracy of the architecture each run would return after `queries` queries (the best
 * by observed value, as a search cannot see the truth), averaged over runs.
 */
export function bestFoundAfter(runs: readonly Pick<RunRecord, "queries">[], optimum: number, queries = 150): BestFound {
  if (runs.length === 0) throw new RangeError("the best found needs at least one run");
  const afterQueries = Math.min(queries, ...runs.map((run) => run.queries.length));
  const chosen = runs.map((run) => bestQuery({ queries: run.queries.filter((q) => q.n <= afterQueries) })!);
  const truths = chosen.map((query) => query.truth);
  const tests = chosen.map((query) => query.test);
  return {
    afterQueries,
    runs: runs.length,
    meanTruth: mean(truths),
    standardError: standardError(truths),
    optimumFound: truths.filter((truth) => truth >= optimum).length,
    ...(tests.every((test) => test !== undefined) ? { meanTest: mean(tests as number[]) } : {}),
  };
}
