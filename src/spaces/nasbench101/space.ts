/**
 * NAS-Bench-101 as a search space. An architecture is a cell of the catalogue (its index, which is
 * also its row in the benchmark table) together with the form it was produced in: the official
 * evolution mutates the unpruned matrix of its parents, so a mutated cell keeps its original
 * form; cells drawn uniformly are in their canonical form.
 */
import { InputError } from "../../util/errors.js";
import type { MersenneTwister } from "../../util/rng.js";
import type { Catalogue } from "./catalogue.js";
import { mutateSpec } from "../cell/mutate.js";
import { neighbours } from "../cell/neighbours.js";
import { NASBENCH101_RULES } from "./ops.js";
import { randomSpec } from "../cell/sample.js";
import { ModelSpec } from "../cell/spec.js";
import { randomEditOf } from "../cell/edit.js";
import { adjacencyEncodingInto, graphEncodingInto } from "../cell/encodings.js";
import { ADJACENCY_WIDTH, buildPathTable, GRAPH_FEATURES, GRAPH_VERTICES, NASLIB_POSITION, PATH_WIDTH, type PathTable } from "./encodings.js";
import { cellParameters } from "../cell/categorical.js";
import type { CategoricalParameters, FeatureEncoding, GraphEncoding, SearchSpace } from "../types.js";

export interface Nb101Cell {
  /** Row of the catalogue. */
  readonly index: number;
  /** The form the cell was produced in, when it is not the canonical one. */
  readonly spec?: ModelSpec;
}

export class Nasbench101Space implements SearchSpace<Nb101Cell> {
  readonly name = "nasbench101";
  readonly encodings: Readonly<Record<string, FeatureEncoding<Nb101Cell>>>;
  readonly graph: GraphEncoding<Nb101Cell>;
  readonly enumeration;
  /** The 21 adjacency bits and 5 operations of the 7-vertex cell (cell/categorical.ts). */
  readonly categorical: CategoricalParameters<Nb101Cell>;
  private pathTableCache?: PathTable;

  constructor(readonly catalogue: Catalogue) {
    this.enumeration = {
      size: catalogue.size,
      at: (index: number): Nb101Cell => ({ index }),
      indexOf: (cell: Nb101Cell) => cell.index,
      indexOfKey: (hash: string) => catalogue.indexOfHash(hash),
    };
    this.encodings = {
      path: { width: PATH_WIDTH, encode: (cells, out) => this.encodePaths(cells, out) },
      adjacency: {
        width: ADJACENCY_WIDTH,
        encode: (cells, out) =>
          cells.forEach(({ index }, row) =>
            adjacencyEncodingInto(catalogue.matrix(index), catalogue.vertexCount(index), catalogue.labels(index), out, row * ADJACENCY_WIDTH, NASBENCH101_RULES, NASLIB_POSITION),
          ),
      },
    };
    const V = GRAPH_VERTICES;
    this.graph = {
      vertices: V,
      features: GRAPH_FEATURES,
      encode: (cells, adjacency, features, vertexCounts) =>
        cells.forEach(({ index }, row) => {
          const n = catalogue.vertexCount(index);
          graphEncodingInto(catalogue.matrix(index), n, catalogue.labels(index), adjacency, row * V * V, features, row * V * GRAPH_FEATURES, NASBENCH101_RULES);
          vertexCounts[row] = n;
        }),
    };
    this.categorical = cellParameters(NASBENCH101_RULES, (cell) => this.specOf(cell), (spec) => {
      const index = catalogue.indexOfSpec(spec);
      // A valid cell a partial table lacks is none of its space.
      return index < 0 ? undefined : { index, spec };
    });
  }

  /** The path encodings of all cells (built on first use: about a second for the whole space). */
  get pathTable(): PathTable {
    this.pathTableCache ??= buildPathTable(this.catalogue);
    return this.pathTableCache;
  }

  key(cell: Nb101Cell): string {
    return this.catalogue.hash(cell.index);
  }

  sampleUniform(rng: MersenneTwister): Nb101Cell {
    return { index: this.catalogue.sampleUniform(rng) };
  }

  sampleNative(rng: MersenneTwister): Nb101Cell {
    return this.cellOf(randomSpec(rng, NASBENCH101_RULES));
  }

  mutate(cell: Nb101Cell, rng: MersenneTwister, rate = 1): Nb101Cell {
    return this.cellOf(mutateSpec(this.specOf(cell), rng, { rate }));
  }

  randomEdit(cell: Nb101Cell, rng: MersenneTwister, edits = 1): Nb101Cell | undefined {
    const index = randomEditOf(this.catalogue.spec(cell.index), rng, edits, (spec) => this.catalogue.indexOfSpec(spec), (found) => found === cell.index);
    if (index !== undefined) return { index };
    if (edits > 1) return undefined;
    // Every single edit tried was invalid: a cell with few (or no) neighbours, e.g. input -> output.
    const all = this.neighbours(cell);
    return all.length === 0 ? undefined : rng.choice(all);
  }

  neighbours(cell: Nb101Cell): Nb101Cell[] {
    return neighbours(this.catalogue.spec(cell.index)).map(({ spec }) => ({ index: this.catalogue.indexOfSpec(spec) }));
  }

  /** The cell's hash, index and canonical form, and the form it was produced in when that differs (a sample, a mutation). */
  describe(cell: Nb101Cell): unknown {
    return { hash: this.key(cell), index: cell.index, ...this.catalogue.cellSpec(cell.index), ...(cell.spec === undefined ? {} : { original: cell.spec.original() }) };
  }

  /** The spec a cell was produced in, or its canonical form. */
  specOf(cell: Nb101Cell): ModelSpec {
    return cell.spec ?? this.catalogue.spec(cell.index);
  }

  /** The catalogue cell of a valid spec (the spec is kept as the cell's form). */
  cellOf(spec: ModelSpec): Nb101Cell {
    const index = this.catalogue.indexOfSpec(spec);
    if (index < 0) throw new InputError(`the cell ${spec.hash()} is not in the catalogue`);
    return { index, spec };
  }

  private encodePaths(cells: readonly Nb101Cell[], out: Float32Array): void {
    const { offsets, indices } = this.pathTable;
    out.fill(0, 0, cells.length * PATH_WIDTH);
    cells.forEach(({ index }, row) => {
      for (let p = offsets[index]!; p < offsets[index + 1]!; p++) out[row * PATH_WIDTH + indices[p]!] = 1;
    });
  }
}
