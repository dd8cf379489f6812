/**
 * An NB101-style cell as categorical parameters, the form in which NAS-Bench-101's paper (and
 * the tabular benchmarks of Klein and Hutter) hand the space to hyperparameter optimisers: one
 * binary parameter per entry above the diagonal of the V x V adjacency matrix (NAS-Bench-101: 21),
 * then one per interior vertex, its operation (5, each one of the space's ops). Used by
 * NAS-Bench-101 and by space files' cells alike.
 *
 * Values that give no cell of the space (input and output disconnected, too many edges or
 * vertices after pruning; `archOf` may refuse others) give undefined; the sampler decides what to do with them (TPE counts
 * them as the worst observations: search/tpe.ts). A cell written with fewer than V vertices (a
 * pruned form) is padded: its vertices but the output first, the output last, the padding
 * vertices without edges and with the first op (pruning removes them whatever their op).
 */
import type { CategoricalParameters } from "../types.js";
import { INPUT, OUTPUT, type CellRules } from "./rules.js";
import { isValid, ModelSpec } from "./spec.js";

export function cellParameters<A>(rules: CellRules, specOf: (arch: A) => ModelSpec, archOf: (spec: ModelSpec) => A | undefined): CategoricalParameters<A> {
  const V = rules.vertices;
  const slots: [number, number][] = [];
  for (let from = 0; from < V; from++) for (let to = from + 1; to < V; to++) slots.push([from, to]);
  const interior = Array.from({ length: V - 2 }, (_, i) => i + 1);
  return {
    names: [...slots.map(([from, to]) => `edge ${from}->${to}`), ...interior.map((v) => `op ${v}`)],
    cardinalities: [...slots.map(() => 2), ...interior.map(() => rules.ops.length)],
    valuesOf: (arch) => {
      const spec = specOf(arch);
      const original = spec.originalVertices <= V;
      const n = original ? spec.originalVertices : spec.vertices;
      const matrix = original ? spec.originalMatrix : spec.matrix!;
      const ops = original ? spec.originalOps : spec.ops!;
      // Vertex v of the n-vertex form sits at position v, its output at V - 1.
      const at = (v: number) => (v === n - 1 ? V - 1 : v);
      const padded = new Uint8Array(V * V);
      for (let from = 0; from < n; from++) for (let to = from + 1; to < n; to++) padded[at(from) * V + at(to)] = matrix[from * n + to]!;
      // A vertex pruning removes may carry an op outside the space's (a parsed cell's): it counts as the first.
      const labels = interior.map((v) => (v < n - 1 ? Math.max(rules.ops.indexOf(ops[v]!), 0) : 0));
      return [...slots.map(([from, to]) => padded[from * V + to]!), ...labels];
    },
    archOf: (values) => {
      const matrix = new Uint8Array(V * V);
      slots.forEach(([from, to], p) => (matrix[from * V + to] = values[p]!));
      const ops = [INPUT, ...interior.map((v) => rules.ops[values[slots.length + v - 1]!]!), OUTPUT];
      const spec = ModelSpec.fromTrusted(matrix, ops, rules);
      return isValid(spec) ? archOf(spec) : undefined;
    },
  };
}
