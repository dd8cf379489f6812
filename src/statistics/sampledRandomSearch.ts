/**
 * Random search's expected best on a space that cannot be listed (Accel-NASBench, about 1e11
 * architectures), estimated from a uniform sample of its truth: the exact E_RS(m) of
 * randomSearchCurve.ts needs the sorted table of every truth, which such a space has not.
 *
 * With the n sampled truths sorted best first, s_1 >= ... >= s_n, the best of m draws from the
 * sample's empirical law is s_k with probability ((n-k+1)/n)^m - ((n-k)/n)^m, so
 * E^(m) = sum_k s_k [((n-k+1)/n)^m - ((n-k)/n)^m]. Draws with and without replacement differ by
 * O(m^2 / N), nothing on a space of 1e11. The estimate is good while m is small beside n (it can
 * never exceed the sample's best); its standard error comes from a Poisson bootstrap: each
 * replicate weights the sorted sample by independent Poisson(1) counts, which keeps it sorted, so a
 * replicate costs one pass instead of a sort.
 */
import { MersenneTwister, seededRng } from "../util/rng.js";

export interface SampledExpectedBest {
  readonly m: number;
  readonly estimate: number;
  /** The bootstrap standard error of the estimate. */
  readonly standardError: number;
}

/** E^(m) of a sorted sample (best first) where the k-th value counts counts[k] times (all once by default). */
function expectedBest(sorted: Float64Array, m: number, counts?: Uint8Array): number {
  let total = sorted.length;
  if (counts !== undefined) {
    total = 0;
    for (let k = 0; k < counts.length; k++) total += counts[k]!;
  }
  let sum = 0;
  let above = 1; // ((total - before) / total)^m, before = count of better values
  let before = 0;
  for (let k = 0; k < sorted.length && above > 1e-300; k++) {
    before += counts === undefined ? 1 : counts[k]!;
    const below = ((total - before) / total) ** m;
    sum += sorted[k]! * (above - below);
    above = below;
  }
  return sum;
}

/** A Poisson(1) count by inversion (capped at 255, which has probability below 1e-300). */
function poissonOne(rng: MersenneTwister): number {
  let u = rng.random();
  let p = Math.exp(-1);
  let k = 0;
  while (u > p && k < 255) {
    u -= p;
    k++;
    p /= k;
  }
  return k;
}

/** E_RS(m) for each m, estimated from a uniform sample of the truth, with bootstrap standard errors (seeded). */
export function estimateExpectedBest(sample: ArrayLike<number>, ms: readonly number[], options: { readonly replicates?: number; readonly seed?: number } = {}): SampledExpectedBest[] {
  if (sample.length === 0) throw new RangeError("an estimate of random search's expected best needs a sample");
  const sorted = Float64Array.from(sample).sort().reverse();
  const replicates = options.replicates ?? 200;
  const rng = seededRng(options.seed ?? 0);
  const counts = new Uint8Array(sorted.length);
  const replicated = ms.map(() => new Float64Array(replicates));
  for (let r = 0; r < replicates; r++) {
    for (let k = 0; k < counts.length; k++) counts[k] = poissonOne(rng);
    ms.forEach((m, i) => (replicated[i]![r] = expectedBest(sorted, m, counts)));
  }
  return ms.map((m, i) => {
    const values = replicated[i]!;
    const mean = values.reduce((sum, v) => sum + v, 0) / replicates;
    const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (replicates - 1);
    return { m, estimate: expectedBest(sorted, m), standardError: Math.sqrt(variance) };
  });
}

/** The value that the best `fraction` of a sample reach (the threshold of a top-share target, ties in). */
export function topQuantile(sample: ArrayLike<number>, fraction: number): number {
  const sorted = Float64Array.from(sample).sort().reverse();
  return sorted[Math.max(0, Math.ceil(sorted.length * fraction) - 1)]!;
}
