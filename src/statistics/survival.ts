/**
 * First-hit times and their Kaplan-Meier estimate. N_X, the query count at which a run first hits
 * the target, is observed only for runs that hit within their budget; the others are censored at
 * the number of queries they made (N_X is larger). Dropping them would flatter the method, so the
 * mean of N_X is estimated by the restricted mean under the Kaplan-Meier survival curve.
 *
 * Hand-written because no maintained npm package computes a Kaplan-Meier restricted mean (the
 * survival packages on npm are unmaintained or plot-only); the estimator is a few lines.
 */
import type { QueryRecord } from "../evaluation/evaluator.js";

/** One run's first-hit time: `hit` false means censored (no hit within `queries`). */
export interface FirstHit {
  readonly queries: number;
  readonly hit: boolean;
}

/** N_X of one run: the first query whose truth reaches the threshold, or censored at the last query. */
export function firstHit(queries: readonly Pick<QueryRecord, "n" | "truth">[], threshold: number): FirstHit {
  for (const query of queries) if (query.truth >= threshold) return { queries: query.n, hit: true };
  return { queries: queries.length, hit: false };
}

export interface RestrictedMean {
  /** The area under the Kaplan-Meier curve from 0 to the horizon: E[min(N, horizon)] when nothing is censored earlier. */
  readonly mean: number;
  /** The Kaplan-Meier survival S(horizon) = P(N > horizon): 0 when every run hit. */
  readonly survivalAtHorizon: number;
}

/**
 * The Kaplan-Meier restricted mean of first-hit times up to `horizon` (usually the budget B).
 * S(t) is the product over hit times t_i <= t of (1 - hits at t_i / runs still at risk at t_i);
 * a run censored at c is at risk up to and including c (hits at c count before censorings at c).
 * Times are query counts, so S is a step function and its area is a sum of rectangles.
 * With censored runs the curve ends above 0, and the restricted mean underestimates E[N]. Past
 * the last observed time (runs censored before the horizon) the curve is held at its last value.
 */
export function restrictedMean(observations: readonly FirstHit[], horizon: number): RestrictedMean {
  if (observations.length === 0) throw new RangeError("a restricted mean needs at least one run");
  // Hits before censorings at equal times: the run censored at c was seen not to hit up to c.
  const sorted = [...observations].sort((a, b) => a.queries - b.queries || Number(b.hit) - Number(a.hit));
  let atRisk = sorted.length;
  let survival = 1;
  let previousTime = 0;
  let area = 0;
  let i = 0;
  while (i < sorted.length && sorted[i]!.queries <= horizon) {
    const time = sorted[i]!.queries;
    let hits = 0;
    let leaving = 0;
    for (; i < sorted.length && sorted[i]!.queries === time; i++, leaving++) if (sorted[i]!.hit) hits++;
    area += survival * (time - previousTime);
    previousTime = time;
    survival *= 1 - hits / atRisk;
    atRisk -= leaving;
  }
  area += survival * (horizon - previousTime);
  return { mean: area, survivalAtHorizon: survival };
}
