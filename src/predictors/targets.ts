/**
 * What the networks learn instead of raw accuracies: an affine image of them, accuracy =
 * offset + scale x output, fixed at fit time and stored with the snapshot.
 */

export interface TargetScale {
  readonly offset: number;
  readonly scale: number;
}

/** The z-score scale of the training accuracies: mean and population deviation (1 when all are equal). */
export function standardScale(accuracies: ArrayLike<number>): TargetScale {
  const n = accuracies.length;
  let offset = 0;
  for (let i = 0; i < n; i++) offset += accuracies[i]!;
  offset /= n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (accuracies[i]! - offset) ** 2;
  return { offset, scale: Math.sqrt(variance / n) || 1 };
}

/** The network's training targets for `accuracies`. */
export function targetsOf(accuracies: ArrayLike<number>, { offset, scale }: TargetScale): Float32Array {
  return Float32Array.from({ length: accuracies.length }, (_, i) => (accuracies[i]! - offset) / scale);
}
