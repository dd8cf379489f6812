/**
 * The predictor-based search loop (docs/study.md, "The methods"):
 *   1. query `initialSamples` architectures drawn uniformly;
 *   2. fit the predictor from scratch on every (architecture, observed value) so far;
 *   3. ask the candidate pool for up to S unqueried candidates with their predictions, and query
 *      the k best by the acquisition function;
 *   4. repeat until the budget is spent.
 * Every query records the predictor's score for it. If a pool returns fewer than k candidates
 * the rest of the iteration is drawn uniformly (recorded without a score).
 */
import type { Prediction, Predictor } from "../predictors/types.js";
import type { CandidatePool, QueriedArch } from "../pools/types.js";
import { acquire, type Acquisition } from "./acquisition.js";
import { evaluateOne, evaluateUniform, type SearchContext } from "./context.js";

/** The loop's own options (resolved: see methods.ts, where they are declared). */
export interface PredictorLoopOptions {
  /** n_init: architectures drawn uniformly before the first fit. */
  readonly initialSamples: number;
  /** k: architectures queried per iteration. */
  readonly batchSize: number;
  /** S: candidates the pool returns (and predictor calls it may spend) per iteration; absent for a whole-space pool. */
  readonly poolSize?: number;
  readonly acquisition: Acquisition;
  readonly ucbKappa: number;
}

export interface LoopStatistics {
  fitMs: number;
  poolMs: number;
  predictorCalls: number;
  iterations: number;
  /** Iterations whose pool held fewer than S candidates (it could not produce more), and the fewest it held. */
  shortIterations: number;
  fewestCandidates: number;
}

/**
 * Runs the loop. `scoreSpace`, when given, scores the fitted predictor on the whole space
 * elsewhere (worker threads): the full pool then uses it.
 */
export async function predictorSearch<A>(
  context: SearchContext<A>,
  predictor: Predictor<A>,
  pool: CandidatePool<A>,
  options: PredictorLoopOptions,
  scoreSpace?: () => Promise<Prediction>,
): Promise<LoopStatistics> {
  const { space, evaluator, rng } = context;
  const stats: LoopStatistics = { fitMs: 0, poolMs: 0, predictorCalls: 0, iterations: 0, shortIterations: 0, fewestCandidates: Number.POSITIVE_INFINITY };
  const enumeration = space.enumeration;
  const queriedIndex = enumeration === undefined ? undefined : new Uint8Array(enumeration.size);
  const history: QueriedArch<A>[] = [];
  const remember = (arch: A): void => {
    const key = space.key(arch);
    history.push({ arch, key, value: evaluator.evaluate(arch).value });
    if (queriedIndex !== undefined) queriedIndex[enumeration!.indexOf(arch)] = 1;
  };
  const isQueried = queriedIndex === undefined ? (arch: A) => evaluator.has(space.key(arch)) : (arch: A) => queriedIndex[enumeration!.indexOf(arch)] === 1;

  evaluateUniform(context, Math.min(options.initialSamples, evaluator.remaining)).forEach(remember);
  while (evaluator.remaining > 0) {
    const iteration = ++stats.iterations;
    const fitStart = performance.now();
    await predictor.fit(
      history.map((h) => h.arch),
      history.map((h) => h.value),
      { seed: rng.nextUint32() },
    );
    const poolStart = performance.now();
    stats.fitMs += poolStart - fitStart;
    const candidates = await pool.candidates({
      space,
      rng,
      history,
      isQueried,
      // A whole-space pool has no S: it may return (and score) every architecture.
      size: options.poolSize ?? Number.POSITIVE_INFINITY,
      score: (archs) => {
        stats.predictorCalls += archs.length;
        return predictor.predict(archs);
      },
      ...(scoreSpace && enumeration
        ? {
            scoreSpace: () => {
              stats.predictorCalls += enumeration.size - history.length;
              return scoreSpace();
            },
          }
        : {}),
    });
    stats.poolMs += performance.now() - poolStart;
    if (options.poolSize !== undefined && candidates.archs.length < options.poolSize) {
      stats.shortIterations++;
      stats.fewestCandidates = Math.min(stats.fewestCandidates, candidates.archs.length);
    }
    const k = Math.min(options.batchSize, evaluator.remaining);
    const picked = acquire(candidates.mean, candidates.std, k, rng, options);
    for (const c of picked) {
      const arch = candidates.archs[c]!;
      evaluateOne(context, arch, { iteration, score: candidates.mean[c]!, ...(candidates.std ? { scoreStd: candidates.std[c]! } : {}) });
      remember(arch);
    }
    if (picked.length < k) evaluateUniform(context, k - picked.length, iteration).forEach(remember);
  }
  return stats;
}
