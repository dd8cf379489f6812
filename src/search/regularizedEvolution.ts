/**
 * Regularized evolution (Real et al. 2019) as in the NAS-Bench-101 paper's example: a population
 * of 50, each step a tournament of 10 distinct members drawn without replacement, the winner
 * (best observed value) mutated with the official mutation, the child evaluated and appended,
 * the oldest member removed. The initial population is evaluated and counts in the budget; here
 * it is drawn uniformly, so that all methods start from the same architectures for a seed.
 */
import { z } from "zod";
import { integer, number, type Resolved } from "../options/schema.js";
import { evaluateOne, evaluateUniform, type SearchContext } from "./context.js";

export const EVOLUTION_OPTIONS = z
  .strictObject({
    populationSize: integer({ min: 1, default: 50, description: "population (the first generation is drawn uniformly and counts in the budget)" }),
    tournamentSize: integer({ min: 1, default: 10, description: "distinct members drawn for each tournament" }),
    mutationRate: number({ min: 0, minExclusive: true, default: 1, description: "rate of the space's standard mutation" }),
  })
  .refine((o) => o.tournamentSize <= o.populationSize, { message: "the tournament (tournamentSize) cannot be larger than the population (populationSize)", path: ["tournamentSize"] });

export function regularizedEvolution<A>(context: SearchContext<A>, { populationSize, tournamentSize, mutationRate }: Resolved<typeof EVOLUTION_OPTIONS>): void {
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
