/**
 * Mutation as in the official NAS-Bench-101 example (`mutate_spec` of the colab, used by its
 * regularized evolution), for any cell space of V vertices: on the spec's original (unpruned)
 * V x V matrix, each of the V(V-1)/2 upper-triangular entries is flipped with probability rate/V,
 * then each of the V-2 interior ops is replaced with probability rate/(V-2) by one of the other
 * ops (`random.choice`); repeated until the result is valid. For NAS-Bench-101 (V = 7) and a
 * generator seeded by {@link MersenneTwister.python} it draws exactly what `random.seed(seed)`
 * makes the colab draw.
 *
 * The official code assumes a V-vertex original matrix. A smaller spec (a pruned cell from the
 * data table) is first padded to V vertices as NASLib and naszilla do (`convert_to_cell`): rows
 * and columns of the extra vertices are empty, the output moves to the last vertex, and the extra
 * vertices get the first op (conv3x3-bn-relu for NAS-Bench-101). The padding does not change the
 * cell (the extra vertices are pruned) but gives the mutation the same edge slots as for any other
 * cell.
 */
import type { MersenneTwister } from "../../util/rng.js";
import { isValid, ModelSpec } from "./spec.js";
import { InputError } from "../../util/errors.js";

export interface MutationOptions {
  /** Expected number of flipped edge slots (x 21/7) and changed ops; the official default is 1. */
  readonly rate?: number;
}

export function mutateSpec(spec: ModelSpec, rng: MersenneTwister, options: MutationOptions = {}): ModelSpec {
  const rate = options.rate ?? 1;
  if (!(rate > 0) || !Number.isFinite(rate)) throw new InputError(`the mutation rate must be a positive number, got ${rate}`);
  const n = spec.rules.vertices;
  const available = spec.rules.ops;
  const { matrix: original, ops: originalOps } = padToMaxVertices(spec);
  const edgeProbability = rate / n;
  const opProbability = rate / (n - 2);
  while (true) {
    const matrix = original.slice();
    const ops = [...originalOps];
    for (let src = 0; src < n - 1; src++) {
      for (let dst = src + 1; dst < n; dst++) {
        if (rng.random() < edgeProbability) matrix[src * n + dst] = 1 - matrix[src * n + dst]!;
      }
    }
    for (let v = 1; v < n - 1; v++) {
      if (rng.random() < opProbability) {
        ops[v] = rng.choice(available.filter((op) => op !== ops[v]));
      }
    }
    const mutated = ModelSpec.fromTrusted(matrix, ops, spec.rules);
    if (isValid(mutated)) return mutated;
  }
}

/**
 * The spec's original matrix and ops with V vertices: as given when it has V, padded (see the
 * module comment) when it has fewer. Throws for a spec of more than V original vertices.
 */
export function padToMaxVertices(spec: ModelSpec): { matrix: Uint8Array; ops: string[] } {
  const m = spec.originalVertices;
  const n = spec.rules.vertices;
  if (m === n) return { matrix: spec.originalMatrix, ops: [...spec.originalOps] };
  if (m > n) throw new InputError(`cannot mutate a spec of ${m} original vertices: the official mutation works on ${n}`);
  const matrix = new Uint8Array(n * n);
  for (let i = 0; i < m - 1; i++) {
    for (let j = 0; j < m - 1; j++) matrix[i * n + j] = spec.originalMatrix[i * m + j]!;
    matrix[i * n + (n - 1)] = spec.originalMatrix[i * m + (m - 1)]!;
  }
  const ops = [...spec.originalOps.slice(0, m - 1), ...Array<string>(n - m).fill(spec.rules.ops[0]!), spec.originalOps[m - 1]!];
  return { matrix, ops };
}
