/**
 * Random cells exactly as the official NAS-Bench-101 example code draws them.
 *
 * `randomSpec` is the colab's `random_spec()`: each entry of a 7x7 matrix is drawn from {0, 1}
 * (NumPy `np.random.choice`), the matrix is cut to its strict upper triangle (`np.triu(m, 1)`),
 * seven ops are drawn from the three available ones and the first and last are overwritten by
 * input and output; the draw is repeated until the spec is valid. With a generator seeded by
 * {@link MersenneTwister.numpy}, it returns the very specs `np.random.seed(seed)` gives the colab.
 *
 * This is not uniform over cells: a cell with many unpruned representations (small cells) is
 * drawn more often. `Catalogue.sampleUniform` samples the unique cells uniformly.
 */
import type { MersenneTwister } from "../../util/rng.js";
import { AVAILABLE_OPS, INPUT, MAX_VERTICES, OUTPUT } from "./ops.js";
import { isValid, ModelSpec } from "./spec.js";

export function randomSpec(rng: MersenneTwister): ModelSpec {
  const n = MAX_VERTICES;
  while (true) {
    const matrix = new Uint8Array(n * n);
    for (let i = 0; i < n * n; i++) {
      const bit = rng.belowMasked(2);
      if (i % n > Math.floor(i / n)) matrix[i] = bit;
    }
    const ops: string[] = [];
    for (let v = 0; v < n; v++) ops.push(AVAILABLE_OPS[rng.belowMasked(AVAILABLE_OPS.length)]!);
    ops[0] = INPUT;
    ops[n - 1] = OUTPUT;
    const spec = ModelSpec.fromTrusted(matrix, ops);
    if (isValid(spec)) return spec;
  }
}
