/**
 * Minibatch schedules: every epoch a fresh seeded permutation of the training rows, cut into
 * batches, as Keras's `fit(shuffle=True)` and PyTorch's `DataLoader(shuffle=True)` do.
 */
import type { MersenneTwister } from "../util/rng.js";

/**
 * The batches of one epoch over `n` rows. The last, smaller batch is kept (Keras) unless
 * `dropLast` (PyTorch `drop_last=True`) drops it; with fewer rows than one batch and `dropLast`,
 * the epoch is a single batch of all rows rather than nothing.
 */
export function epochBatches(rng: MersenneTwister, n: number, size: number, dropLast: boolean): Int32Array[] {
  const order = Int32Array.from(rng.shuffle(Array.from({ length: n }, (_, i) => i)));
  if (n <= size) return [order];
  const batches: Int32Array[] = [];
  for (let start = 0; start + (dropLast ? size : 1) <= n; start += size) batches.push(order.subarray(start, Math.min(start + size, n)));
  return batches;
}
