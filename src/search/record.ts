/**
 * The record of one search run: what ran (method and every option, resolved), with which seed,
 * and every query in order. On a benchmark (`RunRecord`) it is the unit the study stores (one
 * JSON line per run) and the sample efficiency metrics are computed from. Evaluated by the user's
 * training (`EvaluationRunRecord`) it has no truths: it holds every evaluation with its result or
 * failure, how many attempts were spent and failed, and the best result.
 */
import type { QueryRecord } from "../evaluation/evaluator.js";
import type { Failure } from "../evaluation/failures.js";

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
  /** Present when the search ended before its budget because it found no architecture left to launch. */
  readonly exhausted?: SpaceExhaustion;
  /** Evaluations in flight at most, when more than one. */
  readonly parallel?: number;
}

/** One evaluation of a run evaluated by the user's training. */
export interface EvaluationRecord {
  /** 1-based position in launch order. */
  readonly n: number;
  readonly key: string;
  /** The architecture's JSON form. */
  readonly arch: unknown;
  /** Search iteration that chose it (0 for initial samples), and the predictor's score when one did. */
  readonly iteration: number;
  readonly score?: number;
  readonly scoreStd?: number;
  /** Attempts it took (retries included). */
  readonly attempts: number;
  /** The result's value as the evaluator gave it (never negated), and its other metrics. */
  readonly value?: number;
  readonly metrics?: Readonly<Record<string, unknown>>;
  /** Why it failed, for an evaluation that did: its last attempt's failure. */
  readonly failure?: Failure;
}

export interface EvaluationRunRecord {
  readonly version: typeof RECORD_VERSION;
  readonly kind: "evaluations";
  readonly method: string;
  readonly space: string;
  /** The space file, when the space came from one. */
  readonly spaceFile?: string;
  /** What evaluated: the command, or "function" for a library evaluation function. */
  readonly evaluator: string;
  /** The search minimised the values. */
  readonly minimize: boolean;
  readonly seed: number;
  /** Attempts the run could spend. */
  readonly budget: number;
  readonly options: Readonly<Record<string, unknown>>;
  readonly parallel: number;
  readonly retries: number;
  readonly evaluationTimeout?: number;
  /** Every evaluation launched, in launch order. */
  readonly evaluations: readonly EvaluationRecord[];
  readonly attempts: {
    /** Finished attempts (what the budget counts), the failed ones among them, and those reused from the journal. */
    readonly finished: number;
    readonly failed: number;
    readonly timedOut: number;
    readonly reused: number;
  };
  /** Evaluations that failed (after their retries). */
  readonly failed: number;
  /** The best evaluation (highest value, or lowest with `minimize`; earliest on ties). */
  readonly best?: EvaluationRecord;
  /** The most attempts this controller had running at once. */
  readonly peakInFlight: number;
  /** Set when the run was stopped before its budget was spent (SIGINT, SIGTERM). */
  readonly interrupted?: boolean;
  readonly timing: { readonly totalMs: number; readonly fitMs: number; readonly poolMs: number; readonly predictorCalls: number };
  readonly poolShortfall?: RunRecord["poolShortfall"];
  readonly exhausted?: SpaceExhaustion;
}

/** A search that ran out of architectures: how many distinct ones it launched, and the space's size when known. */
export interface SpaceExhaustion {
  readonly architectures: number;
  readonly spaceSize?: number;
}

/** The words for a search that ran out of architectures (the CLI prints them; exit status 0: the run is complete). */
export function exhaustionMessage(exhausted: SpaceExhaustion, budget: number): string {
  const why =
    exhausted.spaceSize === undefined || exhausted.architectures < exhausted.spaceSize
      ? `the search found no architecture it had not launched (${exhausted.spaceSize === undefined ? "the space's size is unknown" : `the space holds ${exhausted.spaceSize}`})`
      : "every architecture of the space was evaluated";
  return `the space is exhausted after ${exhausted.architectures} distinct architectures: ${why}, so the search ended before its budget of ${budget}`;
}

/** What a user should know about a run, beyond its queries: a pool that fell short of its size, a space that ran out. */
export function runWarnings(record: Pick<RunRecord, "poolShortfall" | "options" | "exhausted" | "budget">): string[] {
  const short = record.poolShortfall;
  return [
    ...(short === undefined
      ? []
      : [
          `the ${String(record.options.pool)} pool held fewer than the ${short.asked} candidates asked for in ${short.iterations} iteration(s) ` +
            `(as few as ${short.fewestCandidates}): it could produce no more new architectures, so those iterations scored fewer than S`,
        ]),
    ...(record.exhausted === undefined ? [] : [exhaustionMessage(record.exhausted, record.budget)]),
  ];
}

/** The query with the best observed value (the architecture the search would return), earliest on ties. */
export function bestQuery(record: Pick<RunRecord, "queries">): QueryRecord | undefined {
  let best: QueryRecord | undefined;
  for (const query of record.queries) if (best === undefined || query.value > best.value) best = query;
  return best;
}
