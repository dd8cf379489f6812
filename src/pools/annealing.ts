/**
 * The `annealing` pool (claim C3): Metropolis chains on the predictor's score, ceil(S /
 * stepsPerChain) of them, started at the best queried architectures; each step proposes for every
 * chain a random one-edit neighbour (all scored in one predictor call),
 * always accepted when it scores higher, else with probability exp(delta / T), the temperature
 * falling geometrically from `startTemperature` to `endTemperature` (both in units of the spread
 * of the observed values) over the S predictor calls. Every architecture visited is a candidate;
 * a proposal that was already queried is judged by its observed value and costs no call. A chain
 * that finds nothing new for a while (stuck on a peak it has explored) restarts from the next
 * best queried architecture.
 */
import { z } from "zod";
import { integer, number, type Resolved } from "../options/schema.js";
import { bestQueried, CandidateCollector, definePool, type CandidatePool } from "./types.js";

export const ANNEALING_POOL_OPTIONS = z
  .strictObject({
    stepsPerChain: integer({ min: 1, default: 50, description: "steps per chain: the pool runs ceil(S / stepsPerChain) chains, all scored in one call per step" }),
    startTemperature: number({ min: 0, minExclusive: true, default: 0.5, description: "first temperature, in units of the spread of the observed values" }),
    endTemperature: number({ min: 0, minExclusive: true, default: 0.01, description: "last temperature, no higher than the first" }),
  })
  .refine((o) => o.endTemperature <= o.startTemperature, { message: "endTemperature must be no higher than startTemperature", path: ["endTemperature"] });

/** Steps without a new candidate after which a chain restarts elsewhere. */
const RESTART_AFTER = 5;
const MAX_PROPOSALS_PER_CANDIDATE = 5;

function spread(values: readonly number[]): number {
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  const sd = Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length);
  return sd > 0 ? sd : 1e-3;
}

export const annealingPool = definePool({
  name: "annealing",
  description: "Metropolis chains on the predictor score with a falling temperature, from the best queried architectures",
  options: ANNEALING_POOL_OPTIONS,
  create<A>(options: Resolved<typeof ANNEALING_POOL_OPTIONS>): CandidatePool<A> {
    return {
      name: "annealing",
      async candidates(context) {
        const { rng, space } = context;
        const collector = new CandidateCollector(context);
        const ranked = bestQueried(context.history);
        const scale = spread(context.history.map((h) => h.value));
        const observed = new Map(context.history.map((h) => [h.key, h.value]));
        // Chains start at the best queried architectures (cycling through them if there are more chains).
        const count = ranked.length === 0 ? 0 : Math.ceil(context.size / options.stepsPerChain);
        const chains = Array.from({ length: count }, (_, c) => ({ arch: ranked[c % ranked.length]!.arch, score: ranked[c % ranked.length]!.value, idle: 0 }));
        let nextStart = chains.length;
        const steps = options.stepsPerChain;
        const cooling = (options.endTemperature / options.startTemperature) ** (1 / steps);
        let temperature = options.startTemperature * scale;
        // Proposals that are repeats cost a hash but no call; cap them so a saturated
        // neighbourhood cannot stall the pool (it then returns fewer than S candidates).
        for (let proposed = 0; !collector.full && chains.length > 0 && proposed < MAX_PROPOSALS_PER_CANDIDATE * context.size; proposed += chains.length) {
          const proposals = chains.map((chain) => space.randomEdit(chain.arch, rng));
          const fresh = proposals.map((arch) => arch !== undefined && collector.add(arch));
          const { mean } = await collector.flush();
          let next = 0;
          chains.forEach((chain, c) => {
            const arch = proposals[c];
            // A proposal is newly scored, already queried (observed value), or a repeat of a
            // candidate scored earlier in this pool (then the chain stays put).
            const score = fresh[c] ? mean[next++]! : arch === undefined ? undefined : observed.get(space.key(arch));
            chain.idle = fresh[c] ? 0 : chain.idle + 1;
            if (chain.idle >= RESTART_AFTER) {
              const start = ranked[nextStart++ % ranked.length]!;
              Object.assign(chain, { arch: start.arch, score: start.value, idle: 0 });
            } else if (arch !== undefined && score !== undefined && (score >= chain.score || rng.random() < Math.exp((score - chain.score) / temperature))) {
              chain.arch = arch;
              chain.score = score;
            }
          });
          temperature *= cooling;
        }
        return collector.result();
      },
    };
  },
});
