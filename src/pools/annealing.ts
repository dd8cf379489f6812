/**
 * The `annealing` pool (claim C3): Metropolis chains on the predictor's score. Each chain starts
 * at one of the best queried architectures; each step proposes a random one-edit neighbour,
 * always accepted when it scores higher, else with probability exp(delta / T), the temperature
 * falling geometrically from `startTemperature` to `endTemperature` (both in units of the spread
 * of the observed values) over the S predictor calls. Every architecture visited is a candidate;
 * a proposal that was already queried is judged by its observed value and costs no call.
 */
import { InputError } from "../util/errors.js";
import { bestQueried, CandidateCollector, type CandidatePool, type PoolFactory } from "./types.js";

export interface AnnealingPoolOptions {
  readonly chains?: number;
  readonly startTemperature?: number;
  readonly endTemperature?: number;
}

export const ANNEALING_POOL_DEFAULTS: Required<AnnealingPoolOptions> = { chains: 10, startTemperature: 0.5, endTemperature: 0.01 };

function spread(values: readonly number[]): number {
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  const sd = Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length);
  return sd > 0 ? sd : 1e-3;
}

export const annealingPool: PoolFactory<AnnealingPoolOptions> = {
  name: "annealing",
  description: "Metropolis chains on the predictor score with a falling temperature, from the best queried architectures",
  defaults: ANNEALING_POOL_DEFAULTS,
  create<A>(partial: Partial<AnnealingPoolOptions> = {}): CandidatePool<A> {
    const options = { ...ANNEALING_POOL_DEFAULTS, ...partial };
    if (!Number.isInteger(options.chains) || options.chains < 1) throw new InputError(`annealing pool: chains must be a positive integer, got ${options.chains}`);
    if (!(options.startTemperature > 0 && options.endTemperature > 0 && options.endTemperature <= options.startTemperature)) {
      throw new InputError("annealing pool: temperatures must be positive, the end no higher than the start");
    }
    return {
      name: "annealing",
      async candidates(context) {
        const { rng, space } = context;
        const collector = new CandidateCollector(context);
        const ranked = bestQueried(context.history);
        const scale = spread(context.history.map((h) => h.value));
        const observed = new Map(context.history.map((h) => [h.key, h.value]));
        const chains = ranked.slice(0, options.chains).map(({ arch, value }) => ({ arch, score: value }));
        const steps = Math.max(1, Math.ceil(context.size / Math.max(1, chains.length)));
        const cooling = (options.endTemperature / options.startTemperature) ** (1 / steps);
        let temperature = options.startTemperature * scale;
        let stalled = 0;
        while (!collector.full && chains.length > 0 && stalled < 50) {
          const proposals = chains.map((chain) => space.randomEdit(chain.arch, rng));
          const fresh = proposals.map((arch) => arch !== undefined && collector.add(arch));
          const { mean } = await collector.flush();
          stalled = fresh.some(Boolean) ? 0 : stalled + 1;
          let next = 0;
          chains.forEach((chain, c) => {
            const arch = proposals[c];
            if (arch === undefined) return;
            const known = observed.get(space.key(arch));
            // A proposal is either newly scored, already queried (observed value), or a repeat
            // of a candidate scored earlier in this pool (then the chain stays put).
            const score = fresh[c] ? mean[next++]! : known;
            if (score === undefined) return;
            if (score >= chain.score || rng.random() < Math.exp((score - chain.score) / temperature)) {
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
};
