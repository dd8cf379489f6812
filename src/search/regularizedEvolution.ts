/**
 * Regularized evolution (Real et al. 2019) as in the NAS-Bench-101 paper's example: a population
 * of 50, each step a tournament of 10 distinct members drawn without replacement, the winner
 * (best observed value) mutated with the official mutation, the child evaluated and appended,
 * the oldest member removed. The initial population is evaluated and counts in the budget; here
 * it is drawn uniformly, so that all methods start from the same architectures for a seed.
 *
 * With N evaluations in flight it is the asynchronous form Real et al. ran on their workers: when
 * a slot frees, a tournament is held on the population as it is, and the child launched; the
 * children still running join the population when they finish. To stay reproducible, "as it is"
 * means with the outcomes of every launch but the N - 1 most recent (context.ts), read in launch
 * order. The first tournament waits for the whole initial population. A child already launched
 * is not evaluated again: it joins the population with its outcome (waiting for it if it runs),
 * as the sequential form re-reads a value it knows. Failed evaluations never join. The search
 * ends when the space is exhausted (context.ts), or after 10,000 children in a row that were all
 * launched before.
 */
import { z } from "zod";
import { integer, number, type Resolved } from "../options/schema.js";
import { breathe, exhausted, InOrder, launchUniform, valueOf, type SearchContext } from "./context.js";

/**
 * Children in a row that were all launched before, after which the search ends as exhausted: on a
 * space of unknown size, the population's neighbourhood has nothing new left.
 */
const REPEATED_CHILDREN_LIMIT = 10_000;

export const EVOLUTION_OPTIONS = z
  .strictObject({
    populationSize: integer({ min: 1, default: 50, description: "population (the first generation is drawn uniformly and counts in the budget)" }),
    tournamentSize: integer({ min: 1, default: 10, description: "distinct members drawn for each tournament" }),
    mutationRate: number({ min: 0, minExclusive: true, default: 1, description: "rate of the space's standard mutation" }),
  })
  .refine((o) => o.tournamentSize <= o.populationSize, { message: "the tournament (tournamentSize) cannot be larger than the population (populationSize)", path: ["tournamentSize"] });

export async function regularizedEvolution<A>(context: SearchContext<A>, { populationSize, tournamentSize, mutationRate }: Resolved<typeof EVOLUTION_OPTIONS>): Promise<void> {
  const { space, evaluations, rng } = context;
  const population: { arch: A; value: number }[] = [];
  const join = (arch: A, value: number | undefined): void => {
    if (value === undefined) return;
    population.push({ arch, value });
    if (population.length > populationSize) population.shift();
  };
  const read = new InOrder(evaluations, (launch) => join(launch.arch, valueOf(launch)));
  const initial = await launchUniform(context, populationSize);
  await read.through(initial.length);
  let iteration = 1;
  let repeated = 0;
  while (evaluations.remaining > 0 && !evaluations.stopping && !exhausted(context)) {
    await read.known(initial.length);
    if (population.length === 0) return;
    const contenders = rng.shuffle([...population.keys()]).slice(0, Math.min(tournamentSize, population.length));
    const parent = contenders.map((i) => population[i]!).reduce((best, member) => (member.value > best.value ? member : best));
    const child = space.mutate(parent.arch, rng, mutationRate);
    const earlier = evaluations.launchOf(space.key(child));
    iteration++;
    if (earlier !== undefined) {
      if (++repeated >= REPEATED_CHILDREN_LIMIT) return evaluations.exhaust();
      await breathe(repeated);
      const outcome = await earlier.settled;
      join(child, outcome.ok ? outcome.value : undefined);
      continue;
    }
    repeated = 0;
    if (!(await evaluations.slot())) return;
    evaluations.launch(child, { iteration: iteration - 1 });
  }
}
