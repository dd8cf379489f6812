/**
 * The `evolution` pool (claim C3): regularized evolution run on the predictor instead of the
 * truth. The population starts as the best queried architectures (with their observed values);
 * each generation draws `batch` tournaments, mutates the winners, scores the new children in one
 * predictor call, appends them and retires the oldest members. Every architecture it visits is a
 * candidate, until S have been scored.
 */
import { z } from "zod";
import { integer, type Resolved } from "../options/schema.js";
import { bestQueried, CandidateCollector, definePool, type CandidatePool } from "./types.js";
import { mutateBy, mutationOperatorOptions } from "./mutation.js";

export const EVOLUTION_POOL_OPTIONS = z.strictObject({
  populationSize: integer({ min: 1, default: 50, description: "population of the evolution (seeded with the best queried architectures)" }),
  tournamentSize: integer({ min: 1, default: 10, description: "members drawn for each tournament" }),
  batch: integer({ min: 1, default: 50, description: "children scored per predictor call" }),
  ...mutationOperatorOptions({ operator: "official", maxEdits: 2 }),
});

export const evolutionPool = definePool({
  name: "evolution",
  description: "regularized evolution on the predictor, seeded with the best queried architectures",
  options: EVOLUTION_POOL_OPTIONS,
  create<A>(options: Resolved<typeof EVOLUTION_POOL_OPTIONS>): CandidatePool<A> {
    // The standard mutation at its usual rate.
    const mutation = { operator: options.operator, maxEdits: options.maxEdits, mutationRate: 1 };
    return {
      name: "evolution",
      async candidates(context) {
        const { rng, space } = context;
        const collector = new CandidateCollector(context);
        const population = bestQueried(context.history)
          .slice(0, options.populationSize)
          .reverse() // oldest first: the weakest seeds retire first
          .map(({ arch, value }) => ({ arch, fitness: value }));
        let stalled = 0;
        while (!collector.full && population.length > 0 && stalled < 20) {
          const children: A[] = [];
          for (let b = 0; b < options.batch && collector.count < context.size; b++) {
            const contenders = rng.shuffle([...population.keys()]).slice(0, Math.min(options.tournamentSize, population.length));
            const winner = contenders.map((i) => population[i]!).reduce((best, member) => (member.fitness > best.fitness ? member : best));
            const child = mutateBy(space, winner.arch, rng, mutation);
            if (child !== undefined && collector.add(child)) children.push(child);
          }
          stalled = children.length === 0 ? stalled + 1 : 0;
          const { mean } = await collector.flush();
          children.forEach((arch, i) => population.push({ arch, fitness: mean[i]! }));
          population.splice(0, Math.max(0, population.length - options.populationSize));
        }
        return collector.result();
      },
    };
  },
});
