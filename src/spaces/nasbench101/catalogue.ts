/**
 * The catalogue of unique NAS-Bench-101 cells: every cell's hash and canonical form, in ascending
 * hash order, which is the official `hash_iterator()` order of the data and so the row index of
 * the data table. Cells are addressed by this index everywhere in prednas (benchmark rows,
 * precomputed encodings, candidate pools).
 *
 * Columnar on purpose: 423,624 cells as five typed arrays take about 10 MB, where one object per
 * cell would take hundreds.
 */
import { InputError } from "../../util/errors.js";
import type { MersenneTwister } from "../../util/rng.js";
import { hashModuleInto, hashToHex, hexToHash } from "../cell/hash.js";
import { opName, NASBENCH101_RULES } from "./ops.js";
import { checkSpec, ModelSpec, type CellSpec } from "../cell/spec.js";

/** Number of unique cells of the full space (official `generate_graphs.py`). */
export const SPACE_SIZE = 423_624;

/** Bit of the edge x -> y (x < y) in an edge mask: the official generator's `x + y(y-1)/2`. */
export function edgeBit(x: number, y: number): number {
  return x + (y * (y - 1)) / 2;
}

/** Row-major matrix of `n` vertices from an edge mask. */
export function matrixFromEdgeMask(mask: number, n: number, out = new Uint8Array(n * n)): Uint8Array {
  out.fill(0);
  for (let y = 1; y < n; y++) {
    for (let x = 0; x < y; x++) if ((mask >>> edgeBit(x, y)) & 1) out[x * n + y] = 1;
  }
  return out;
}

/** Edge mask of a row-major matrix of `n` <= 7 vertices. */
export function edgeMaskFromMatrix(matrix: ArrayLike<number>, n: number): number {
  let mask = 0;
  for (let y = 1; y < n; y++) {
    for (let x = 0; x < y; x++) if (matrix[x * n + y]) mask |= 1 << edgeBit(x, y);
  }
  return mask;
}

/** Interior labels packed two bits each, vertex 1 in the lowest bits. */
export function packLabels(labels: ArrayLike<number>, n: number): number {
  let packed = 0;
  for (let v = 1; v < n - 1; v++) packed |= labels[v]! << (2 * (v - 1));
  return packed;
}

/** The label of vertex v of an n-vertex cell from its packed interior labels (-1 input, -2 output). */
export function labelAt(packed: number, v: number, n: number): number {
  if (v === 0) return -1;
  if (v === n - 1) return -2;
  return (packed >>> (2 * (v - 1))) & 3;
}

export function unpackLabels(packed: number, n: number, out = new Int8Array(n)): Int8Array {
  for (let v = 0; v < n; v++) out[v] = labelAt(packed, v, n);
  return out;
}

export interface CatalogueColumns {
  /** Four key words per cell (see `hashModuleInto`), strictly ascending. */
  readonly keys: Uint32Array;
  readonly vertices: Uint8Array;
  readonly edgeMasks: Uint32Array;
  readonly labels: Uint16Array;
}

export class Catalogue {
  readonly size: number;

  constructor(readonly columns: CatalogueColumns) {
    this.size = columns.vertices.length;
    const { keys, edgeMasks, labels } = columns;
    if (keys.length !== 4 * this.size || edgeMasks.length !== this.size || labels.length !== this.size) {
      throw new Error("catalogue columns have inconsistent lengths");
    }
    for (let i = 1; i < this.size; i++) {
      if (compareAt(keys, i - 1, keys, i) >= 0) throw new Error(`catalogue keys are not strictly ascending at index ${i}`);
    }
  }

  /** A catalogue from columns read back from a file; throws when a column is missing or mistyped. */
  static fromColumnRecord(columns: Record<string, unknown>): Catalogue {
    const { keys, vertices, edgeMasks, labels } = columns;
    if (!(keys instanceof Uint32Array) || !(vertices instanceof Uint8Array) || !(edgeMasks instanceof Uint32Array) || !(labels instanceof Uint16Array)) {
      throw new Error("catalogue columns are missing or of the wrong type");
    }
    return new Catalogue({ keys, vertices, edgeMasks, labels });
  }

  /**
   * Builds a catalogue from cells in any order, each given by its edge mask, vertex count and
   * packed labels; hashes them and sorts by hash. Duplicates (by hash) are an error.
   */
  static fromCells(vertices: Uint8Array, edgeMasks: Uint32Array, labels: Uint16Array): Catalogue {
    const size = vertices.length;
    const keys = new Uint32Array(4 * size);
    const matrix = new Uint8Array(49);
    const labelBuffer = new Int8Array(7);
    for (let i = 0; i < size; i++) {
      const n = vertices[i]!;
      hashModuleInto(matrixFromEdgeMask(edgeMasks[i]!, n, matrix.subarray(0, n * n)), n, unpackLabels(labels[i]!, n, labelBuffer), keys, 4 * i);
    }
    return Catalogue.sorted(keys, vertices, edgeMasks, labels);
  }

  /** Sorts cells given with their key words into a catalogue. */
  static sorted(keys: Uint32Array, vertices: Uint8Array, edgeMasks: Uint32Array, labels: Uint16Array): Catalogue {
    const order = sortedOrder(keys, vertices.length);
    const sortedKeys = new Uint32Array(keys.length);
    order.forEach((from, to) => sortedKeys.set(keys.subarray(4 * from, 4 * from + 4), 4 * to));
    return new Catalogue({
      keys: sortedKeys,
      vertices: Uint8Array.from(order, (i) => vertices[i]!),
      edgeMasks: Uint32Array.from(order, (i) => edgeMasks[i]!),
      labels: Uint16Array.from(order, (i) => labels[i]!),
    });
  }

  /** Index of the cell with these key words, or -1. */
  indexOfKey(key: Uint32Array, offset = 0): number {
    const { keys } = this.columns;
    let lo = 0;
    let hi = this.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const order = compareAt(keys, mid, key, offset / 4);
      if (order === 0) return mid;
      if (order < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Index of the cell with this 32-hex hash, or -1 (also for text that is not a hash). */
  indexOfHash(hash: string): number {
    const key = hexToHash(hash.toLowerCase());
    return key === undefined ? -1 : this.indexOfKey(key);
  }

  /** Index of a spec's cell (pruned and hashed), or -1 when the space has no such cell. */
  indexOfSpec(spec: ModelSpec): number {
    const key = specKey;
    checkSpec(spec);
    hashModuleInto(spec.matrix!, spec.vertices, spec.labels(), key);
    return this.indexOfKey(key);
  }

  hash(index: number): string {
    this.check(index);
    return hashToHex(this.columns.keys, 4 * index);
  }

  vertexCount(index: number): number {
    this.check(index);
    return this.columns.vertices[index]!;
  }

  /** The canonical (row-major) matrix of a cell. */
  matrix(index: number): Uint8Array {
    this.check(index);
    return matrixFromEdgeMask(this.columns.edgeMasks[index]!, this.columns.vertices[index]!);
  }

  labels(index: number): Int8Array {
    this.check(index);
    return unpackLabels(this.columns.labels[index]!, this.columns.vertices[index]!);
  }

  ops(index: number): string[] {
    return Array.from(this.labels(index), opName);
  }

  /** The canonical spec of a cell. */
  spec(index: number): ModelSpec {
    return ModelSpec.fromTrusted(this.matrix(index), this.ops(index), NASBENCH101_RULES);
  }

  /** The canonical spec of a cell as plain arrays, built straight from the packed columns (queries return it). */
  cellSpec(index: number): CellSpec {
    this.check(index);
    const n = this.columns.vertices[index]!;
    const mask = this.columns.edgeMasks[index]!;
    const packed = this.columns.labels[index]!;
    const matrix: number[][] = [];
    const ops: string[] = [];
    for (let x = 0; x < n; x++) {
      const row: number[] = [];
      for (let y = 0; y < n; y++) row.push(x < y ? (mask >>> edgeBit(x, y)) & 1 : 0);
      matrix.push(row);
      ops.push(opName(labelAt(packed, x, n)));
    }
    return { matrix, ops };
  }

  /** A cell index drawn uniformly (Python's `random.randrange(size)` on the same stream). */
  sampleUniform(rng: MersenneTwister): number {
    return rng.below(this.size);
  }

  private check(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) {
      throw new InputError(`cell index ${index} is outside the catalogue (0..${this.size - 1})`);
    }
  }
}

/** The key of the spec being looked up: indexOfKey reads it before the next lookup can reuse it. */
const specKey = new Uint32Array(4);

function compareAt(a: Uint32Array, i: number, b: Uint32Array, j: number): number {
  for (let k = 0; k < 4; k++) {
    const x = a[4 * i + k]!;
    const y = b[4 * j + k]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Indices 0..size-1 ordered by key words. */
function sortedOrder(keys: Uint32Array, size: number): Int32Array {
  // Sort numerically on (first word, index) packed in a double, then fix the rare ties of the
  // first word by the full key: much faster than a comparator sort over 423,624 cells.
  const packed = new Float64Array(size);
  for (let i = 0; i < size; i++) packed[i] = keys[4 * i]! * 2 ** 20 + i;
  if (size > 2 ** 20) throw new RangeError("too many cells for the packed sort");
  packed.sort();
  const order = Int32Array.from(packed, (value) => value % 2 ** 20);
  let start = 0;
  while (start < size) {
    let end = start + 1;
    while (end < size && keys[4 * order[end]!] === keys[4 * order[start]!]) end++;
    if (end - start > 1) {
      const group = Array.from(order.subarray(start, end)).sort((x, y) => compareAt(keys, x, keys, y));
      order.set(group, start);
    }
    start = end;
  }
  return order;
}
