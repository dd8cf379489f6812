/**
 * The `evolution` pool (claim C3): regularized evolution run on the predictor instead of the
 * truth. The population starts as the best queried architectures (with their observed values);
 * each generation draws `batch` tournaments, mutates the winners, scores the new children in one
 * predictor call, appends them and retires the oldest members. Every architecture it visits is a
 * candidate, until S have been scored.
 */
import { InputError } from "../util/errors.js";
import { bestQueried, CandidateCollector, type CandidatePool, type PoolFactory } from "./types.js";
import { mutateBy, MUTATION_POOL_DEFAULTS } from "./mutation.js";

export interface EvolutionPoolOptions {
  readonly populationSize?: number;
  readonly tournamentSize?: number;
  /** Children scored per predictor call. */
  readonly batch?: number;
  /** The mutation: "official" (the space's standard mutation) or "edits" (1..maxEdits random edits). */
  readonly operator?: "edits" | "official";
  readonly maxEdits?: number;
}

export const EVOLUTION_POOL_DEFAULTS: Required<EvolutionPoolOptions> = {
  populationSize: 50,
  tournamentSize: 10,
  batch: 50,
  operator: "official",
  maxEdits: 2,
};

export const evolutionPool: PoolFactory<EvolutionPoolOptions> = {
  name: "evolution",
  description: "regularized evolution on the predictor, seeded with the best queried architectures",
  defaults: EVOLUTION_POOL_DEFAULTS,
  create<A>(partial: Partial<EvolutionPoolOptions> = {}): CandidatePool<A> {
    const options = { ...EVOLUTION_POOL_DEFAULTS, ...partial };
    for (const name of ["populationSize", "tournamentSize", "batch", "maxEdits"] as const) {
      if (!Number.isInteger(options[name]) || options[name] < 1) throw new InputError(`evolution pool: ${name} must be a positive integer, got ${options[name]}`);
    }
    const mutation = { ...MUTATION_POOL_DEFAULTS, operator: options.operator, maxEdits: options.maxEdits };
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
};
