/**
 * An NB101-style cell space with the user's operations and limits, from a space file's
 * `{"type": "cell", "vertices": V, "maxEdges": E, "ops": [...]}`: the generic cell (cell/) with
 * these rules. Pruning, validity and the hash are NAS-Bench-101's, so V = 7, E = 9 and its three
 * operations in its order give exactly its hashes; with V = 8 or more it is far too large to list.
 *
 * An architecture is a cell in the form it was produced in (a mutation keeps its parent's unpruned
 * form, as the official evolution does) with its hash, the key. Uniform draws are exact over the
 * unique cells (cell/uniform.ts); the native draw is the official `random_spec`, mutation the
 * official `mutate_spec`; edits and neighbourhoods work on the pruned form.
 */
import { InputError } from "../../util/errors.js";
import type { MersenneTwister } from "../../util/rng.js";
import { adjacencyEncodingInto, adjacencyWidth, graphEncodingInto, graphFeatures, pathIndices, pathWidth } from "../cell/encodings.js";
import { randomEditOf } from "../cell/edit.js";
import { hashModule } from "../cell/hash.js";
import { mutateSpec } from "../cell/mutate.js";
import { neighbours } from "../cell/neighbours.js";
import { opName, type CellRules } from "../cell/rules.js";
import { randomSpec } from "../cell/sample.js";
import { checkSpec, ModelSpec } from "../cell/spec.js";
import { UniformCellSampler } from "../cell/uniform.js";
import { cellParameters } from "../cell/categorical.js";
import type { CategoricalParameters, FeatureEncoding, GraphEncoding, SearchSpace } from "../types.js";

export interface CellArch {
  /** The form the cell was produced in (pruned or not). */
  readonly spec: ModelSpec;
  /** Its hash. */
  readonly key: string;
}

/** The widest path encoding offered: beyond it (many ops, many vertices) a predictor learns from the adjacency. */
const MAX_PATH_WIDTH = 4096;

export class CellSpace implements SearchSpace<CellArch> {
  readonly encodings: Readonly<Record<string, FeatureEncoding<CellArch>>>;
  readonly defaultEncoding: string;
  readonly graph: GraphEncoding<CellArch>;
  /** The adjacency bits and interior operations of the V-vertex cell (cell/categorical.ts). */
  readonly categorical: CategoricalParameters<CellArch>;
  private readonly sampler: UniformCellSampler;

  constructor(
    readonly name: string,
    readonly rules: CellRules,
  ) {
    this.sampler = new UniformCellSampler(rules);
    const adjacency: FeatureEncoding<CellArch> = {
      width: adjacencyWidth(rules),
      encode: (archs, out) => archs.forEach((arch, row) => this.withPruned(arch, (m, n, l) => adjacencyEncodingInto(m, n, l, out, row * adjacencyWidth(rules), rules))),
    };
    const width = pathWidth(rules);
    const path: FeatureEncoding<CellArch> = {
      width,
      encode: (archs, out) => {
        out.fill(0, 0, archs.length * width);
        archs.forEach((arch, row) => this.withPruned(arch, (m, n, l) => pathIndices(m, n, l, rules.ops.length).forEach((bit) => (out[row * width + bit] = 1))));
      },
    };
    this.encodings = width <= MAX_PATH_WIDTH ? { path, adjacency } : { adjacency };
    this.defaultEncoding = width <= MAX_PATH_WIDTH ? "path" : "adjacency";
    const V = rules.vertices;
    const F = graphFeatures(rules);
    this.graph = {
      vertices: V,
      features: F,
      encode: (archs, adjacencies, features, vertexCounts) =>
        archs.forEach((arch, row) =>
          this.withPruned(arch, (m, n, l) => {
            graphEncodingInto(m, n, l, adjacencies, row * V * V, features, row * V * F, rules);
            vertexCounts[row] = n;
          }),
        ),
    };
    this.categorical = cellParameters(rules, (arch) => arch.spec, (spec) => this.archOf(spec));
  }

  key(arch: CellArch): string {
    return arch.key;
  }

  sampleUniform(rng: MersenneTwister): CellArch {
    const { matrix, n, labels } = this.sampler.sample(rng);
    const ops = Array.from(labels, (label) => opName(this.rules, label));
    return { spec: ModelSpec.fromTrusted(matrix, ops, this.rules), key: hashModule(matrix, n, labels) };
  }

  sampleNative(rng: MersenneTwister): CellArch {
    return this.archOf(randomSpec(rng, this.rules));
  }

  mutate(arch: CellArch, rng: MersenneTwister, rate = 1): CellArch {
    return this.archOf(mutateSpec(arch.spec, rng, { rate }));
  }

  randomEdit(arch: CellArch, rng: MersenneTwister, edits = 1): CellArch | undefined {
    const edited = randomEditOf(this.pruned(arch), rng, edits, (spec) => this.archOf(spec), (found) => found.key === arch.key);
    if (edited !== undefined || edits > 1) return edited;
    // Every single edit tried was invalid: a cell with few (or no) neighbours, e.g. input -> output.
    const all = this.neighbours(arch);
    return all.length === 0 ? undefined : rng.choice(all);
  }

  neighbours(arch: CellArch): CellArch[] {
    return neighbours(this.pruned(arch)).map(({ hash, spec }) => ({ spec, key: hash }));
  }

  /** The cell's hash and pruned form, and the form it was produced in when that differs. */
  describe(arch: CellArch): unknown {
    const pruned = arch.spec.pruned();
    const original = arch.spec.original();
    const same = original.ops.length === pruned.ops.length && JSON.stringify(original) === JSON.stringify(pruned);
    return { hash: arch.key, ...pruned, ...(same ? {} : { original }) };
  }

  /** A cell from its JSON form {"matrix": ..., "ops": ...}, pruned or not; InputError when it is not in the space. */
  parse(input: unknown): CellArch {
    if (typeof input !== "object" || input === null || !("matrix" in input) || !("ops" in input)) {
      throw new InputError(`a cell of ${this.name} is {"matrix": [[0,1],[0,0]], "ops": ["input","output"]} (interior ops: ${this.rules.ops.join(", ")})`);
    }
    const spec = ModelSpec.from(input.matrix, input.ops, this.rules);
    checkSpec(spec);
    return this.archOf(spec);
  }

  /** A valid spec as an architecture. */
  archOf(spec: ModelSpec): CellArch {
    return { spec, key: spec.hash() };
  }

  /** The pruned form as a spec of its own (edits and neighbourhoods start from it). */
  private pruned(arch: CellArch): ModelSpec {
    return ModelSpec.fromTrusted(arch.spec.matrix!, arch.spec.ops!, this.rules);
  }

  private withPruned(arch: CellArch, use: (matrix: Uint8Array, n: number, labels: Int8Array) => void): void {
    use(arch.spec.matrix!, arch.spec.vertices, arch.spec.labels());
  }
}
