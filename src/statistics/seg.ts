/**
 * The sample efficiency gain (docs/study.md): SEG_T(X) = E[N_RS] / E[N_X], with E[N_RS] exact and
 * E[N_X] estimated from the runs of one configuration.
 *
 * E[N_X] is the Kaplan-Meier restricted mean up to the budget B. When runs are censored it
 * underestimates E[N_X], so that SEG is an upper bound (`upperBound`). Beside it stands a
 * conservative companion that is always a finite, honest number: the SEG of "X for B queries,
 * then random search", whose mean is E[min(N_X, B)] + P(N_X > B) (|A| - B + 1) / (|T| + 1)
 * (random search over the |A| - B architectures not yet queried, all of T among them). The two
 * coincide when no run is censored and bracket the claim otherwise.
 */
import { percentileBootstrap, type BootstrapOptions, type Interval } from "./bootstrap.js";
import { restrictedMean, type FirstHit } from "./survival.js";
import type { TargetSet } from "./targets.js";

export interface SampleEfficiency {
  readonly runs: number;
  readonly hits: number;
  readonly hitRate: number;
  /** B: the budget the restricted mean is taken up to. */
  readonly budget: number;
  /** The Kaplan-Meier restricted mean of N_X up to B (an underestimate when runs are censored). */
  readonly meanQueries: number;
  /** E[N_RS] / meanQueries, with its percentile bootstrap interval. */
  readonly seg: number;
  readonly segInterval: Interval;
  /** Some run is censored: `seg` is an upper bound. */
  readonly upperBound: boolean;
  /** The SEG if censored runs went on as random search (equals `seg` when none is censored). */
  readonly fallbackSeg: number;
  readonly fallbackSegInterval: Interval;
}

/** SEG and the fallback SEG of one set of first-hit times. */
function gains(observations: readonly FirstHit[], target: TargetSet, budget: number): { meanQueries: number; seg: number; fallbackSeg: number } {
  const { mean, survivalAtHorizon } = restrictedMean(observations, budget);
  const afterBudget = (target.spaceSize - budget + 1) / (target.size + 1);
  return {
    meanQueries: mean,
    seg: target.randomSearchQueries / mean,
    fallbackSeg: target.randomSearchQueries / (mean + survivalAtHorizon * afterBudget),
  };
}

/** The sample efficiency of a configuration's runs (their first-hit times) for one target. */
export function sampleEfficiency(observations: readonly FirstHit[], target: TargetSet, budget: number, bootstrap: BootstrapOptions = {}): SampleEfficiency {
  const estimate = gains(observations, target, budget);
  const [segInterval, fallbackSegInterval] = percentileBootstrap(
    observations,
    (resample) => {
      const { seg, fallbackSeg } = gains(resample, target, budget);
      return [seg, fallbackSeg];
    },
    bootstrap,
  ) as [Interval, Interval];
  const hits = observations.filter((o) => o.hit).length;
  return {
    runs: observations.length,
    hits,
    hitRate: hits / observations.length,
    budget,
    meanQueries: estimate.meanQueries,
    seg: estimate.seg,
    segInterval,
    upperBound: hits < observations.length,
    fallbackSeg: estimate.fallbackSeg,
    fallbackSegInterval,
  };
}
