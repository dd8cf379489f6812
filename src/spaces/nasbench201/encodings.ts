/**
 * Encodings of NAS-Bench-201 cells as predictor inputs, as functions of a cell's six operation
 * codes (cell.ts numbering: 0 none, 1 skip_connect, 2 nor_conv_1x1, 3 nor_conv_3x3,
 * 4 avg_pool_3x3; edges in arch-string order e0 = 0->1, e1 = 0->2, e2 = 1->2, e3 = 0->3,
 * e4 = 1->3, e5 = 2->3).
 *
 * - `onehot` (NASLib's `encode_adjacency_one_hot` for NAS-Bench-201): a one-hot of each edge's
 *   operation, edge-major (feature 5 e + code); 30 values. The topology is fixed, so the
 *   operations are the whole cell.
 * - `path` (BANANAS, White et al.; NASLib's `encode_paths`): one bit per input-to-output path,
 *   labelled by its operations. The four paths are [e3], [e0, e4], [e1, e5], [e0, e2, e5]; a path
 *   through ops o_0 (nearest the input) .. o_{L-1} has index base_L + sum_j code(o_j) 5^j with
 *   base 0, 5, 30 for L = 1, 2, 3, so 155 = 5 + 25 + 125 bits. As in NASLib, paths through `none`
 *   are kept (they carry nothing, but the encoding is NASLib's), and the two length-2 paths share
 *   one range: a cell whose [e0, e4] and [e1, e5] carry the same ops sets 3 bits, not 4.
 * - `graph` (Neural Predictor, Wen et al.; NASLib's `encode_gcn_nasbench201`): NAS-Bench-201
 *   puts operations on edges, a GCN wants them on vertices, so each edge becomes a vertex: 0 the
 *   input, 1..6 the edges e0..e5, 7 the output. An edge-vertex feeds the edge-vertices leaving
 *   its target node, the edges into node 3 feed the output. Features are a one-hot of 7: the
 *   operation code (0..4), then input (5), then output (6). Every cell has all 8 vertices.
 */
import { EDGES, OPERATIONS } from "./cell.js";

const OPS = OPERATIONS.length;

export const ONEHOT_WIDTH = EDGES * OPS;
export const PATH_WIDTH = OPS + OPS ** 2 + OPS ** 3;
export const GRAPH_VERTICES = EDGES + 2;
export const GRAPH_FEATURES = OPS + 2;

/** The input-to-output paths as edge lists, input side first, in NASLib's order. */
export const PATHS: readonly (readonly number[])[] = [[3], [0, 4], [1, 5], [0, 2, 5]];

/** Where each path's index range starts: NASLib offsets by path position, not by length alone. */
const PATH_BASES = [0, OPS, OPS, OPS + OPS ** 2];

/** The fixed line-graph adjacency, as [from, to] vertices. */
export const GRAPH_ARCS: readonly (readonly [number, number])[] = [
  [0, 1],
  [0, 2],
  [0, 4],
  [1, 3],
  [1, 5],
  [2, 6],
  [3, 6],
  [4, 7],
  [5, 7],
  [6, 7],
];

const INPUT_FEATURE = OPS;
const OUTPUT_FEATURE = OPS + 1;

/** Writes the one-hot encoding of a cell to `out[offset..offset+30)`. */
export function onehotEncodingInto(codes: readonly number[], out: Float32Array, offset: number): void {
  out.fill(0, offset, offset + ONEHOT_WIDTH);
  for (let edge = 0; edge < EDGES; edge++) out[offset + edge * OPS + codes[edge]!] = 1;
}

/** The path-encoding bit index of each path of PATHS, in that order (two may coincide). */
export function pathIndices(codes: readonly number[]): number[] {
  return PATHS.map((path, p) => path.reduce((index, edge, j) => index + codes[edge]! * OPS ** j, PATH_BASES[p]!));
}

/** Writes the path encoding of a cell to `out[offset..offset+155)`. */
export function pathEncodingInto(codes: readonly number[], out: Float32Array, offset: number): void {
  out.fill(0, offset, offset + PATH_WIDTH);
  for (const index of pathIndices(codes)) out[offset + index] = 1;
}

/** Writes the graph encoding of a cell: adjacency to `adjacency[a..a+64)`, features to `features[f..f+56)`. */
export function graphEncodingInto(codes: readonly number[], adjacency: Float32Array, a: number, features: Float32Array, f: number): void {
  const V = GRAPH_VERTICES;
  adjacency.fill(0, a, a + V * V);
  for (const [from, to] of GRAPH_ARCS) adjacency[a + from * V + to] = 1;
  features.fill(0, f, f + V * GRAPH_FEATURES);
  features[f + INPUT_FEATURE] = 1;
  for (let edge = 0; edge < EDGES; edge++) features[f + (edge + 1) * GRAPH_FEATURES + codes[edge]!] = 1;
  features[f + (V - 1) * GRAPH_FEATURES + OUTPUT_FEATURE] = 1;
}
