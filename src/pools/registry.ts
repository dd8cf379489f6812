/** The candidate pools by name: adding a pool is one module plus one line here. */
import { InputError } from "../util/errors.js";
import { annealingPool } from "./annealing.js";
import { evolutionPool } from "./evolution.js";
import { fullPool } from "./full.js";
import { mixedPool } from "./mixed.js";
import { mutationPool } from "./mutation.js";
import { neighbourhoodPool } from "./neighbourhood.js";
import { randomPool } from "./random.js";
import type { CandidatePool, PoolFactory } from "./types.js";

export const POOLS = {
  full: fullPool,
  random: randomPool,
  mutation: mutationPool,
  evolution: evolutionPool,
  annealing: annealingPool,
  mixed: mixedPool,
  neighbourhood: neighbourhoodPool,
} as const;

export type PoolName = keyof typeof POOLS;
export const POOL_NAMES = Object.keys(POOLS) as PoolName[];

export function poolFactory(name: string): PoolFactory<object> {
  const factory = (POOLS as Record<string, PoolFactory<object>>)[name];
  if (factory === undefined) throw new InputError(`unknown pool '${name}' (known: ${POOL_NAMES.join(", ")})`);
  return factory;
}

export function createPool<A>(name: string, options: Record<string, unknown> = {}): CandidatePool<A> {
  const factory = poolFactory(name);
  const unknown = Object.keys(options).filter((key) => !(key in factory.defaults));
  if (unknown.length > 0) {
    throw new InputError(`pool '${name}' has no option ${unknown.join(", ")} (options: ${Object.keys(factory.defaults).join(", ") || "none"})`);
  }
  return factory.create<A>(options);
}
