/**
 * Enumeration of the whole NAS-Bench-101 space as the official `generate_graphs.py` does it:
 * for V = 2..7, every bit mask of the V(V-1)/2 upper-triangular slots (edge x -> y at bit
 * x + y(y-1)/2), kept when every vertex but the last has an out-edge, every vertex but the first
 * an in-edge, and there are at most 9 edges; then every labelling of the V-2 interior vertices in
 * `itertools.product` order; each labelled graph is hashed and the first one seen with a hash is
 * the canonical form of its cell. 1,293,208 labelled graphs give 423,624 cells.
 *
 * The bit masks are split into chunks run on worker threads; chunks are merged in enumeration
 * order, so "first seen" means exactly what it means in the official single-threaded loop.
 */
import { defaultWorkerCount, siblingModule, WorkerPool } from "../../util/workerPool.js";
import { Catalogue, edgeBit, matrixFromEdgeMask, packLabels } from "./catalogue.js";
import { hashModuleInto, hashToHex } from "../cell/hash.js";
import { MAX_EDGES, MAX_VERTICES, NUM_OPS } from "./ops.js";

export interface EnumerationChunk {
  readonly vertices: number;
  readonly fromMask: number;
  readonly toMask: number;
}

/** The first-seen cells of one chunk, in enumeration order. */
export interface ChunkResult {
  readonly hashes: string[];
  readonly edgeMasks: Uint32Array;
  readonly labels: Uint16Array;
  /** Labelled graphs visited (before de-duplication). */
  readonly visited: number;
}

/** Whether every vertex but the last has an out-edge and every vertex but the first an in-edge. */
export function isFullDag(mask: number, n: number): boolean {
  for (let v = 0; v < n; v++) {
    let hasOut = v === n - 1;
    let hasIn = v === 0;
    for (let w = v + 1; w < n && !hasOut; w++) if ((mask >>> edgeBit(v, w)) & 1) hasOut = true;
    for (let u = 0; u < v && !hasIn; u++) if ((mask >>> edgeBit(u, v)) & 1) hasIn = true;
    if (!hasOut || !hasIn) return false;
  }
  return true;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

export function enumerateChunk(chunk: EnumerationChunk): ChunkResult {
  const n = chunk.vertices;
  const interior = n - 2;
  const labellings = NUM_OPS ** interior;
  const seen = new Set<string>();
  const hashes: string[] = [];
  const masks: number[] = [];
  const packedLabels: number[] = [];
  const matrix = new Uint8Array(n * n);
  const labels = new Int8Array(n);
  const key = new Uint32Array(4);
  let visited = 0;
  labels[0] = -1;
  labels[n - 1] = -2;
  for (let mask = chunk.fromMask; mask < chunk.toMask; mask++) {
    if (popcount(mask) > MAX_EDGES || !isFullDag(mask, n)) continue;
    matrixFromEdgeMask(mask, n, matrix);
    for (let labelling = 0; labelling < labellings; labelling++) {
      // itertools.product order: the last interior vertex varies fastest.
      let rest = labelling;
      for (let v = n - 2; v >= 1; v--) {
        labels[v] = rest % NUM_OPS;
        rest = Math.floor(rest / NUM_OPS);
      }
      visited++;
      hashModuleInto(matrix, n, labels, key);
      const hash = hashToHex(key);
      if (seen.has(hash)) continue;
      seen.add(hash);
      hashes.push(hash);
      masks.push(mask);
      packedLabels.push(packLabels(labels, n));
    }
  }
  return { hashes, edgeMasks: Uint32Array.from(masks), labels: Uint16Array.from(packedLabels), visited };
}

/** The chunks of the whole space, in enumeration order. */
export function enumerationChunks(chunksForLargest = 64): EnumerationChunk[] {
  const chunks: EnumerationChunk[] = [];
  for (let n = 2; n <= MAX_VERTICES; n++) {
    const total = 2 ** ((n * (n - 1)) / 2);
    const parts = n === MAX_VERTICES ? chunksForLargest : 1;
    for (let p = 0; p < parts; p++) {
      chunks.push({ vertices: n, fromMask: Math.floor((total * p) / parts), toMask: Math.floor((total * (p + 1)) / parts) });
    }
  }
  return chunks;
}

export interface EnumerationOptions {
  /** Worker threads; 0 runs on the calling thread. Default: one per core. */
  readonly workers?: number;
  /** Called after each finished chunk with the number of chunks done and in all. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface Enumeration {
  readonly catalogue: Catalogue;
  /** Labelled graphs visited: 1,293,208 for the full space. */
  readonly visited: number;
}

/** Merges chunk results in enumeration order, keeping the first form of every hash. */
export function mergeChunks(results: readonly ChunkResult[], chunks: readonly EnumerationChunk[]): Enumeration {
  const seen = new Set<string>();
  const vertices: number[] = [];
  const masks: number[] = [];
  const labels: number[] = [];
  const keys: number[] = [];
  let visited = 0;
  results.forEach((result, c) => {
    visited += result.visited;
    result.hashes.forEach((hash, i) => {
      if (seen.has(hash)) return;
      seen.add(hash);
      vertices.push(chunks[c]!.vertices);
      masks.push(result.edgeMasks[i]!);
      labels.push(result.labels[i]!);
      for (let k = 0; k < 4; k++) keys.push(Number.parseInt(hash.slice(8 * k, 8 * k + 8), 16));
    });
  });
  const catalogue = Catalogue.sorted(Uint32Array.from(keys), Uint8Array.from(vertices), Uint32Array.from(masks), Uint16Array.from(labels));
  return { catalogue, visited };
}

/** Enumerates the whole space (see the module comment). */
export async function enumerateSpace(options: EnumerationOptions = {}): Promise<Enumeration> {
  const workers = options.workers ?? defaultWorkerCount();
  const chunks = enumerationChunks();
  let done = 0;
  const finished = (result: ChunkResult): ChunkResult => {
    options.onProgress?.(++done, chunks.length);
    return result;
  };
  let results: ChunkResult[];
  if (workers === 0) {
    results = chunks.map((chunk) => finished(enumerateChunk(chunk)));
  } else {
    const pool = new WorkerPool<EnumerationChunk, ChunkResult>(siblingModule(import.meta.url, "enumerate.worker"), workers);
    try {
      results = await Promise.all(chunks.map((chunk) => pool.run(chunk).then(finished)));
    } finally {
      await pool.close();
    }
  }
  return mergeChunks(results, chunks);
}
