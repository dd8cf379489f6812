/**
 * The candidate-pool interface: which architectures the predictor scores in an iteration of the
 * predictor-based loop. A pool returns up to S distinct architectures not yet queried, each with
 * its prediction, and spends at most S predictor calls doing so (one call = one architecture
 * scored), so that pools are compared at equal cost. Each pool is one module plus one entry in
 * registry.ts.
 */
import type { OptionSchema, Resolved } from "../options/schema.js";
import type { MersenneTwister } from "../util/rng.js";
import type { Prediction } from "../predictors/types.js";
import type { SearchSpace } from "../spaces/types.js";

export interface QueriedArch<A> {
  readonly arch: A;
  readonly key: string;
  readonly value: number;
}

export interface PoolContext<A> {
  readonly space: SearchSpace<A>;
  readonly rng: MersenneTwister;
  /** The queried architectures with their observed values, in query order. */
  readonly history: readonly QueriedArch<A>[];
  /** Whether an architecture has been queried. */
  isQueried(arch: A): boolean;
  /** The fitted predictor; every architecture passed counts as one predictor call. */
  score(archs: readonly A[]): Promise<Prediction>;
  /** S: how many candidates to return at most, and how many predictor calls to spend at most. */
  readonly size: number;
  /**
   * Scores every architecture of the (enumerable) space, by enumeration index, on worker
   * threads: the full pool's fast path, present when the search has workers to spare. The same
   * numbers as `score`, bit for bit; it counts one predictor call per unqueried architecture.
   */
  readonly scoreSpace?: () => Promise<Prediction>;
}

export interface Candidates<A> {
  readonly archs: readonly A[];
  readonly mean: Float64Array;
  readonly std?: Float64Array;
}

export interface CandidatePool<A> {
  readonly name: string;
  /** Set for a pool that is the whole space: it has no size S. */
  readonly wholeSpace?: boolean;
  candidates(context: PoolContext<A>): Promise<Candidates<A>>;
}

export interface PoolFactory<S extends OptionSchema = OptionSchema> {
  readonly name: string;
  /** Set for a pool that is the whole space: it has no size S (and needs a space that can be listed). */
  readonly wholeSpace?: boolean;
  readonly description: string;
  /** The pool's options: their types, defaults, allowed values and help (options/schema.ts). */
  readonly options: S;
  /** A pool with resolved options (every default filled in, validated). */
  create<A>(options: Resolved<S>): CandidatePool<A>;
}

/** A pool factory with its option type checked where it is declared, and erased where pools are listed. */
export function definePool<S extends OptionSchema>(factory: PoolFactory<S>): PoolFactory<S> {
  return factory;
}

/** The queried architectures sorted by observed value, best first (ties: earliest first). */
export function bestQueried<A>(history: readonly QueriedArch<A>[]): QueriedArch<A>[] {
  return history
    .map((entry, order) => ({ entry, order }))
    .sort((a, b) => b.entry.value - a.entry.value || a.order - b.order)
    .map(({ entry }) => entry);
}

/**
 * Collects distinct, unqueried architectures and scores them in batches: the building block of
 * every pool. `add` ignores queried and already collected architectures; `flush` scores what is
 * pending (one predictor call per architecture).
 */
export class CandidateCollector<A> {
  private readonly seen = new Set<string>();
  private readonly archs: A[] = [];
  private readonly means: number[] = [];
  private readonly stds: number[] = [];
  private pending: A[] = [];
  private withStd = true;

  constructor(private readonly context: PoolContext<A>) {}

  /** Architectures collected so far, scored or pending. */
  get count(): number {
    return this.archs.length + this.pending.length;
  }

  get full(): boolean {
    return this.count >= this.context.size;
  }

  /** Adds an architecture if it is new and unqueried and there is room; returns whether it was added. */
  add(arch: A): boolean {
    if (this.full || this.context.isQueried(arch)) return false;
    const key = this.context.space.key(arch);
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    this.pending.push(arch);
    return true;
  }

  /** Scores the pending architectures and returns their predictions (in the order added). */
  async flush(): Promise<Prediction> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return { mean: new Float64Array(0) };
    const prediction = await this.context.score(batch);
    // One push per architecture: a spread of a large batch would overflow the call stack.
    for (const arch of batch) this.archs.push(arch);
    for (let i = 0; i < batch.length; i++) this.means.push(prediction.mean[i]!);
    if (prediction.std === undefined) this.withStd = false;
    else for (let i = 0; i < batch.length; i++) this.stds.push(prediction.std[i]!);
    return prediction;
  }

  async result(): Promise<Candidates<A>> {
    await this.flush();
    return {
      archs: this.archs,
      mean: Float64Array.from(this.means),
      ...(this.withStd && this.stds.length === this.archs.length ? { std: Float64Array.from(this.stds) } : {}),
    };
  }
}
