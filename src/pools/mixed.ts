/**
 * The `mixed` pool: a share of uniformly random architectures next to a smart pool, for
 * exploration. Both parts share the S predictor calls (random: round(share x S)).
 */
import { InputError } from "../util/errors.js";
import type { CandidatePool, PoolContext, PoolFactory } from "./types.js";
import { randomPool } from "./random.js";
import { mutationPool } from "./mutation.js";
import { evolutionPool } from "./evolution.js";
import { annealingPool } from "./annealing.js";
import { neighbourhoodPool } from "./neighbourhood.js";

export interface MixedPoolOptions {
  /** Fraction of S drawn uniformly. */
  readonly randomShare?: number;
  /** The smart pool the rest comes from. */
  readonly smart?: keyof typeof SMART;
}

export const MIXED_POOL_DEFAULTS: Required<MixedPoolOptions> = { randomShare: 0.2, smart: "mutation" };

const SMART = { mutation: mutationPool, evolution: evolutionPool, annealing: annealingPool, neighbourhood: neighbourhoodPool } as const;

export const mixedPool: PoolFactory<MixedPoolOptions> = {
  name: "mixed",
  description: "a share of uniform random architectures next to a smart pool",
  defaults: MIXED_POOL_DEFAULTS,
  create<A>(partial: Partial<MixedPoolOptions> = {}): CandidatePool<A> {
    const options = { ...MIXED_POOL_DEFAULTS, ...partial };
    if (!(options.randomShare >= 0 && options.randomShare <= 1)) throw new InputError(`mixed pool: randomShare must be in [0, 1], got ${options.randomShare}`);
    const smart = SMART[options.smart];
    if (smart === undefined) throw new InputError(`mixed pool: unknown smart pool '${options.smart}' (known: ${Object.keys(SMART).join(", ")})`);
    const random = randomPool.create<A>();
    const guided: CandidatePool<A> = smart.create<A>();
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
};
