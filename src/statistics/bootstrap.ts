/**
 * The percentile bootstrap over runs: resample the runs with replacement, recompute the
 * statistics, and take the central quantiles of the recomputed values. Runs are the independent
 * replicates of a configuration, so they are what is resampled; censored runs stay in every
 * resample, as they are in the estimate.
 *
 * The loop is written here because the statistic (a Kaplan-Meier restricted mean, and the SEG
 * built on it) is ours; the draws and the quantiles come from simple-statistics. Every interval
 * takes a seed, so a report is reproducible to the digit.
 */
import { quantileSorted, sampleWithReplacement } from "simple-statistics";
import { seededRng } from "../util/rng.js";

export interface BootstrapOptions {
  /** Resamples drawn. */
  readonly resamples?: number;
  /** Coverage of the interval (0.95: the 2.5% and 97.5% quantiles). */
  readonly confidence?: number;
  readonly seed?: number;
}

export const BOOTSTRAP_DEFAULTS: Required<BootstrapOptions> = { resamples: 2000, confidence: 0.95, seed: 0 };

export interface Interval {
  readonly low: number;
  readonly high: number;
}

/**
 * Percentile intervals for several statistics computed from the same resamples (so that they
 * are consistent with one another): `statistics(resample)` returns one value per statistic.
 */
export function percentileBootstrap<T>(
  sample: readonly T[],
  statistics: (resample: readonly T[]) => readonly number[],
  options: BootstrapOptions = {},
): Interval[] {
  const { resamples, confidence, seed } = { ...BOOTSTRAP_DEFAULTS, ...options };
  if (sample.length === 0) throw new RangeError("a bootstrap needs at least one observation");
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`resamples must be a positive integer, got ${resamples}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  const rng = seededRng(seed);
  const draw = (): number => rng.random();
  const population = [...sample];
  const values: number[][] = [];
  for (let r = 0; r < resamples; r++) {
    statistics(sampleWithReplacement(population, population.length, draw)).forEach((value, i) => (values[i] ??= []).push(value));
  }
  const tail = (1 - confidence) / 2;
  return values.map((column) => {
    column.sort((a, b) => a - b);
    return { low: quantileSorted(column, tail), high: quantileSorted(column, 1 - tail) };
  });
}
