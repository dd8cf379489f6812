/**
 * The `mixed` pool: a share of uniformly random architectures next to a smart pool, for
 * exploration. Both parts share the S predictor calls (random: round(share x S)).
 */
import { z } from "zod";
import { number, oneOf, resolveOptions, sourceOf, type Resolved } from "../options/schema.js";
import { definePool, type CandidatePool, type PoolContext, type PoolFactory } from "./types.js";
import { randomPool } from "./random.js";
import { mutationPool } from "./mutation.js";
import { evolutionPool } from "./evolution.js";
import { annealingPool } from "./annealing.js";
import { neighbourhoodPool } from "./neighbourhood.js";

const SMART: Readonly<Record<string, PoolFactory>> = { mutation: mutationPool, evolution: evolutionPool, annealing: annealingPool, neighbourhood: neighbourhoodPool };

export const MIXED_POOL_OPTIONS = z.strictObject({
  randomShare: number({ min: 0, max: 1, default: 0.2, description: "fraction of S drawn uniformly" }),
  smart: oneOf(["mutation", "evolution", "annealing", "neighbourhood"], { default: "mutation", description: "the smart pool the rest comes from, with its default options" }),
});

export const mixedPool = definePool({
  name: "mixed",
  description: "a share of uniform random architectures next to a smart pool",
  options: MIXED_POOL_OPTIONS,
  create<A>(options: Resolved<typeof MIXED_POOL_OPTIONS>): CandidatePool<A> {
    const smart = SMART[options.smart]!;
    const random = randomPool.create<A>({});
    const guided: CandidatePool<A> = smart.create<A>(resolveOptions(`pool ${smart.name}`, smart.options, {}, sourceOf("the mixed pool")));
    return {
      name: "mixed",
      async candidates(context) {
        const randomSize = Math.round(options.randomShare * context.size);
        const first = await guided.candidates({ ...context, size: context.size - randomSize });
        const taken = new Set(first.archs.map((arch) => context.space.key(arch)));
        const part: PoolContext<A> = {
          ...context,
          size: randomSize,
          isQueried: (arch) => context.isQueried(arch) || taken.has(context.space.key(arch)),
        };
        const second = await random.candidates(part);
        const std = first.std !== undefined && second.std !== undefined ? Float64Array.from([...first.std, ...second.std]) : undefined;
        return {
          archs: [...first.archs, ...second.archs],
          mean: Float64Array.from([...first.mean, ...second.mean]),
          ...(std === undefined ? {} : { std }),
        };
      },
    };
  },
});
