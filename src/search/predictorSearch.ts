/**
 * The predictor-based search loop (docs/study.md, "The methods"):
 *   1. query `initialSamples` architectures drawn uniformly;
 *   2. fit the predictor from scratch on every (architecture, observed value) so far;
 *   3. ask the candidate pool for up to S unqueried candidates with their predictions, and query
 *      the k best by the acquisition function;
 *   4. repeat until the budget is spent.
 * Every query records the predictor's score for it. If a pool returns fewer than k candidates
 * the rest of the iteration is drawn uniformly (recorded without a score).
 *
 * With N evaluations in flight the loop is asynchronous, not batch-synchronous: it never waits for
 * a whole batch. The k picks of an iteration are launched one by one as slots free, and when an
 * iteration's picks are all launched the next iteration starts at once: it refits on the outcomes
 * of every launch but the N - 1 most recent (which may still run: they, like every architecture
 * launched, are excluded from the pool), and its picks fill the next free slots. So only a refit
 * waits, and only for evaluations launched N or more launches ago; the first fit waits for the
 * whole initial sample. Outcomes are read in launch order, so a run's decisions do not depend on
 * timing, and with N = 1 this is exactly the sequential loop. Failed evaluations are left out of
 * the fits; an iteration with nothing to fit on is drawn uniformly. Every iteration launches an
 * architecture or finds the space exhausted (context.ts), so the loop ends when the space runs out.
 * A run that stops (a signal) abandons the fit or scoring under way: it waits only for its evaluations.
 */
import type { Prediction, Predictor } from "../predictors/types.js";
import type { CandidatePool, QueriedArch } from "../pools/types.js";
import { acquire, type Acquisition } from "./acquisition.js";
import { exhausted, InOrder, launchUniform, unlessStopped, valueOf, type SearchContext, type SearchLaunch } from "./context.js";

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
  const { space, evaluations, rng } = context;
  const stats: LoopStatistics = { fitMs: 0, poolMs: 0, predictorCalls: 0, iterations: 0, shortIterations: 0, fewestCandidates: Number.POSITIVE_INFINITY };
  const enumeration = space.enumeration;
  // Launched architectures (finished or not) are never candidates again.
  const launchedIndex = enumeration === undefined ? undefined : new Uint8Array(enumeration.size);
  const history: QueriedArch<A>[] = [];
  const read = new InOrder(evaluations, (launch) => {
    const value = valueOf(launch);
    if (value !== undefined) history.push({ arch: launch.arch, key: launch.key, value });
  });
  const mark = (launches: readonly SearchLaunch<A>[]): void => {
    if (launchedIndex !== undefined) for (const { arch } of launches) launchedIndex[enumeration!.indexOf(arch)] = 1;
  };
  const isQueried =
    launchedIndex === undefined ? (arch: A) => evaluations.launchOf(space.key(arch)) !== undefined : (arch: A) => launchedIndex[enumeration!.indexOf(arch)] === 1;

  // The architectures the user enqueued, launched before the loop, are never candidates either.
  mark(evaluations.launches);
  const initial = await launchUniform(context, Math.min(options.initialSamples, evaluations.remaining));
  mark(initial);
  while (evaluations.remaining > 0 && !evaluations.stopping && !exhausted(context)) {
    const iteration = ++stats.iterations;
    await read.known(initial.length);
    const k = Math.min(options.batchSize, evaluations.remaining);
    if (history.length === 0) {
      mark(await launchUniform(context, k, iteration));
      continue;
    }
    const fitStart = performance.now();
    const fitted = await unlessStopped(
      context,
      predictor.fit(
        history.map((h) => h.arch),
        history.map((h) => h.value),
        { seed: rng.nextUint32() },
      ).then(() => true),
    );
    const poolStart = performance.now();
    stats.fitMs += poolStart - fitStart;
    if (fitted === undefined) break;
    const candidates = await unlessStopped(context, pool.candidates({
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
    }));
    stats.poolMs += performance.now() - poolStart;
    if (candidates === undefined) break;
    if (options.poolSize !== undefined && candidates.archs.length < options.poolSize) {
      stats.shortIterations++;
      stats.fewestCandidates = Math.min(stats.fewestCandidates, candidates.archs.length);
    }
    const picked = acquire(candidates.mean, candidates.std, k, rng, options);
    let launched = 0;
    for (const c of picked) {
      if (!(await evaluations.slot())) return stats;
      mark([evaluations.launch(candidates.archs[c]!, { iteration, score: candidates.mean[c]!, ...(candidates.std ? { scoreStd: candidates.std[c]! } : {}) })]);
      launched++;
    }
    if (launched < k) mark(await launchUniform(context, k - launched, iteration));
  }
  return stats;
}
