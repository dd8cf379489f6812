/**
 * Acquisition: which k candidates to query, given the predictor's mean (and deviation).
 * - `mean`: the k highest predicted means (the default of the predictor-based loop);
 * - `ucb`: the k highest mean + kappa * std;
 * - `its`: independent Thompson sampling as in BANANAS: one draw from N(mean, std) per
 *   candidate, the k highest draws.
 */
import { InputError } from "../util/errors.js";
import type { MersenneTwister } from "../util/rng.js";

export const ACQUISITIONS = ["mean", "ucb", "its"] as const;
export type Acquisition = (typeof ACQUISITIONS)[number];

export interface AcquisitionOptions {
  readonly acquisition: Acquisition;
  /** Weight of the deviation in `ucb`. */
  readonly ucbKappa: number;
}

/** Indices of the k largest values, largest first; ties go to the lower index. */
export function topIndices(values: ArrayLike<number>, k: number): number[] {
  const chosen: number[] = [];
  // A sorted buffer of at most k entries: O(n k), and k is small (10 by default).
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (chosen.length === k && !(value > values[chosen[k - 1]!]!)) continue;
    let at = chosen.length === k ? k - 1 : chosen.length;
    if (chosen.length < k) chosen.push(i);
    while (at > 0 && value > values[chosen[at - 1]!]!) {
      chosen[at] = chosen[at - 1]!;
      at--;
    }
    chosen[at] = i;
  }
  return chosen;
}

/** The candidates to query (indices into mean/std), best first. */
export function acquire(
  mean: Float64Array,
  std: Float64Array | undefined,
  k: number,
  rng: MersenneTwister,
  options: AcquisitionOptions,
): number[] {
  if (options.acquisition === "mean") return topIndices(mean, k);
  if (std === undefined) {
    throw new InputError(`the '${options.acquisition}' acquisition needs a predictor with a standard deviation (an ensemble); use 'mean'`);
  }
  const utility = new Float64Array(mean.length);
  if (options.acquisition === "ucb") {
    for (let i = 0; i < mean.length; i++) utility[i] = mean[i]! + options.ucbKappa * std[i]!;
  } else {
    for (let i = 0; i < mean.length; i++) utility[i] = mean[i]! + std[i]! * rng.normal();
  }
  return topIndices(utility, k);
}
