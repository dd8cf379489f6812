/**
 * Encodings of NAS-Bench-101 cells as predictor inputs.
 *
 * - `path` (BANANAS, White et al.): one bit per input-to-output path, labelled by the sequence of
 *   operations it passes through. A path through ops o_0 (nearest the input) .. o_{L-1} has index
 *   sum_i 3^i (label(o_i) + 1), labels conv3x3 0, conv1x1 1, maxpool 2: length-L paths occupy
 *   [(3^L - 1)/2, (3^(L+1) - 1)/2), so the 364 = 3^0 + ... + 3^5 bits cover every path of a
 *   7-vertex cell. BANANAS's default in naszilla truncates to the first 40 bits; prednas keeps all.
 * - `adjacency` (NASLib's `adjacency_one_hot`): the 21 upper-triangular entries of the 7x7 matrix
 *   row by row, then a one-hot of each of the 5 interior ops (maxpool [1,0,0], conv3x3 [0,1,0],
 *   conv1x1 [0,0,1]); 36 values. A cell of fewer than 7 vertices is padded as NASLib's
 *   `convert_to_cell` does: the output moves to vertex 6, the extra vertices get conv3x3 and no
 *   edges.
 * - `graph` (Neural Predictor, Wen et al.): the pruned matrix zero-padded to 7x7 (the output stays
 *   at vertex n-1; rows and columns n..6 are zero) and a one-hot feature row per vertex in the
 *   order [output, input, conv3x3, conv1x1, maxpool] (label + 2), zero rows for the padding, and
 *   the vertex count n so that pooling averages over real vertices only.
 */
import type { Catalogue } from "./catalogue.js";
import { MAX_VERTICES } from "./ops.js";

export const PATH_WIDTH = 364;
export const ADJACENCY_WIDTH = 36;
export const GRAPH_VERTICES = MAX_VERTICES;
export const GRAPH_FEATURES = 5;

/** The path-encoding bit indices of a cell (sorted, distinct). */
export function pathIndices(matrix: ArrayLike<number>, n: number, labels: ArrayLike<number>): number[] {
  const found = new Set<number>();
  // Depth-first over paths from the input; `index` and `scale` carry the partial path label.
  const walk = (vertex: number, index: number, scale: number): void => {
    for (let next = vertex + 1; next < n; next++) {
      if (!matrix[vertex * n + next]) continue;
      if (next === n - 1) found.add(index);
      else walk(next, index + scale * (labels[next]! + 1), scale * 3);
    }
  };
  walk(0, 0, 1);
  return [...found].sort((a, b) => a - b);
}

/** Path encodings of every cell of a catalogue, in compressed sparse rows. */
export interface PathTable {
  /** Cell i's path indices are `indices[offsets[i] .. offsets[i+1])`. */
  readonly offsets: Int32Array;
  readonly indices: Uint16Array;
}

export function buildPathTable(catalogue: Catalogue): PathTable {
  const offsets = new Int32Array(catalogue.size + 1);
  const parts: number[][] = [];
  let total = 0;
  for (let i = 0; i < catalogue.size; i++) {
    const paths = pathIndices(catalogue.matrix(i), catalogue.vertexCount(i), catalogue.labels(i));
    parts.push(paths);
    total += paths.length;
    offsets[i + 1] = total;
  }
  const indices = new Uint16Array(total);
  parts.forEach((paths, i) => indices.set(paths, offsets[i]!));
  return { offsets, indices };
}

/** Writes the adjacency encoding of a cell to `out[offset..offset+36)`. */
export function adjacencyEncodingInto(matrix: ArrayLike<number>, n: number, labels: ArrayLike<number>, out: Float32Array, offset: number): void {
  const N = MAX_VERTICES;
  // Vertex v of the cell sits at padded position place(v): the output moves to the last slot.
  const place = (v: number) => (v === n - 1 ? N - 1 : v);
  out.fill(0, offset, offset + ADJACENCY_WIDTH);
  let slot = 0;
  const padded = new Uint8Array(N * N);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (matrix[i * n + j]) padded[place(i) * N + place(j)] = 1;
  for (let i = 0; i < N - 1; i++) for (let j = i + 1; j < N; j++) out[offset + slot++] = padded[i * N + j]!;
  for (let v = 1; v < N - 1; v++) {
    const label = v < n - 1 ? labels[v]! : 0; // padding vertices are conv3x3
    // one-hot positions: maxpool 0, conv3x3 1, conv1x1 2
    const position = label === 2 ? 0 : label === 0 ? 1 : 2;
    out[offset + slot + 3 * (v - 1) + position] = 1;
  }
}

/** Writes the graph encoding of a cell: adjacency to `adjacency[a..a+49)`, features to `features[f..f+35)`. */
export function graphEncodingInto(
  matrix: ArrayLike<number>,
  n: number,
  labels: ArrayLike<number>,
  adjacency: Float32Array,
  a: number,
  features: Float32Array,
  f: number,
): void {
  const N = GRAPH_VERTICES;
  adjacency.fill(0, a, a + N * N);
  features.fill(0, f, f + N * GRAPH_FEATURES);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) if (matrix[i * n + j]) adjacency[a + i * N + j] = 1;
    features[f + i * GRAPH_FEATURES + labels[i]! + 2] = 1;
  }
}
