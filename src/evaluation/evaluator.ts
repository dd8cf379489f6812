/**
 * What evaluates an architecture, in its library form: an async function from the architecture
 * (and the context of the attempt) to its result, a finite `value` (higher is better) and any
 * other metrics. It is the "expensive" real evaluation a search spends its budget on: a training
 * run in-process, a call to a cluster, a benchmark table. The command-line form (`--evaluate CMD`)
 * is commandBackend.ts; both run behind the evaluation backend (backend.ts).
 */

export interface EvaluationContext {
  /** The architecture's key (its identity in the space). */
  readonly key: string;
  /** The architecture's JSON form (the space's `describe`: a space file's choices as an object of name to value), what a command receives. */
  readonly json: unknown;
  /** 1 for the first attempt at this architecture, 2 for its retry, ... */
  readonly attempt: number;
  /** A seed for the attempt's own randomness, derived from the run's seed and the key. */
  readonly seed: number;
  /** The run directory, when the run has one. */
  readonly runDir?: string;
  /** Aborted when the attempt must stop (its timeout, or the run is interrupted). */
  readonly signal: AbortSignal;
}

export interface EvaluationResult {
  /** What the search optimises: higher is better (a search with `minimize` lowers it). */
  readonly value: number;
  /** Other metrics, kept in the record. */
  readonly [metric: string]: unknown;
}

export type EvaluateFunction<A> = (arch: A, context: EvaluationContext) => Promise<EvaluationResult>;

/** One evaluated architecture in the record of a run on a benchmark (search/record.ts). */
export interface QueryRecord {
  /** 1-based position of the evaluation in launch order (with no failures: the query count at which it was first evaluated). */
  readonly n: number;
  readonly key: string;
  readonly value: number;
  readonly truth: number;
  /** The architecture's test accuracy, when the truth is something else (NAS-Bench-201: validation). */
  readonly test?: number;
  /** Search iteration that chose it (0 for initial samples). */
  readonly iteration: number;
  /** The predictor's mean (and deviation) for it, when a predictor chose it. */
  readonly score?: number;
  readonly scoreStd?: number;
  /** The architecture as the space describes it: in the records `prednas search` writes, not in a study's (they stay compact). */
  readonly arch?: unknown;
}
