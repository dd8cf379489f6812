/**
 * Regularized evolution (Real et al. 2019) as in the NAS-Bench-101 paper's example: a population
 * of 50, each step a tournament of 10 distinct members drawn without replacement, the winner
 * (best observed value) mutated with the official mutation, the child evaluated and appended,
 * the oldest member removed. The initial population is evaluated and counts in the budget; here
 * it is drawn uniformly, so that all methods start from the same architectures for a seed.
 */
import { InputError } from "../util/errors.js";
import { evaluateOne, evaluateUniform, type SearchContext } from "./context.js";

export interface EvolutionOptions {
  readonly populationSize?: number;
  readonly tournamentSize?: number;
  /** The official mutation rate (expected edge slots flipped x 7/21, ops changed). */
  readonly mutationRate?: number;
}

export const EVOLUTION_DEFAULTS: Required<EvolutionOptions> = { populationSize: 50, tournamentSize: 10, mutationRate: 1 };

export function regularizedEvolution<A>(context: SearchContext<A>, options: EvolutionOptions = {}): void {
  const { populationSize, tournamentSize, mutationRate } = { ...EVOLUTION_DEFAULTS, ...options };
  if (tournamentSize > populationSize) throw new InputError(`the tournament (${tournamentSize}) cannot be larger than the population (${populationSize})`);
  const { space, evaluator, rng } = context;
  const population = evaluateUniform(context, populationSize).map((arch) => ({ arch, value: evaluator.evaluate(arch).value }));
  let iteration = 1;
  while (evaluator.remaining > 0 && population.length > 0) {
    const contenders = rng.shuffle([...population.keys()]).slice(0, Math.min(tournamentSize, population.length));
    const parent = contenders.map((i) => population[i]!).reduce((best, member) => (member.value > best.value ? member : best));
    const child = space.mutate(parent.arch, rng, mutationRate);
    const value = evaluateOne(context, child, { iteration: iteration++ });
    population.push({ arch: child, value });
    if (population.length > populationSize) population.shift();
  }
}
