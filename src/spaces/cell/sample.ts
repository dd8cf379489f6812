/**
 * Random cells exactly as the official NAS-Bench-101 example code draws them, for any cell space.
 *
 * `randomSpec` is the colab's `random_spec()`: each entry of a V x V matrix is drawn from {0, 1}
 * (NumPy `np.random.choice`), the matrix is cut to its strict upper triangle (`np.triu(m, 1)`),
 * V ops are drawn from the available ones and the first and last are overwritten by input and
 * output; the draw is repeated until the spec is valid. With NASBENCH101_RULES (V = 7, three ops)
 * and a generator seeded by {@link MersenneTwister.numpy}, it returns the very specs
 * `np.random.seed(seed)` gives the colab.
 *
 * This is not uniform over cells: a cell with many unpruned representations (small cells) is
 * drawn more often. `Catalogue.sampleUniform` (NAS-Bench-101) and uniform.ts (any cell space)
 * sample the unique cells uniformly.
 */
import type { MersenneTwister } from "../../util/rng.js";
import { INPUT, OUTPUT, type CellRules } from "./rules.js";
import { isValid, ModelSpec } from "./spec.js";

export function randomSpec(rng: MersenneTwister, rules: CellRules): ModelSpec {
  const n = rules.vertices;
  const ops = rules.ops;
  while (true) {
    const matrix = new Uint8Array(n * n);
    for (let i = 0; i < n * n; i++) {
      const bit = rng.belowMasked(2);
      if (i % n > Math.floor(i / n)) matrix[i] = bit;
    }
    const drawn: string[] = [];
    for (let v = 0; v < n; v++) drawn.push(ops[rng.belowMasked(ops.length)]!);
    drawn[0] = INPUT;
    drawn[n - 1] = OUTPUT;
    const spec = ModelSpec.fromTrusted(matrix, drawn, rules);
    if (isValid(spec)) return spec;
  }
}
