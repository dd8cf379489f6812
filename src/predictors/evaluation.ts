/**
 * How well a predictor ranks a whole space: train it on N architectures drawn uniformly, score
 * every architecture, and compare with the truth on the architectures it did not see (Kendall's
 * tau-b, Spearman's rho, how many of the true top 100 its top 1,000 holds, and its precision at the
 * top: the share of the true top 0.1% in its predicted top 0.1%, the part a search spends on),
 * timing the fit and the scoring. The `predictor eval` command and the benchmark both run it.
 */
import type { OptionSource } from "../options/schema.js";
import type { MeasuredSet, Problem, SearchSpace } from "../spaces/types.js";
import { InputError } from "../util/errors.js";
import { kendallTau, spearmanRho, topHits } from "../util/ranking.js";
import { seededRng } from "../util/rng.js";
import { createPredictor } from "./registry.js";
import { scoreAll, type ScoringSource } from "./scoring.js";

export interface EvaluationRequest {
  readonly predictor: string;
  readonly predictorOptions?: Readonly<Record<string, unknown>>;
  /** Where the predictor options came from, for error messages. */
  readonly optionSource?: OptionSource;
  /** N: architectures to train on, drawn uniformly without repeats. */
  readonly trainSize: number;
  /** Seeds the draw of the training set and the fit. */
  readonly seed: number;
  /** Worker threads for the scoring (0: this thread). */
  readonly workers?: number;
  readonly onScoringProgress?: (scored: number, total: number) => void;
}

export const TRUE_TOP = 100;
export const PREDICTED_TOP = 1000;
/** The top share whose precision is reported. */
export const TOP_FRACTION = 0.001;

export interface PredictorEvaluation {
  readonly predictor: string;
  readonly trainSize: number;
  readonly seed: number;
  /** Architectures the metrics are computed on: the whole space minus the training set. */
  readonly heldOut: number;
  readonly kendallTau: number;
  readonly spearmanRho: number;
  /** Of the true top 100 held-out architectures, how many the predicted top 1,000 holds. */
  readonly top100InTop1000: number;
  /** Of the true top 0.1% held-out architectures (at least one), the share in the predicted top 0.1%. */
  readonly topPrecision: number;
  readonly fitSeconds: number;
  readonly scoreSeconds: number;
  readonly cellsPerSecond: number;
  /**
   * CPU time of the fit and of the scoring (all threads): robust against other load on the
   * machine, which wall times are not.
   */
  readonly fitCpuSeconds: number;
  readonly scoreCpuSeconds: number;
}

/** Runs `f`, returning its result with its wall time and the process's CPU time (all threads), in seconds. */
export async function measured<T>(f: () => Promise<T>): Promise<{ result: T; seconds: number; cpuSeconds: number }> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const result = await f();
  const { user, system } = process.cpuUsage(cpu);
  return { result, seconds: (performance.now() - start) / 1000, cpuSeconds: (user + system) / 1e6 };
}

export async function evaluatePredictor<A>(problem: Problem<A>, source: ScoringSource<A>, request: EvaluationRequest): Promise<PredictorEvaluation> {
  const { space, truths } = problem;
  const enumeration = space.enumeration;
  if (enumeration === undefined) throw new InputError(`the space ${space.name} cannot be listed, so a predictor cannot be evaluated on all of it`);
  const training = uniformSample(space, request.trainSize, request.seed);
  const predictor = createPredictor(request.predictor, space, request.predictorOptions ?? {}, request.optionSource);
  try {
    const fit = await measured(() =>
      predictor.fit(
        training,
        training.map((arch) => problem.oracle.observe(arch).value),
        { seed: request.seed },
      ),
    );
    const scoring = await measured(() => scoreAll(predictor, source, { workers: request.workers, onProgress: request.onScoringProgress }));
    const { mean } = scoring.result;
    const seen = new Set(training.map((arch) => enumeration.indexOf(arch)));
    const heldOut = Int32Array.from({ length: enumeration.size }, (_, i) => i).filter((i) => !seen.has(i));
    const predicted = Float64Array.from(heldOut, (i) => mean[i]!);
    const truth = Float64Array.from(heldOut, (i) => truths[i]!);
    return {
      predictor: request.predictor,
      trainSize: training.length,
      seed: request.seed,
      heldOut: heldOut.length,
      kendallTau: kendallTau(predicted, truth),
      spearmanRho: spearmanRho(predicted, truth),
      top100InTop1000: topHits(truth, predicted, TRUE_TOP, PREDICTED_TOP),
      topPrecision: topPrecision(truth, predicted),
      fitSeconds: fit.seconds,
      scoreSeconds: scoring.seconds,
      cellsPerSecond: enumeration.size / scoring.seconds,
      fitCpuSeconds: fit.cpuSeconds,
      scoreCpuSeconds: scoring.cpuSeconds,
    };
  } finally {
    predictor.dispose();
  }
}

/** The share of the true top `TOP_FRACTION` (at least one architecture) in the predicted top as many. */
export function topPrecision(truth: ArrayLike<number>, predicted: ArrayLike<number>): number {
  const count = Math.max(1, Math.round(truth.length * TOP_FRACTION));
  return topHits(truth, predicted, count, count) / count;
}

/** `count` distinct architectures drawn uniformly (seeded). */
export function uniformSample<A>(space: SearchSpace<A>, count: number, seed: number): A[] {
  const size = space.enumeration?.size ?? Infinity;
  if (!Number.isInteger(count) || count < 1 || count > size) throw new InputError(`the training size must be an integer from 1 to ${size}, got ${count}`);
  const rng = seededRng(seed);
  const keys = new Set<string>();
  const drawn: A[] = [];
  while (drawn.length < count) {
    const arch = space.sampleUniform(rng);
    const key = space.key(arch);
    if (keys.has(key)) continue;
    keys.add(key);
    drawn.push(arch);
  }
  return drawn;
}

/** How well a predictor trained on part of a benchmark's measured training split ranks its measured test split. */
export interface SplitEvaluation {
  readonly predictor: string;
  readonly trainSize: number;
  /** Of the training split. */
  readonly trainPool: number;
  readonly seed: number;
  readonly tested: number;
  readonly kendallTau: number;
  readonly spearmanRho: number;
  readonly fitSeconds: number;
  readonly fitCpuSeconds: number;
}

/**
 * For a space that cannot be scored whole (Accel-NASBench): train on N architectures drawn
 * uniformly (seeded) from the measured training split and rank the measured test split, against
 * the measurements (not a surrogate).
 */
export async function evaluateOnSplit<A>(space: SearchSpace<A>, split: { readonly train: MeasuredSet<A>; readonly test: MeasuredSet<A> }, request: EvaluationRequest): Promise<SplitEvaluation> {
  const { train, test } = split;
  if (!Number.isInteger(request.trainSize) || request.trainSize < 1 || request.trainSize > train.archs.length) {
    throw new InputError(`the training size must be an integer from 1 to ${train.archs.length} (the measured training split of ${space.name}), got ${request.trainSize}`);
  }
  // A partial Fisher-Yates shuffle: the first N of a seeded permutation of the training split.
  const rng = seededRng(request.seed);
  const order = Array.from(train.archs.keys());
  for (let i = 0; i < request.trainSize; i++) {
    const j = i + rng.below(order.length - i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const chosen = order.slice(0, request.trainSize);
  const predictor = createPredictor(request.predictor, space, request.predictorOptions ?? {}, request.optionSource);
  try {
    const fit = await measured(() => predictor.fit(chosen.map((i) => train.archs[i]!), Float64Array.from(chosen, (i) => train.values[i]!), { seed: request.seed }));
    const { mean } = await predictor.predict(test.archs);
    const predicted = Float64Array.from(mean);
    return {
      predictor: request.predictor,
      trainSize: request.trainSize,
      trainPool: train.archs.length,
      seed: request.seed,
      tested: test.archs.length,
      kendallTau: kendallTau(predicted, test.values),
      spearmanRho: spearmanRho(predicted, test.values),
      fitSeconds: fit.seconds,
      fitCpuSeconds: fit.cpuSeconds,
    };
  } finally {
    predictor.dispose();
  }
}
