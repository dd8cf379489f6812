/**
 * Encodings of cells (rules.ts) as predictor inputs, for a space of V vertices and O interior
 * operations; NAS-Bench-101 (nasbench101/encodings.ts) is the instance V = 7, O = 3.
 *
 * - `path` (BANANAS, White et al.): one bit per input-to-output path, labelled by the sequence of
 *   operations it passes through. A path through ops o_0 (nearest the input) .. o_{L-1} has index
 *   sum_i O^i (label(o_i) + 1): length-L paths occupy [sum_{l<L} O^l, sum_{l<=L} O^l), so
 *   sum_{L=0}^{V-2} O^L bits cover every path (364 for NAS-Bench-101). BANANAS's default in
 *   naszilla truncates to the first 40 bits; prednas keeps all.
 * - `adjacency` (NASLib's `adjacency_one_hot`): the V(V-1)/2 upper-triangular entries of the V x V
 *   matrix row by row, then a one-hot of each of the V-2 interior ops. A cell of fewer than V
 *   vertices is padded as NASLib's `convert_to_cell` does: the output moves to vertex V-1, the
 *   extra vertices get the first op and no edges.
 * - `graph` (Neural Predictor, Wen et al.): the pruned matrix zero-padded to V x V (the output stays
 *   at vertex n-1; rows and columns n..V-1 are zero) and a one-hot feature row per vertex in the
 *   order [output, input, op 0, op 1, ...] (label + 2), zero rows for the padding, and the vertex
 *   count n so that pooling averages over real vertices only.
 */
import type { CellRules } from "./rules.js";

/** Bits of the path encoding of a space: one per possible path. */
export function pathWidth(rules: CellRules): number {
  let width = 0;
  for (let length = 0, count = 1; length <= rules.vertices - 2; length++, count *= rules.ops.length) width += count;
  return width;
}

export function adjacencyWidth(rules: CellRules): number {
  return (rules.vertices * (rules.vertices - 1)) / 2 + (rules.vertices - 2) * rules.ops.length;
}

/** Features of a vertex in the graph encoding: output, input and one per op. */
export function graphFeatures(rules: CellRules): number {
  return rules.ops.length + 2;
}

/** The path-encoding bit indices of a cell with `ops` interior operations (sorted, distinct). */
export function pathIndices(matrix: ArrayLike<number>, n: number, labels: ArrayLike<number>, ops: number): number[] {
  return pathIndicesInto(matrix, n, labels, ops, []);
}

/**
 * `pathIndices` into `out` (emptied first; returned): without a Set or a closure per cell, so that
 * the table of a whole space (423,624 NAS-Bench-101 cells, built by every scoring worker) takes
 * no garbage collection.
 */
export function pathIndicesInto(matrix: ArrayLike<number>, n: number, labels: ArrayLike<number>, ops: number, out: number[]): number[] {
  out.length = 0;
  walkPaths(matrix, n, labels, ops, 0, 0, 1, out);
  // Insertion sort (a cell has a few paths), then drop repeats: distinct paths can share their labels.
  for (let i = 1; i < out.length; i++) {
    const value = out[i]!;
    let j = i - 1;
    for (; j >= 0 && out[j]! > value; j--) out[j + 1] = out[j]!;
    out[j + 1] = value;
  }
  let distinct = 0;
  for (let i = 0; i < out.length; i++) if (i === 0 || out[i] !== out[i - 1]) out[distinct++] = out[i]!;
  out.length = distinct;
  return out;
}

/** Depth-first over paths from `vertex`; `index` and `scale` carry the partial path label. */
function walkPaths(matrix: ArrayLike<number>, n: number, labels: ArrayLike<number>, ops: number, vertex: number, index: number, scale: number, out: number[]): void {
  for (let next = vertex + 1; next < n; next++) {
    if (!matrix[vertex * n + next]) continue;
    if (next === n - 1) out.push(index);
    else walkPaths(matrix, n, labels, ops, next, index + scale * (labels[next]! + 1), scale * ops, out);
  }
}

/**
 * Writes the adjacency encoding of a cell to `out[offset..offset+adjacencyWidth)`; `position`
 * gives the one-hot position of each op label (NASLib orders NAS-Bench-101's ops its own way).
 */
export function adjacencyEncodingInto(
  matrix: ArrayLike<number>,
  n: number,
  labels: ArrayLike<number>,
  out: Float32Array,
  offset: number,
  rules: CellRules,
  position: (label: number) => number = (label) => label,
): void {
  const N = rules.vertices;
  const O = rules.ops.length;
  // Vertex v of the cell sits at padded position place(v): the output moves to the last slot.
  const place = (v: number) => (v === n - 1 ? N - 1 : v);
  out.fill(0, offset, offset + adjacencyWidth(rules));
  let slot = 0;
  const padded = new Uint8Array(N * N);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (matrix[i * n + j]) padded[place(i) * N + place(j)] = 1;
  for (let i = 0; i < N - 1; i++) for (let j = i + 1; j < N; j++) out[offset + slot++] = padded[i * N + j]!;
  for (let v = 1; v < N - 1; v++) {
    const label = v < n - 1 ? labels[v]! : 0; // padding vertices get the first op
    out[offset + slot + O * (v - 1) + position(label)] = 1;
  }
}

/** Writes the graph encoding of a cell: adjacency to `adjacency[a..a+V*V)`, features to `features[f..f+V*F)`. */
export function graphEncodingInto(
  matrix: ArrayLike<number>,
  n: number,
  labels: ArrayLike<number>,
  adjacency: Float32Array,
  a: number,
  features: Float32Array,
  f: number,
  rules: CellRules,
): void {
  const N = rules.vertices;
  const F = graphFeatures(rules);
  adjacency.fill(0, a, a + N * N);
  features.fill(0, f, f + N * F);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) if (matrix[i * n + j]) adjacency[a + i * N + j] = 1;
    features[f + i * F + labels[i]! + 2] = 1;
  }
}
