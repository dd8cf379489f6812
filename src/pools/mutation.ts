/**
 * The `mutation` pool (claim C3): S distinct unqueried variants of the best queried
 * architectures, taken round robin over the `parents` best. A variant is 1..maxEdits random
 * one-edit changes (edge flip or op change) of its parent, or, with `operator: "official"`, the
 * space's standard mutation (for NAS-Bench-101 the official `mutate_spec`, which BANANAS uses).
 * When the parents cannot yield enough new variants, the next best architectures join in.
 */
import { z } from "zod";
import { integer, number, oneOf, type Resolved } from "../options/schema.js";
import type { MersenneTwister } from "../util/rng.js";
import type { SearchSpace } from "../spaces/types.js";
import { bestQueried, CandidateCollector, definePool, type CandidatePool } from "./types.js";

/** How a variant is made: the options the mutation and evolution pools share. */
export function mutationOperatorOptions(defaults: { operator: "edits" | "official"; maxEdits: number }) {
  return {
    operator: oneOf(["edits", "official"], { default: defaults.operator, description: "how a variant is made: 1..maxEdits random one-edit changes, or the space's standard mutation" }),
    maxEdits: integer({ min: 1, default: defaults.maxEdits, description: "most random one-edit changes in a variant (operator edits)" }),
  };
}

export const MUTATION_POOL_OPTIONS = z.strictObject({
  parents: integer({ min: 1, default: 10, description: "how many of the best queried architectures are mutated" }),
  ...mutationOperatorOptions({ operator: "edits", maxEdits: 3 }),
  mutationRate: number({ min: 0, minExclusive: true, default: 1, description: "rate of the standard mutation (operator official)" }),
});

export type MutationOperator = Pick<Resolved<typeof MUTATION_POOL_OPTIONS>, "operator" | "maxEdits" | "mutationRate">;

/** A variant of `parent` by the configured operator (undefined if the parent cannot be edited). */
export function mutateBy<A>(space: SearchSpace<A>, parent: A, rng: MersenneTwister, options: MutationOperator): A | undefined {
  if (options.operator === "official") return space.mutate(parent, rng, options.mutationRate);
  return space.randomEdit(parent, rng, 1 + rng.below(options.maxEdits));
}

/** Stalled attempts before another parent joins in, and before giving up altogether. */
const PATIENCE = 10;
const GIVE_UP = 2000;

export const mutationPool = definePool({
  name: "mutation",
  description: "variants (1..d random edits, or the official mutation) of the best queried architectures",
  options: MUTATION_POOL_OPTIONS,
  create<A>(options: Resolved<typeof MUTATION_POOL_OPTIONS>): CandidatePool<A> {
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
});
