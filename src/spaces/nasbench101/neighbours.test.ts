import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { MersenneTwister } from "../../util/rng.js";
import { neighbours } from "../cell/neighbours.js";
import { randomSpec } from "../cell/sample.js";
import { isValid, ModelSpec } from "../cell/spec.js";
import { NASBENCH101_RULES } from "./ops.js";

const SKIP = ModelSpec.from([[0, 1, 1], [0, 0, 1], [0, 0, 0]], ["input", "conv3x3-bn-relu", "output"], NASBENCH101_RULES);

describe("neighbours", () => {
  it("lists the one-edit neighbourhood of a small cell exactly", () => {
    const hashes = neighbours(SKIP).map((n) => n.hash).sort();
    const expected = [
      ModelSpec.from([[0, 1, 1], [0, 0, 1], [0, 0, 0]], ["input", "conv1x1-bn-relu", "output"], NASBENCH101_RULES), // op change
      ModelSpec.from([[0, 1, 1], [0, 0, 1], [0, 0, 0]], ["input", "maxpool3x3", "output"], NASBENCH101_RULES), // op change
      ModelSpec.from([[0, 1], [0, 0]], ["input", "output"], NASBENCH101_RULES), // drop 0->1 or 1->2: vertex 1 is pruned
      ModelSpec.from([[0, 1, 0], [0, 0, 1], [0, 0, 0]], ["input", "conv3x3-bn-relu", "output"], NASBENCH101_RULES), // drop the skip
    ].map((spec) => spec.hash());
    expect(hashes).toEqual(expected.sort());
  });

  it("returns distinct valid cells, never the cell itself, each one edit away", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
        const spec = randomSpec(MersenneTwister.numpy(seed), NASBENCH101_RULES);
        const found = neighbours(spec);
        const hashes = found.map((n) => n.hash);
        expect(new Set(hashes).size).toBe(hashes.length);
        expect(hashes).not.toContain(spec.hash());
        const n = spec.vertices;
        for (const neighbour of found) {
          expect(isValid(neighbour.spec)).toBe(true);
          // Each neighbour's original form differs from the pruned cell in one entry or one op.
          const original = neighbour.spec.original();
          let edits = 0;
          for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (original.matrix[i]![j] !== spec.matrix![i * n + j]) edits++;
          original.ops.forEach((op, v) => (edits += op === spec.ops![v] ? 0 : 1));
          expect(edits).toBe(1);
        }
      }),
      { numRuns: 100 },
    );
  });
});
