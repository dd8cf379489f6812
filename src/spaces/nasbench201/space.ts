/**
 * NAS-Bench-201 (the NATS-Bench topology space) as a search space. An architecture is a cell by
 * its official index, which is also its row in the benchmark table.
 *
 * Identity: the 15,625 cells are 15,625 distinct architectures and a cell's key is its arch
 * string. Many cells are isomorphic (e.g. those differing only on edges that a `none` cuts off
 * from the output), but the benchmark trained each one separately and records its own results,
 * and NATS-Bench and NASLib sample, mutate and count queries over all 15,625; merging them would
 * change the sampling distributions and the query budgets that published results rest on. So
 * "uniform" here is uniform over the 15,625 cells.
 *
 * The native sampler and the mutation are NATS-Bench's (`random_topology_func` and
 * `mutate_arch_func` of exps/NATS-algos), drawing from the generator exactly as their Python
 * `random` calls do, so a seed gives the same cells as the reference code.
 */
import { InputError } from "../../util/errors.js";
import type { MersenneTwister } from "../../util/rng.js";
import { codesToNumber, EDGE_LIST, EDGES, formatArch, numberToCodes, OPERATIONS, parseArch } from "./cell.js";
import { GRAPH_FEATURES, GRAPH_VERTICES, graphEncodingInto, ONEHOT_WIDTH, onehotEncodingInto, PATH_WIDTH, pathEncodingInto } from "./encodings.js";
import type { CategoricalParameters, FeatureEncoding, GraphEncoding, SearchSpace } from "../types.js";

export interface Nb201Cell {
  /** The official index, 0..15,624, in the table's order. */
  readonly index: number;
}

const CELLS = OPERATIONS.length ** EDGES;
const CODES = OPERATIONS.map((_, code) => code);
/** One-op changes of a cell: each edge to each of the other 4 codes. */
const SINGLE_EDITS = EDGES * (OPERATIONS.length - 1);
const EDIT_ATTEMPTS = 100;

export class Nasbench201Space implements SearchSpace<Nb201Cell> {
  readonly name = "nasbench201";
  readonly encodings: Readonly<Record<string, FeatureEncoding<Nb201Cell>>>;
  readonly graph: GraphEncoding<Nb201Cell>;
  readonly enumeration;
  /** One parameter per edge, its operation code: every combination is a cell. */
  readonly categorical: CategoricalParameters<Nb201Cell> = {
    names: EDGE_LIST.map(([from, to]) => `edge ${from}->${to}`),
    cardinalities: EDGE_LIST.map(() => OPERATIONS.length),
    valuesOf: (cell) => this.codes(cell),
    archOf: (codes) => this.cellOf(codes),
  };
  /** Official index of each base-5 cell number. */
  private readonly indexOfNumber = new Int16Array(CELLS).fill(-1);

  /** `opCodes[i]` is cell i's base-5 number (the table's `opCodes`). */
  constructor(readonly opCodes: Uint16Array) {
    if (opCodes.length !== CELLS) throw new Error(`a NAS-Bench-201 operation column has ${CELLS} cells, not ${opCodes.length}`);
    opCodes.forEach((number, index) => {
      if (number >= CELLS || this.indexOfNumber[number] !== -1) throw new Error(`the NAS-Bench-201 operation column is not a permutation (cell ${index})`);
      this.indexOfNumber[number] = index;
    });
    this.enumeration = {
      size: CELLS,
      at: (index: number): Nb201Cell => ({ index }),
      indexOf: (cell: Nb201Cell) => cell.index,
      indexOfKey: (key: string) => this.indexOfKey(key),
    };
    const feature = (width: number, write: (codes: number[], out: Float32Array, offset: number) => void): FeatureEncoding<Nb201Cell> => ({
      width,
      encode: (cells, out) => cells.forEach((cell, row) => write(this.codes(cell), out, row * width)),
    });
    this.encodings = { onehot: feature(ONEHOT_WIDTH, onehotEncodingInto), path: feature(PATH_WIDTH, pathEncodingInto) };
    const V = GRAPH_VERTICES;
    this.graph = {
      vertices: V,
      features: GRAPH_FEATURES,
      encode: (cells, adjacency, features, vertexCounts) =>
        cells.forEach((cell, row) => {
          graphEncodingInto(this.codes(cell), adjacency, row * V * V, features, row * V * GRAPH_FEATURES);
          vertexCounts[row] = V;
        }),
    };
  }

  key(cell: Nb201Cell): string {
    return formatArch(this.codes(cell));
  }

  sampleUniform(rng: MersenneTwister): Nb201Cell {
    return { index: rng.below(CELLS) };
  }

  sampleNative(rng: MersenneTwister): Nb201Cell {
    return this.cellOf(Array.from({ length: EDGES }, () => rng.choice(CODES)));
  }

  /**
   * NATS-Bench's mutation: one edge to another op. It takes no `rate` (one the caller passes is
   * ignored): NAS-Bench-201's mutation always changes exactly one edge.
   */
  mutate(cell: Nb201Cell, rng: MersenneTwister): Nb201Cell {
    const codes = this.codes(cell);
    // randint(0, 2) picks node 1..3, then randint(0, inputs - 1) one of its node_id + 1 input edges.
    const nodeId = rng.below(3);
    const edge = (nodeId * (nodeId + 1)) / 2 + rng.below(nodeId + 1);
    let op = rng.choice(CODES);
    while (op === codes[edge]) op = rng.choice(CODES);
    codes[edge] = op;
    return this.cellOf(codes);
  }

  randomEdit(cell: Nb201Cell, rng: MersenneTwister, edits = 1): Nb201Cell {
    const start = this.codes(cell);
    for (let attempt = 0; attempt < EDIT_ATTEMPTS; attempt++) {
      const codes = start.slice();
      for (let e = 0; e < edits; e++) {
        const edit = rng.below(SINGLE_EDITS);
        const edge = edit >> 2;
        // the (edit & 3)-th of the codes other than the current one, ascending
        const k = edit & 3;
        codes[edge] = k < codes[edge]! ? k : k + 1;
      }
      if (codes.some((code, edge) => code !== start[edge])) return this.cellOf(codes);
    }
    // Only reached when the edits keep undoing each other (or there are none).
    return rng.choice(this.neighbours(cell));
  }

  neighbours(cell: Nb201Cell): Nb201Cell[] {
    const start = this.codes(cell);
    const found: Nb201Cell[] = [];
    for (let edge = 0; edge < EDGES; edge++) {
      for (const code of CODES) {
        if (code === start[edge]) continue;
        const codes = start.slice();
        codes[edge] = code;
        found.push(this.cellOf(codes));
      }
    }
    return found;
  }

  describe(cell: Nb201Cell): unknown {
    return { arch: this.key(cell), index: cell.index };
  }

  /** The cell's six operation codes, in arch-string edge order (a fresh array). */
  codes(cell: Nb201Cell): number[] {
    return numberToCodes(this.opCodes[cell.index]!);
  }

  /** The cell with these six operation codes. */
  cellOf(codes: readonly number[]): Nb201Cell {
    return { index: this.indexOfNumber[codesToNumber(codes)]! };
  }

  /** The index of the cell with this arch string, or -1 when the text is not exactly one. */
  private indexOfKey(key: string): number {
    let codes: number[];
    try {
      codes = parseArch(key);
    } catch (error) {
      if (error instanceof InputError) return -1;
      throw error;
    }
    // parseArch forgives surrounding space; a key must be the exact string.
    return formatArch(codes) === key ? this.cellOf(codes).index : -1;
  }
}
