/**
 * The interfaces of a search space and of a problem: everything the search, the predictors, the
 * pools, the study and the commands need to know about a space, and nothing else. A tabular
 * space is one folder implementing them (nasbench101/, nasbench201/) plus one line in
 * registry.ts; a user's space comes from a space file (custom/) and is a `SearchProblem` only:
 * it has no benchmark, no truths and no list of its architectures, and is evaluated by the user's
 * training (evaluation/).
 *
 * Architectures are values of the space's own type `A`, opaque to the search code; `key` is their
 * identity (what counts as one architecture is the space's decision: NAS-Bench-101 merges
 * isomorphic cells, NAS-Bench-201 keeps its 15,625 cells distinct).
 */
import { InputError } from "../util/errors.js";
import type { MersenneTwister } from "../util/rng.js";

export interface SearchSpace<A> {
  readonly name: string;
  /** Identity of an architecture: equal keys are the same architecture. */
  key(arch: A): string;
  /** Uniform over the unique architectures. */
  sampleUniform(rng: MersenneTwister): A;
  /** The space's own generator (for NAS-Bench-101 the official `random_spec`), not necessarily uniform. */
  sampleNative(rng: MersenneTwister): A;
  /** The space's standard mutation (for NAS-Bench-101 the official `mutate_spec`). */
  mutate(arch: A, rng: MersenneTwister, rate?: number): A;
  /**
   * A random architecture `edits` random edits away (default 1: an element of
   * `neighbours(arch)`, drawn cheaply; with more edits, some may undo others), never the
   * architecture itself; undefined when none can be found (an architecture without neighbours).
   */
  randomEdit(arch: A, rng: MersenneTwister, edits?: number): A | undefined;
  /** Every architecture one edit away, distinct, the architecture itself excluded. */
  neighbours(arch: A): A[];
  /** A JSON-able description, for run records and output. */
  describe(arch: A): unknown;
  /** Flat feature encodings by name (e.g. "path", "adjacency"). */
  readonly encodings: Readonly<Record<string, FeatureEncoding<A>>>;
  /**
   * The encoding a predictor uses when none is asked for and the space lacks the predictor's own
   * default ("path"): a space file's choices have "onehot".
   */
  readonly defaultEncoding?: string;
  /** Graph input for graph predictors, when the space has one. */
  readonly graph?: GraphEncoding<A>;
  /** How many architectures the space holds, when that is known without a list (a space file's choices). */
  readonly size?: number;
  /** Present when the space is small enough to list: the `full` pool and uniform sampling use it. */
  readonly enumeration?: Enumeration<A>;
  /** The architectures as categorical parameters, for samplers that model each choice (TPE). */
  readonly categorical?: CategoricalParameters<A>;
}

/**
 * A space's architectures as values of categorical parameters (NAS-Bench-201: an operation per
 * edge; a space file: its choices; a cell: its adjacency bits and its vertices' operations).
 * Parameter p takes the values 0..cardinalities[p] - 1.
 */
export interface CategoricalParameters<A> {
  /** What each parameter is, for messages and records. */
  readonly names: readonly string[];
  readonly cardinalities: readonly number[];
  /** The architecture's values (a fresh array). */
  valuesOf(arch: A): number[];
  /** The architecture these values give, or undefined when they give none of the space (a disconnected cell, too many edges). */
  archOf(values: readonly number[]): A | undefined;
}

export interface Enumeration<A> {
  readonly size: number;
  at(index: number): A;
  /** The index of an architecture, or -1 when it is not in the list. */
  indexOf(arch: A): number;
  /** The index of the architecture with this key, or -1 when no architecture of the list has it. */
  indexOfKey(key: string): number;
}

export interface FeatureEncoding<A> {
  readonly width: number;
  /** Writes archs.length rows of `width` features to `out` (row-major). */
  encode(archs: readonly A[], out: Float32Array): void;
}

export interface GraphEncoding<A> {
  readonly vertices: number;
  readonly features: number;
  /**
   * Writes each architecture's padded adjacency (vertices x vertices; 1 for an edge from row to
   * column), one-hot vertex features (vertices x features, zero rows for padding) and number of
   * real vertices.
   */
  encode(archs: readonly A[], adjacency: Float32Array, features: Float32Array, vertexCounts: Float32Array): void;
}

/** The space's flat encoding of this name; an InputError lists the encodings it has (`who` asked). */
export function flatEncoding<A>(space: SearchSpace<A>, name: string, who: string): FeatureEncoding<A> {
  const encoding = space.encodings[name];
  if (encoding === undefined) throw new InputError(`${who}: the space ${space.name} has no '${name}' encoding (it has ${Object.keys(space.encodings).join(", ")})`);
  return encoding;
}

/** What a query observes of an architecture. */
export interface Observation {
  /** What the search sees and optimises (the objective, e.g. mean test accuracy, or validation accuracy). */
  readonly value: number;
  /** What the search is judged by (targets, regret, SEG), as a fraction. */
  readonly truth: number;
  /** The test accuracy of the architecture, when the truth is something else (NAS-Bench-201: validation). */
  readonly test?: number;
}

/** The benchmark behind an evaluator: observe an architecture. */
export interface Oracle<A> {
  observe(arch: A): Observation;
}

/** The serializable identity of a problem: what a worker thread needs to rebuild it. */
export interface ProblemSpec {
  readonly space: string;
  /** The dataset, for a space that has several (NAS-Bench-201). */
  readonly dataset?: string;
  /** A table file or directory to use instead of the built-in data. */
  readonly data?: string;
  /** What a query observes; the space's default when absent. */
  readonly objective?: string;
  /** A space file (absolute path): the space is the file's, `space` its name (custom/file.ts). */
  readonly spaceFile?: string;
}

/** A metric of a benchmark, as `bench info` and `bench top` show it. */
export interface MetricInfo {
  readonly name: string;
  readonly label: string;
}

/** The tabular benchmark of a problem: its data, by enumeration index. */
export interface Benchmark<A> {
  /** Where the data came from (file, origin, cache), for `bench info`. */
  readonly source: Readonly<Record<string, unknown>>;
  /** The metrics this data has. */
  readonly metrics: readonly MetricInfo[];
  /** Metrics of the benchmark that this data lacks (NAS-Bench-101's validation accuracy). */
  readonly missing: readonly MetricInfo[];
  /** A metric of every architecture, by enumeration index (InputError when the data lacks it). */
  values(metric: string): Float64Array;
  /** Everything the data holds of one architecture, as JSON. */
  query(arch: A): Record<string, unknown>;
}

/**
 * What a search needs of a problem: its space, how architectures are read, and, for a benchmark,
 * the oracle that evaluates them. A space file's problem has no oracle: the user's training
 * evaluates it.
 */
export interface SearchProblem<A> {
  /** The problem's identity, with the dataset and objective it was loaded with. */
  readonly spec: ProblemSpec & { readonly objective: string };
  readonly space: SearchSpace<A>;
  readonly objective: string;
  /** The benchmark's answer to a query, for a tabular problem. */
  readonly oracle?: Oracle<A>;
  /** The architecture an input describes (the JSON form of `describe`, or what flags give); InputError when it is not one. */
  parse(input: unknown): A;
}

/** A tabular problem: a space that can be listed, with the benchmark that evaluates every architecture of it. */
export interface Problem<A> extends SearchProblem<A> {
  readonly space: SearchSpace<A> & { readonly enumeration: Enumeration<A> };
  /** What a query observes, and what the search is judged by. */
  readonly oracle: Oracle<A>;
  /** The truth of every architecture, by enumeration index: target sets, ranks, regret. */
  readonly truths: Float64Array;
  /** What the truth is, in words ("mean test accuracy", "validation accuracy on CIFAR-100"). */
  readonly truthLabel: string;
  readonly benchmark: Benchmark<A>;
}

/**
 * The benchmark of a space that cannot be listed (Accel-NASBench): models fitted to measured data
 * (surrogates), asked one architecture at a time. What it answers is the surrogates' word, not a
 * measurement; `query` sets the measured values beside it where the architecture was measured.
 */
export interface SurrogateBenchmark<A> {
  readonly source: Readonly<Record<string, unknown>>;
  /** The quantities the surrogates predict. */
  readonly metrics: readonly MetricInfo[];
  /** What `bench info` shows: the surrogates, how they were fitted, their fidelity. */
  info(): Record<string, unknown>;
  query(arch: A): Record<string, unknown>;
  /**
   * The measured architectures with their measured objective (as a fraction), split as the
   * benchmark's authors split them: how `predictor eval` measures a predictor on a space it
   * cannot score whole.
   */
  measuredSplit?(): { readonly train: MeasuredSet<A>; readonly test: MeasuredSet<A> };
}

export interface MeasuredSet<A> {
  readonly archs: readonly A[];
  readonly values: Float64Array;
}

/** A problem on a space that cannot be listed, judged by a surrogate benchmark: no list, no truths by index. */
export interface SurrogateProblem<A> extends SearchProblem<A> {
  readonly oracle: Oracle<A>;
  readonly truthLabel: string;
  readonly benchmark: SurrogateBenchmark<A>;
}

/** Whether a problem is tabular (its space listed, every truth known), as opposed to judged by a surrogate. */
export function isTabular<A>(problem: Problem<A> | SurrogateProblem<A>): problem is Problem<A> {
  return "truths" in problem;
}

/** How an architecture is given on the command line and in JSON lines. */
export interface ArchitectureInput {
  /** The flags that give one architecture (commander syntax and help), e.g. "--arch <STRING>". */
  readonly flags: readonly { readonly flag: string; readonly description: string }[];
  /** The architecture's JSON form from those flags' values (by commander's camel-case names), or undefined when none is given. */
  fromFlags(values: Readonly<Record<string, unknown>>): unknown;
  /** What one JSON input line looks like, for help texts. */
  readonly jsonForm: string;
}

/**
 * A search space as the registry knows it: its description, its datasets and objectives, how its
 * architectures are written, and how its problem is loaded. One per space, in registry.ts.
 */
export interface SpaceDefinition {
  readonly name: string;
  /** The space's usual name, e.g. "NAS-Bench-101". */
  readonly title: string;
  readonly description: string;
  /** Architectures in the space. */
  readonly size: number;
  /** Datasets, for a space that has several (the first is the default). */
  readonly datasets?: readonly string[];
  /** What a query can observe, with a description each (the first is the default). */
  readonly objectives: readonly MetricInfo[];
  readonly input: ArchitectureInput;
  /** The stream the space's own sampler (`sampleNative`) is seeded as: NumPy's np.random.seed or Python's random.seed. */
  readonly nativeStream: "numpy" | "python";
  /** Its problem: tabular (the space listed, with its table), or judged by surrogates (a space that cannot be listed). */
  load(spec: ProblemSpec): Promise<Problem<unknown> | SurrogateProblem<unknown>>;
  /**
   * Lists the whole space by its own construction (NAS-Bench-101 regenerates it as the official
   * generate_graphs.py does); without it, `prednas enumerate` lists the loaded enumeration.
   */
  regenerate?(options: { readonly workers?: number; readonly onProgress?: (done: number, total: number) => void }): Promise<{ readonly archs: readonly unknown[]; readonly summary: string }>;
  /** The field's figures on this space, for the report. */
  readonly peers?: PeerFigures;
  /** Imports the benchmark's official data file into a table (NAS-Bench-101's .tfrecord). */
  importOfficial?(file: string, out: string | undefined, onProgress: (read: number, total: number) => void): Promise<{ readonly json: unknown; readonly text: string }>;
}

/** A figure of the field: the mean test error of the architecture a method returns after so many queries. */
export interface PeerFigure {
  readonly label: string;
  /** The prednas method it compares with, when there is one. */
  readonly method?: string;
  readonly testErrorPercent: number;
  /** A key of `PeerFigures.protocols`. */
  readonly protocol: string;
}

/** The field's reference figures on a space, for the report to set beside its own. */
export interface PeerFigures {
  /** The query count the figures are after (the literature quotes 150). */
  readonly afterQueries: number;
  readonly figures: readonly PeerFigure[];
  /** Each protocol, in words. */
  readonly protocols: Readonly<Record<string, string>>;
  /** The protocol that compares like for like with prednas's runs (preferred when a method has several). */
  readonly likeForLike: string;
  readonly notes: readonly string[];
}
