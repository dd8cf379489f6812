/**
 * SEG at a budget (docs/study.md), the study's primary, censoring-free figure:
 * SEG_n(X) = n_RS(q_X(n)) / n, with q_X(n) the mean over runs of the truth of the architecture a
 * run would return after n queries (the best by observed value: a search cannot see the truth)
 * and n_RS random search's exact queries to the same expected truth (randomSearchCurve.ts). It is
 * the horizontal distance between X's regret curve and random search's on a log axis. Its 95%
 * interval is the percentile bootstrap over runs.
 */
import type { RunRecord } from "../search/record.js";
import { bestQuery } from "../search/record.js";
import { percentileBootstrap, type BootstrapOptions, type Interval } from "./bootstrap.js";
import type { RandomSearchCurve } from "./randomSearchCurve.js";

export interface SegAtBudget {
  /** n: the queries the runs are judged after. */
  readonly queries: number;
  readonly runs: number;
  /** q_X(n): mean truth of the returned architectures. */
  readonly meanBestTruth: number;
  /** n_RS(q_X(n)). */
  readonly randomSearchQueries: number;
  readonly seg: number;
  readonly interval: Interval;
}

/** The truth of the architecture a run returns after n queries (best observed, earliest on ties). */
export function returnedTruth(run: Pick<RunRecord, "queries">, n: number): number {
  return bestQuery({ queries: run.queries.filter((query) => query.n <= n) })!.truth;
}

/** SEG_n of a configuration's runs at each n (each n at most every run's length). */
export function segAtBudgets(runs: readonly Pick<RunRecord, "queries">[], budgets: readonly number[], curve: RandomSearchCurve, bootstrap: BootstrapOptions = {}): SegAtBudget[] {
  if (runs.length === 0) throw new RangeError("SEG at a budget needs at least one run");
  const truths = runs.map((run) => budgets.map((n) => returnedTruth(run, n)));
  const segs = (sample: readonly (readonly number[])[]) =>
    budgets.map((n, j) => curve.queriesFor(sample.reduce((sum, row) => sum + row[j]!, 0) / sample.length) / n);
  const intervals = percentileBootstrap(truths, segs, bootstrap);
  const point = segs(truths);
  return budgets.map((n, j) => {
    const meanBestTruth = truths.reduce((sum, row) => sum + row[j]!, 0) / truths.length;
    return { queries: n, runs: runs.length, meanBestTruth, randomSearchQueries: curve.queriesFor(meanBestTruth), seg: point[j]!, interval: intervals[j]! };
  });
}

/** The budgets SEG_n is reported at: 50, 100, 150 and B (those within B, once each). */
export function reportedBudgets(budget: number): number[] {
  return [...new Set([50, 100, 150, budget].filter((n) => n <= budget))].sort((a, b) => a - b);
}
