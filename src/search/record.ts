/**
 * The record of one search run: what ran (method and every option, resolved), with which seed,
 * and every query in order. It is the unit the study stores (one JSON line per run) and the
 * sample efficiency metrics are computed from.
 */
import type { QueryRecord } from "../evaluation/evaluator.js";

export const RECORD_VERSION = 1;

export interface RunRecord {
  readonly version: typeof RECORD_VERSION;
  /** "predictor", "random", "evolution", "local" or "bananas". */
  readonly method: string;
  readonly space: string;
  /** The dataset, for a space that has several. */
  readonly dataset?: string;
  /** The metric the search observed and optimised (e.g. "test-mean", "test-repeat0"). */
  readonly objective: string;
  readonly seed: number;
  readonly budget: number;
  /** Every option of the method, defaults included (predictor, pool, pool size, k, n_init, acquisition, ...). */
  readonly options: Readonly<Record<string, unknown>>;
  /** Every query in order; `truth` is mean test accuracy, whatever the objective. */
  readonly queries: readonly QueryRecord[];
  readonly timing: {
    readonly totalMs: number;
    /** Time spent fitting predictors and generating/scoring candidate pools. */
    readonly fitMs: number;
    readonly poolMs: number;
    /** Architectures scored by the predictor, over the whole run. */
    readonly predictorCalls: number;
  };
  /** Present when the pool held fewer than the S candidates asked for in some iterations (it could produce no more). */
  readonly poolShortfall?: { readonly iterations: number; readonly fewestCandidates: number; readonly asked: number };
}

/** What a user should know about a run, beyond its queries: a pool that fell short of its size. */
export function runWarnings(record: Pick<RunRecord, "poolShortfall" | "options">): string[] {
  const short = record.poolShortfall;
  if (short === undefined) return [];
  return [
    `the ${String(record.options.pool)} pool held fewer than the ${short.asked} candidates asked for in ${short.iterations} iteration(s) ` +
      `(as few as ${short.fewestCandidates}): it could produce no more new architectures, so those iterations scored fewer than S`,
  ];
}

/** The query with the best observed value (the architecture the search would return), earliest on ties. */
export function bestQuery(record: Pick<RunRecord, "queries">): QueryRecord | undefined {
  let best: QueryRecord | undefined;
  for (const query of record.queries) if (best === undefined || query.value > best.value) best = query;
  return best;
}
