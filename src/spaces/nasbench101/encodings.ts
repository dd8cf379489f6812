/**
 * NAS-Bench-101's encodings (cell/encodings.ts with V = 7 and its three ops): the 364-bit path
 * encoding precomputed for every cell of the catalogue, NASLib's 36-value adjacency one-hot (ops
 * in NASLib's order: maxpool [1,0,0], conv3x3 [0,1,0], conv1x1 [0,0,1]), and the 7-vertex graph
 * with 5 features per vertex.
 */
import { adjacencyWidth, graphFeatures, pathIndicesInto, pathWidth } from "../cell/encodings.js";
import type { Catalogue } from "./catalogue.js";
import { MAX_VERTICES, NASBENCH101_RULES, NUM_OPS } from "./ops.js";

export const PATH_WIDTH = pathWidth(NASBENCH101_RULES);
export const ADJACENCY_WIDTH = adjacencyWidth(NASBENCH101_RULES);
export const GRAPH_VERTICES = MAX_VERTICES;
export const GRAPH_FEATURES = graphFeatures(NASBENCH101_RULES);

/** NASLib's one-hot position of each NAS-Bench-101 label (conv3x3 0, conv1x1 1, maxpool 2). */
export const NASLIB_POSITION = (label: number): number => (label === 2 ? 0 : label === 0 ? 1 : 2);

/** Path encodings of every cell of a catalogue, in compressed sparse rows. */
export interface PathTable {
  /** Cell i's path indices are `indices[offsets[i] .. offsets[i+1])`. */
  readonly offsets: Int32Array;
  readonly indices: Uint16Array;
}

export function buildPathTable(catalogue: Catalogue): PathTable {
  const offsets = new Int32Array(catalogue.size + 1);
  let indices = new Uint16Array(8 * catalogue.size);
  const paths: number[] = [];
  let total = 0;
  for (let i = 0; i < catalogue.size; i++) {
    pathIndicesInto(catalogue.matrix(i), catalogue.vertexCount(i), catalogue.labels(i), NUM_OPS, paths);
    if (total + paths.length > indices.length) {
      const bigger = new Uint16Array(2 * indices.length);
      bigger.set(indices);
      indices = bigger;
    }
    for (const path of paths) indices[total++] = path;
    offsets[i + 1] = total;
  }
  return { offsets, indices: indices.slice(0, total) };
}
