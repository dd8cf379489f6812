/**
 * A random cell some edits away: each edit is uniform over the edits of the cell's (pruned) form,
 * flipping one edge slot or changing one op; only the final result is checked and identified, so
 * that several edits cost one hash. Used by NAS-Bench-101 and by space files' cells alike.
 */
import type { MersenneTwister } from "../../util/rng.js";
import { isValid, ModelSpec } from "./spec.js";

/**
 * Up to 200 tries at a valid cell `edits` random edits away from `spec` (a pruned form) that
 * `identify` does not call the cell itself (`isSelf`); undefined when every try failed.
 */
export function randomEditOf<T>(spec: ModelSpec, rng: MersenneTwister, edits: number, identify: (candidate: ModelSpec) => T, isSelf: (id: T) => boolean): T | undefined {
  const n = spec.vertices;
  const available = spec.rules.ops;
  const opEdits = (available.length - 1) * (n - 2);
  const edgeEdits = (n * (n - 1)) / 2;
  for (let attempt = 0; attempt < 200; attempt++) {
    const matrix = spec.matrix!.slice();
    const ops = [...spec.ops!];
    for (let e = 0; e < edits; e++) {
      const edit = rng.below(opEdits + edgeEdits);
      if (edit < opEdits) {
        const vertex = 1 + Math.floor(edit / (available.length - 1));
        ops[vertex] = available.filter((op) => op !== ops[vertex])[edit % (available.length - 1)]!;
      } else {
        let slot = edit - opEdits;
        let src = 0;
        while (slot >= n - 1 - src) slot -= n - 1 - src++;
        const at = src * n + src + 1 + slot;
        matrix[at] = 1 - matrix[at]!;
      }
    }
    const candidate = ModelSpec.fromTrusted(matrix, ops, spec.rules);
    if (!isValid(candidate)) continue;
    const id = identify(candidate);
    if (!isSelf(id)) return id;
  }
  return undefined;
}
