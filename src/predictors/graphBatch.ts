/**
 * Graphs in the form the directed GCN (gcnNetwork.ts) computes on: no padding, one row per real
 * vertex of every graph of a batch, and the neighbourhood averages as message lists.
 *
 * Why message lists: each layer multiplies every graph's features by its own 7x7 matrices
 * rownorm(A + I) and rownorm(A^T + I). tfjs-wasm has no fast batched matMul (its 3-D matMul is a
 * naive loop, ~15x slower than the product with the weights), but its SparseSegmentMean kernel
 * averages arbitrary lists of rows in one pass: row r of rownorm(A + I) H is the mean of H over r
 * and its successors. With ~2.2 list entries per row the averages take about a quarter of a
 * prediction's time (the weight products most of the rest), where the batched matMul took longer
 * than the products themselves.
 *
 * A layer computes G = H [Wf | Wb] in one product and reads G as twice as many rows of half the
 * width (row 2s: vertex s's forward product, 2s + 1: its backward product); one list then yields
 * both averages, stacked: the successor means of the forward rows, then the predecessor means of
 * the backward rows.
 *
 * The first layer's input, rownorm(A + I) X and rownorm(A^T + I) X, is computed here in plain
 * TypeScript. For a prediction batch its distinct rows are kept once (a "table": 1,593 distinct
 * rows in the whole of NAS-Bench-101, against 2.9 million vertices), which makes the second
 * layer's weight product almost free; that layer's list then reads the table's products.
 */
import type { GraphEncoding } from "../spaces/types.js";

/** Averages over lists of rows: target `targets[k]` receives source `sources[k]`, targets ascending. */
export interface MessageList {
  readonly sources: Int32Array;
  readonly targets: Int32Array;
  /** 1 / (list length) per target: what the mean divides by. */
  readonly inverseCounts: Float32Array;
}

export interface GraphBatch {
  readonly graphs: number;
  /** Vertex rows, graph after graph. */
  readonly rows: number;
  readonly features: number;
  /** First-layer inputs per table row: rownorm(A + I) X (`forward`) and rownorm(A^T + I) X (`backward`). */
  readonly table: { readonly rows: number; readonly forward: Float32Array; readonly backward: Float32Array };
  /**
   * A layer's two averages over its product G read as 2 x rows rows: target r < rows averages
   * rows 2s for s in {r} and r's successors, target rows + r averages rows 2s + 1 for s in {r} and
   * r's predecessors.
   */
  readonly convolution: MessageList;
  /** `convolution`'s sources for a product of the table's rows (2 t and 2 t + 1 for table row t). */
  readonly convolutionTableSources: Int32Array;
  /** Whether equal first-layer rows share a table row (prediction) or every vertex has its own (training). */
  readonly deduplicated: boolean;
  /**
   * `convolution` transposed (targets and sources swapped, sorted by the new targets), for the
   * backward pass: only in batches that are not deduplicated.
   */
  readonly convolutionTransposed?: { readonly sources: Int32Array; readonly targets: Int32Array };
  /** Graph g's list: its vertex rows (the readout's mean). */
  readonly readout: MessageList;
}

/** A set of architectures encoded once as padded graphs; batches are cut from it by index. */
export class GraphSet<A> {
  readonly size: number;
  private readonly adjacency: Float32Array;
  private readonly vertexFeatures: Float32Array;
  private readonly vertexCounts: Float32Array;
  private readonly vertices: number;
  private readonly features: number;

  constructor(encoding: GraphEncoding<A>, archs: readonly A[]) {
    this.size = archs.length;
    this.vertices = encoding.vertices;
    this.features = encoding.features;
    this.adjacency = new Float32Array(archs.length * this.vertices * this.vertices);
    this.vertexFeatures = new Float32Array(archs.length * this.vertices * this.features);
    this.vertexCounts = new Float32Array(archs.length);
    encoding.encode(archs, this.adjacency, this.vertexFeatures, this.vertexCounts);
  }

  /**
   * The batch of graphs `graphs` (indices into the set, in batch order). The real vertices of a
   * graph are its first `vertexCount` vertices (GraphEncoding pads after them). With
   * `deduplicate`, equal first-layer input rows share one table row.
   */
  batch(graphs: ArrayLike<number>, deduplicate: boolean): GraphBatch {
    const V = this.vertices;
    const F = this.features;
    const { adjacency, vertexCounts, vertexFeatures } = this;
    let rows = 0;
    let edges = 0;
    for (let b = 0; b < graphs.length; b++) {
      const g = graphs[b]!;
      const n = vertexCounts[g]!;
      if (!(n >= 1 && n <= V && Number.isInteger(n))) throw new Error(`graph ${g} has ${n} vertices (expected 1 to ${V})`);
      rows += n;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j && adjacency[g * V * V + i * V + j]) edges++;
    }
    // Every row's successor list (itself, then its successors), then every row's predecessor list.
    const size = 2 * (rows + edges);
    const convolution = { sources: new Int32Array(size), targets: new Int32Array(size), inverseCounts: new Float32Array(2 * rows) };
    const readout = { sources: new Int32Array(rows), targets: new Int32Array(rows), inverseCounts: new Float32Array(graphs.length) };
    const table = new RowInterner(2 * F, deduplicate);
    const tableIndex = new Int32Array(rows);
    let forwardAt = 0;
    let backwardAt = rows + edges;
    let row = 0;
    for (let b = 0; b < graphs.length; b++) {
      const g = graphs[b]!;
      const n = vertexCounts[g]!;
      const a = g * V * V;
      const x = g * V * F;
      readout.inverseCounts[b] = 1 / n;
      for (let i = 0; i < n; i++, row++) {
        const first = row - i;
        readout.sources[row] = row;
        readout.targets[row] = b;
        // Successors: forward halves (2s) of i and its successors, each feature averaged in list order.
        const forwardStart = forwardAt;
        for (let j = 0; j < n; j++) {
          if (j !== i && !adjacency[a + i * V + j]) continue;
          convolution.sources[forwardAt] = 2 * (first + j);
          convolution.targets[forwardAt++] = row;
        }
        const backwardStart = backwardAt;
        for (let j = 0; j < n; j++) {
          if (j !== i && !adjacency[a + j * V + i]) continue;
          convolution.sources[backwardAt] = 2 * (first + j) + 1;
          convolution.targets[backwardAt++] = rows + row;
        }
        convolution.inverseCounts[row] = 1 / (forwardAt - forwardStart);
        convolution.inverseCounts[rows + row] = 1 / (backwardAt - backwardStart);
        for (let f = 0; f < F; f++) {
          let forwardSum = 0;
          for (let k = forwardStart; k < forwardAt; k++) forwardSum += vertexFeatures[x + ((convolution.sources[k]! >> 1) - first) * F + f]!;
          let backwardSum = 0;
          for (let k = backwardStart; k < backwardAt; k++) backwardSum += vertexFeatures[x + ((convolution.sources[k]! >> 1) - first) * F + f]!;
          table.row[f] = forwardSum / (forwardAt - forwardStart);
          table.row[F + f] = backwardSum / (backwardAt - backwardStart);
        }
        tableIndex[row] = table.intern();
      }
    }
    const { count, values } = table.finish();
    const forward = new Float32Array(count * F);
    const backward = new Float32Array(count * F);
    for (let t = 0; t < count; t++) {
      forward.set(values.subarray(2 * F * t, 2 * F * t + F), t * F);
      backward.set(values.subarray(2 * F * t + F, 2 * F * (t + 1)), t * F);
    }
    const convolutionTableSources = new Int32Array(size);
    for (let k = 0; k < size; k++) convolutionTableSources[k] = 2 * tableIndex[convolution.sources[k]! >> 1]! + (convolution.sources[k]! & 1);
    return {
      graphs: graphs.length,
      rows,
      features: F,
      table: { rows: count, forward, backward },
      convolution,
      convolutionTableSources,
      deduplicated: deduplicate,
      ...(deduplicate ? {} : { convolutionTransposed: transposedConvolution(convolution, rows) }),
      readout,
    };
  }
}

/**
 * The transpose of the stacked convolution list, sorted by its sources. Source 2s (s's forward
 * half) was read by the targets r whose successor list holds s, i.e. by s's predecessors and s;
 * source 2s + 1 by the targets rows + r whose predecessor list holds s.
 */
function transposedConvolution(convolution: MessageList, rows: number): { sources: Int32Array; targets: Int32Array } {
  const size = convolution.sources.length;
  const starts = new Int32Array(2 * rows + 1);
  for (let k = 0; k < size; k++) starts[convolution.sources[k]! + 1]!++;
  for (let u = 0; u < 2 * rows; u++) starts[u + 1]! += starts[u]!;
  const sources = new Int32Array(size);
  const targets = new Int32Array(size);
  const next = starts.slice(0, 2 * rows);
  for (let k = 0; k < size; k++) {
    const at = next[convolution.sources[k]!]!++;
    sources[at] = convolution.targets[k]!;
    targets[at] = convolution.sources[k]!;
  }
  return { sources, targets };
}

/** Gives each row of `width` float32 values an id: equal rows (bit for bit) share one when deduplicating. */
class RowInterner {
  /** The row to intern next: fill it, then call `intern`. */
  readonly row: Float32Array;
  private readonly rowBits: Uint32Array;
  private values = new Float32Array(1024);
  private bits = new Uint32Array(this.values.buffer);
  private count = 0;
  private readonly buckets = new Map<number, number[]>();

  constructor(
    private readonly width: number,
    private readonly deduplicate: boolean,
  ) {
    this.row = new Float32Array(width);
    this.rowBits = new Uint32Array(this.row.buffer);
  }

  intern(): number {
    const { width, row, rowBits } = this;
    let hash = 0;
    if (this.deduplicate) {
      hash = 0x811c9dc5;
      for (let k = 0; k < width; k++) hash = Math.imul(hash ^ rowBits[k]!, 0x01000193);
      for (const id of this.buckets.get(hash) ?? []) {
        let same = true;
        for (let k = 0; k < width && same; k++) same = this.bits[id * width + k] === rowBits[k];
        if (same) return id;
      }
    }
    if ((this.count + 1) * width > this.values.length) {
      const bigger = new Float32Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
      this.bits = new Uint32Array(bigger.buffer);
    }
    this.values.set(row, this.count * width);
    if (this.deduplicate) {
      const bucket = this.buckets.get(hash);
      if (bucket === undefined) this.buckets.set(hash, [this.count]);
      else bucket.push(this.count);
    }
    return this.count++;
  }

  finish(): { count: number; values: Float32Array } {
    return { count: this.count, values: this.values.subarray(0, this.count * this.width) };
  }
}
