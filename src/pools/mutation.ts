/**
 * The `mutation` pool (claim C3): S distinct unqueried variants of the best queried
 * architectures, taken round robin over the `parents` best. A variant is 1..maxEdits random
 * one-edit changes (edge flip or op change) of its parent, or, with `operator: "official"`, the
 * space's standard mutation (for NAS-Bench-101 the official `mutate_spec`, which BANANAS uses).
 * When the parents cannot yield enough new variants, the next best architectures join in.
 */
import { InputError } from "../util/errors.js";
import type { MersenneTwister } from "../util/rng.js";
import type { SearchSpace } from "../spaces/types.js";
import { bestQueried, CandidateCollector, type CandidatePool, type PoolFactory } from "./types.js";

export interface MutationPoolOptions {
  /** How many of the best queried architectures are mutated. */
  readonly parents?: number;
  /** "edits": 1..maxEdits random one-edit changes; "official": the space's standard mutation. */
  readonly operator?: "edits" | "official";
  readonly maxEdits?: number;
  /** Rate of the official mutation. */
  readonly mutationRate?: number;
}

export const MUTATION_POOL_DEFAULTS: Required<MutationPoolOptions> = { parents: 10, operator: "edits", maxEdits: 3, mutationRate: 1 };

/** A variant of `parent` by the configured operator (undefined if the parent cannot be edited). */
export function mutateBy<A>(space: SearchSpace<A>, parent: A, rng: MersenneTwister, options: Required<MutationPoolOptions>): A | undefined {
  if (options.operator === "official") return space.mutate(parent, rng, options.mutationRate);
  return space.randomEdit(parent, rng, 1 + rng.below(options.maxEdits));
}

/** Stalled attempts before another parent joins in, and before giving up altogether. */
const PATIENCE = 10;
const GIVE_UP = 2000;

export const mutationPool: PoolFactory<MutationPoolOptions> = {
  name: "mutation",
  description: "variants (1..d random edits, or the official mutation) of the best queried architectures",
  defaults: MUTATION_POOL_DEFAULTS,
  create<A>(partial: Partial<MutationPoolOptions> = {}): CandidatePool<A> {
    const options = { ...MUTATION_POOL_DEFAULTS, ...partial };
    if (!Number.isInteger(options.parents) || options.parents < 1) throw new InputError(`mutation pool: parents must be a positive integer, got ${options.parents}`);
    if (!Number.isInteger(options.maxEdits) || options.maxEdits < 1) throw new InputError(`mutation pool: maxEdits must be a positive integer, got ${options.maxEdits}`);
    return {
      name: "mutation",
      async candidates(context) {
        const collector = new CandidateCollector(context);
        const ranked = bestQueried(context.history);
        let active = Math.min(options.parents, ranked.length);
        let stalled = 0;
        for (let attempt = 0; !collector.full && active > 0; attempt++) {
          const parent = ranked[attempt % active]!.arch;
          const child = mutateBy(context.space, parent, context.rng, options);
          if (child !== undefined && collector.add(child)) {
            stalled = 0;
          } else if (++stalled >= PATIENCE && active < ranked.length) {
            active++;
            stalled = 0;
          } else if (stalled >= GIVE_UP) {
            break;
          }
        }
        return collector.result();
      },
    };
  },
};
