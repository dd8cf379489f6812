/**
 * The search-space interface: everything a search method needs to know about a space, and
 * nothing else. NAS-Bench-101 implements it (nasbench101.ts); a new space (NAS-Bench-201, a
 * user's own) is one new module implementing it plus a registration in registry.ts.
 *
 * Architectures are values of the space's own type `A`, opaque to the search code; `key` is their
 * identity (isomorphic architectures have the same key).
 */
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
  /** Graph input for graph predictors, when the space has one. */
  readonly graph?: GraphEncoding<A>;
  /** Present when the space is small enough to list: the `full` pool and uniform sampling use it. */
  readonly enumeration?: Enumeration<A>;
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
