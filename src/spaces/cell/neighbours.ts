/**
 * The exact one-edit neighbourhood of a cell: every valid cell reached from its pruned form by
 * one edge flip (adding or removing an edge between two of its vertices) or one operation change
 * (an interior vertex to one of the other ops), de-duplicated by hash, the cell itself
 * excluded.
 *
 * Edits are taken on the pruned form because it is the cell's identity: two representations of
 * the same cell must have the same neighbourhood. Adding an edge to a vertex outside the pruned
 * form cannot reconnect it (that needs an in-edge and an out-edge, two edits), so nothing is lost.
 */
import { isValid, ModelSpec } from "./spec.js";

export interface Neighbour {
  readonly hash: string;
  readonly spec: ModelSpec;
}

export function neighbours(spec: ModelSpec): Neighbour[] {
  const own = spec.hash();
  const n = spec.vertices;
  const matrix = spec.matrix!;
  const ops = spec.ops!;
  const seen = new Set<string>([own]);
  const found: Neighbour[] = [];
  const consider = (candidate: ModelSpec): void => {
    if (!isValid(candidate)) return;
    const hash = candidate.hash();
    if (seen.has(hash)) return;
    seen.add(hash);
    found.push({ hash, spec: candidate });
  };
  for (let v = 1; v < n - 1; v++) {
    for (const op of spec.rules.ops) {
      if (op === ops[v]) continue;
      const changed = [...ops];
      changed[v] = op;
      consider(ModelSpec.fromTrusted(matrix, changed, spec.rules));
    }
  }
  for (let src = 0; src < n - 1; src++) {
    for (let dst = src + 1; dst < n; dst++) {
      const flipped = matrix.slice();
      flipped[src * n + dst] = 1 - flipped[src * n + dst]!;
      consider(ModelSpec.fromTrusted(flipped, ops, spec.rules));
    }
  }
  return found;
}
