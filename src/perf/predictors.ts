/**
 * Benchmarks of the predictors: how well they rank NAS-Bench-101 (Kendall tau, Spearman rho, true
 * top 100 in the predicted top 1,000, precision at the top 0.1%, on all cells not trained on; mean and deviation over seeds)
 * and how fast they fit and score the whole space.
 *
 * The full run is long (GCN fits at N = 860 take minutes each); environment variables pick parts:
 * - PREDNAS_BENCH_PREDICTORS  comma-separated predictor names (default "gcn-rank,gcn,mlp-ensemble")
 * - PREDNAS_BENCH_SIZES       training sizes for the ranking figures (default "100,172,424,860")
 * - PREDNAS_BENCH_SEEDS       seeds per size (default 5)
 * - PREDNAS_BENCH_PARTS       "quality", "speed" or both (default "quality,speed")
 * - PREDNAS_BENCH_SPACE       the space (default: the registry's default, NAS-Bench-101, which the targets are for)
 */
import { evaluatePredictor, measured, uniformSample, type PredictorEvaluation } from "../predictors/evaluation.js";
import { createPredictor } from "../predictors/registry.js";
import { scoreAll, WorkerScorer } from "../predictors/scoring.js";
import { DEFAULT_SPACE, loadProblem } from "../spaces/registry.js";
import type { Problem } from "../spaces/types.js";
import type { Predictor } from "../predictors/types.js";
import { defaultWorkerCount } from "../util/workerPool.js";
import { median, type Figure, type Section } from "./harness.js";

/** Targets of the issue: whole-space scoring and a fit at N = 172, in seconds. */
const TARGETS: Readonly<Record<string, { score: number; fit172: number }>> = {
  gcn: { score: 10, fit172: 10 },
  "mlp-ensemble": { score: 3, fit172: 5 },
};

/** A comma-separated list from the environment, or `fallback`. */
export function listSetting(name: string, fallback: string): string[] {
  return (process.env[name] ?? fallback)
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

function meanAndDeviation(values: readonly number[]): { mean: number; sd: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = values.length > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1)) : 0;
  return { mean, sd };
}

function log(text: string): void {
  process.stderr.write(`  ${text}\n`);
}

/** The problem the predictor figures are measured on. */
export function benchProblem(): Promise<Problem<unknown>> {
  return loadProblem({ space: process.env.PREDNAS_BENCH_SPACE ?? DEFAULT_SPACE });
}

async function qualityFigures(problem: Problem<unknown>, predictor: string, sizes: number[], seeds: number, runs: PredictorEvaluation[]): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const trainSize of sizes) {
    const results: PredictorEvaluation[] = [];
    for (let seed = 0; seed < seeds; seed++) {
      const result = await evaluatePredictor(problem, { problem: problem.spec, space: problem.space }, { predictor, trainSize, seed });
      log(
        `${predictor} N=${trainSize} seed ${seed}: tau ${result.kendallTau.toFixed(4)}, rho ${result.spearmanRho.toFixed(4)}, top ${result.top100InTop1000}, top 0.1% ${result.topPrecision.toFixed(3)}, ` +
          `fit ${result.fitSeconds.toFixed(1)} s (${result.fitCpuSeconds.toFixed(1)} s CPU), scoring ${result.scoreSeconds.toFixed(1)} s (${result.scoreCpuSeconds.toFixed(1)} s CPU)`,
      );
      results.push(result);
    }
    runs.push(...results);
    const note = `sd over ${seeds} seeds`;
    for (const [label, pick] of [
      ["Kendall tau", (r: PredictorEvaluation) => r.kendallTau],
      ["Spearman rho", (r: PredictorEvaluation) => r.spearmanRho],
      ["true top 100 in predicted top 1000", (r: PredictorEvaluation) => r.top100InTop1000],
      ["precision at the top 0.1%", (r: PredictorEvaluation) => r.topPrecision],
    ] as const) {
      const { mean, sd } = meanAndDeviation(results.map(pick));
      figures.push({ name: `${predictor} N=${trainSize}: ${label}`, value: mean, unit: "", note: `± ${sd.toPrecision(2)} (${note})` });
    }
  }
  return figures;
}

/** Scores the space once with fresh workers (their start included), then twice with them running. */
async function timeWorkerScoring(scorer: WorkerScorer<unknown>, predictor: Predictor<unknown>) {
  try {
    const cold = await measured(() => scorer.scoreAll(predictor));
    const warm = [await measured(() => scorer.scoreAll(predictor)), await measured(() => scorer.scoreAll(predictor))];
    return { cold, warm };
  } finally {
    await scorer.close();
  }
}

async function speedFigures(problem: Problem<unknown>, predictor: string, runs: PredictorEvaluation[]): Promise<Figure[]> {
  const target = TARGETS[predictor];
  const fitted = async (trainSize: number) => {
    const fresh = createPredictor(predictor, problem.space);
    const cells = uniformSample(problem.space, trainSize, 0);
    const fit = await measured(() => fresh.fit(cells, cells.map((arch) => problem.oracle.observe(arch).value), { seed: 0 }));
    return { predictor: fresh, fit };
  };
  /** Median wall and CPU seconds of the fits at `trainSize`: from the ranking runs, else one fit. */
  const fitTime = async (trainSize: number) => {
    const measuredRuns = runs.filter((run) => run.trainSize === trainSize);
    if (measuredRuns.length > 0) return { seconds: median(measuredRuns.map((run) => run.fitSeconds)), cpuSeconds: median(measuredRuns.map((run) => run.fitCpuSeconds)) };
    const { predictor: fresh, fit } = await fitted(trainSize);
    fresh.dispose();
    return fit;
  };
  const fit172 = await fitTime(172);
  const fit860 = await fitTime(860);
  log(`${predictor}: fit ${fit172.seconds.toFixed(1)} s (${fit172.cpuSeconds.toFixed(1)} s CPU) at N=172, ${fit860.seconds.toFixed(1)} s (${fit860.cpuSeconds.toFixed(1)} s CPU) at N=860`);

  const { predictor: scored } = await fitted(172);
  const source = { problem: problem.spec, space: problem.space };
  const workers = defaultWorkerCount();
  const { cold, warm } = await timeWorkerScoring(new WorkerScorer(source, workers), scored);
  const oneThread = await measured(() => scoreAll(scored, source, { workers: 0 }));
  scored.dispose();
  const size = problem.space.enumeration.size;
  const scoreSeconds = median(warm.map((run) => run.seconds));
  const scoreCpu = median(warm.map((run) => run.cpuSeconds));
  log(`${predictor}: scoring ${scoreSeconds.toFixed(2)} s (${scoreCpu.toFixed(1)} s CPU) on ${workers} running workers, ${cold.seconds.toFixed(2)} s with their start; ${oneThread.seconds.toFixed(2)} s (${oneThread.cpuSeconds.toFixed(1)} s CPU) in one thread`);
  const cpuNote = (cpuSeconds: number) => `${cpuSeconds.toFixed(1)} s of CPU`;
  return [
    {
      name: `${predictor}: fit at N=172`,
      value: fit172.seconds,
      unit: "s",
      ...(target ? { target: { value: target.fit172, better: "lower" as const } } : {}),
      note: cpuNote(fit172.cpuSeconds),
    },
    { name: `${predictor}: fit at N=860`, value: fit860.seconds, unit: "s", note: cpuNote(fit860.cpuSeconds) },
    {
      name: `${predictor}: score all ${size.toLocaleString("en")} cells, ${workers} workers`,
      value: scoreSeconds,
      unit: "s",
      ...(target ? { target: { value: target.score, better: "lower" as const } } : {}),
      note: `${cpuNote(scoreCpu)}; workers running (${cold.seconds.toFixed(1)} s with their start)`,
    },
    { name: `${predictor}: scoring throughput, ${workers} workers`, value: size / scoreSeconds, unit: "cells/s" },
    { name: `${predictor}: scoring throughput, one thread`, value: size / oneThread.seconds, unit: "cells/s", note: `${Math.round(size / oneThread.cpuSeconds)} cells per CPU second` },
  ];
}

export const predictorsSection: Section = {
  name: "predictors",
  description: "predictor ranking quality on the whole space (held-out cells) and fit/scoring speed; see src/perf/predictors.ts for the PREDNAS_BENCH_* settings",
  async run() {
    const problem = await benchProblem();
    const predictors = listSetting("PREDNAS_BENCH_PREDICTORS", "gcn-rank,gcn,mlp-ensemble");
    const sizes = listSetting("PREDNAS_BENCH_SIZES", "100,172,424,860").map(Number);
    const seeds = Number(process.env.PREDNAS_BENCH_SEEDS ?? 5);
    const parts = listSetting("PREDNAS_BENCH_PARTS", "quality,speed");
    const figures: Figure[] = [];
    for (const predictor of predictors) {
      const runs: PredictorEvaluation[] = [];
      if (parts.includes("quality")) figures.push(...(await qualityFigures(problem, predictor, sizes, seeds, runs)));
      if (parts.includes("speed")) figures.push(...(await speedFigures(problem, predictor, runs)));
    }
    return figures;
  },
};
