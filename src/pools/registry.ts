/** The candidate pools by name: adding a pool is one module plus one line here. */
import { InputError } from "../util/errors.js";
import { annealingPool } from "./annealing.js";
import { evolutionPool } from "./evolution.js";
import { fullPool } from "./full.js";
import { mixedPool } from "./mixed.js";
import { mutationPool } from "./mutation.js";
import { neighbourhoodPool } from "./neighbourhood.js";
import { randomPool } from "./random.js";
import { resolveOptions, sourceOf, type OptionSource } from "../options/schema.js";
import type { CandidatePool, PoolFactory } from "./types.js";

export const POOLS: Readonly<Record<string, PoolFactory>> = {
  full: fullPool,
  random: randomPool,
  mutation: mutationPool,
  evolution: evolutionPool,
  annealing: annealingPool,
  mixed: mixedPool,
  neighbourhood: neighbourhoodPool,
};

export const POOL_NAMES = Object.keys(POOLS);

export function poolFactory(name: string): PoolFactory {
  const factory = POOLS[name];
  if (factory === undefined) throw new InputError(`unknown pool '${name}' (known: ${POOL_NAMES.join(", ")})`);
  return factory;
}

/** A pool by name with its options resolved (validated, defaults filled in) from what is given. */
export function createPool<A>(name: string, options: unknown = {}, source: OptionSource = sourceOf("pool options")): CandidatePool<A> {
  const factory = poolFactory(name);
  return factory.create<A>(resolveOptions(`pool ${name}`, factory.options, options, source));
}
