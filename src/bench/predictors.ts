/**
 * Benchmarks of the predictors: how well they rank NAS-Bench-101 (Kendall tau, Spearman rho, true
 * top 100 in the predicted top 1,000, on all cells not trained on; mean and deviation over seeds)
 * and how fast they fit and score the whole space.
 *
 * The full run is long (GCN fits at N = 860 take minutes each); environment variables pick parts:
 * - PREDNAS_BENCH_PREDICTORS  comma-separated predictor names (default "gcn,mlp-ensemble")
 * - PREDNAS_BENCH_SIZES       training sizes for the ranking figures (default "172,334,860")
 * - PREDNAS_BENCH_SEEDS       seeds per size (default 5)
 * - PREDNAS_BENCH_PARTS       "quality", "speed" or both (default "quality,speed")
 */
import { evaluatePredictor, uniformSample, type PredictorEvaluation } from "../predictors/evaluation.js";
import { createPredictor } from "../predictors/registry.js";
import { scoreAll, WorkerScorer } from "../predictors/scoring.js";
import { loadProblem, type Nasbench101Problem } from "../space/problems.js";
import { defaultWorkerCount } from "../util/workerPool.js";
import { median, timeMedian, type Figure, type Section } from "./harness.js";

/** Targets of the issue: whole-space scoring and a fit at N = 172, in seconds. */
const TARGETS: Readonly<Record<string, { score: number; fit172: number }>> = {
  gcn: { score: 10, fit172: 10 },
  "mlp-ensemble": { score: 3, fit172: 5 },
};

function listSetting(name: string, fallback: string): string[] {
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

async function qualityFigures(problem: Nasbench101Problem, predictor: string, sizes: number[], seeds: number, runs: PredictorEvaluation[]): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const trainSize of sizes) {
    const results: PredictorEvaluation[] = [];
    for (let seed = 0; seed < seeds; seed++) {
      const result = await evaluatePredictor(problem, { problem: "nasbench101", space: problem.space }, { predictor, trainSize, seed });
      log(`${predictor} N=${trainSize} seed ${seed}: tau ${result.kendallTau.toFixed(4)}, rho ${result.spearmanRho.toFixed(4)}, top ${result.top100InTop1000}, fit ${result.fitSeconds.toFixed(1)} s, scoring ${result.scoreSeconds.toFixed(1)} s`);
      results.push(result);
    }
    runs.push(...results);
    const note = `sd over ${seeds} seeds`;
    for (const [label, pick] of [
      ["Kendall tau", (r: PredictorEvaluation) => r.kendallTau],
      ["Spearman rho", (r: PredictorEvaluation) => r.spearmanRho],
      ["true top 100 in predicted top 1000", (r: PredictorEvaluation) => r.top100InTop1000],
    ] as const) {
      const { mean, sd } = meanAndDeviation(results.map(pick));
      figures.push({ name: `${predictor} N=${trainSize}: ${label}`, value: mean, unit: "", note: `± ${sd.toPrecision(2)} (${note})` });
    }
  }
  return figures;
}

async function speedFigures(problem: Nasbench101Problem, predictor: string, runs: PredictorEvaluation[]): Promise<Figure[]> {
  const target = TARGETS[predictor];
  const fitSeconds = async (trainSize: number): Promise<number> => {
    const measured = runs.filter((run) => run.trainSize === trainSize).map((run) => run.fitSeconds);
    if (measured.length > 0) return median(measured);
    const fitted = createPredictor(predictor, problem.space);
    const cells = uniformSample(problem.space, trainSize, 0);
    const start = performance.now();
    await fitted.fit(cells, cells.map(({ index }) => problem.truths[index]!), { seed: 0 });
    fitted.dispose();
    return (performance.now() - start) / 1000;
  };
  const fit172 = await fitSeconds(172);
  const fit860 = await fitSeconds(860);
  log(`${predictor}: fit ${fit172.toFixed(1)} s at N=172, ${fit860.toFixed(1)} s at N=860`);

  const fitted = createPredictor(predictor, problem.space);
  const cells = uniformSample(problem.space, 172, 0);
  await fitted.fit(cells, cells.map(({ index }) => problem.truths[index]!), { seed: 0 });
  const source = { problem: "nasbench101" as const, space: problem.space };
  const workers = defaultWorkerCount();
  const scorer = new WorkerScorer(source, workers);
  let cold: number;
  let scoreSeconds: number;
  try {
    cold = (await timeMedian(1, () => scorer.scoreAll(fitted))) / 1000;
    scoreSeconds = (await timeMedian(2, () => scorer.scoreAll(fitted))) / 1000;
  } finally {
    await scorer.close();
  }
  const oneThread = (await timeMedian(1, () => scoreAll(fitted, source, { workers: 0 }))) / 1000;
  fitted.dispose();
  const size = problem.space.enumeration.size;
  log(`${predictor}: scoring ${scoreSeconds.toFixed(2)} s warm on ${workers} workers (${cold.toFixed(2)} s with worker start), ${oneThread.toFixed(2)} s in one thread`);
  return [
    { name: `${predictor}: fit at N=172 (median over seeds)`, value: fit172, unit: "s", ...(target ? { target: { value: target.fit172, better: "lower" as const } } : {}) },
    { name: `${predictor}: fit at N=860 (median over seeds)`, value: fit860, unit: "s" },
    {
      name: `${predictor}: score all ${size.toLocaleString("en")} cells, ${workers} workers`,
      value: scoreSeconds,
      unit: "s",
      ...(target ? { target: { value: target.score, better: "lower" as const } } : {}),
      note: `workers running; ${cold.toFixed(1)} s with their start`,
    },
    { name: `${predictor}: scoring throughput, ${workers} workers`, value: size / scoreSeconds, unit: "cells/s" },
    { name: `${predictor}: scoring throughput, one thread`, value: size / oneThread, unit: "cells/s" },
  ];
}

export const predictorsSection: Section = {
  name: "predictors",
  description: "predictor ranking quality on the whole space (held-out cells) and fit/scoring speed; see src/bench/predictors.ts for the PREDNAS_BENCH_* settings",
  async run() {
    const problem = await loadProblem("nasbench101");
    const predictors = listSetting("PREDNAS_BENCH_PREDICTORS", "gcn,mlp-ensemble");
    const sizes = listSetting("PREDNAS_BENCH_SIZES", "172,334,860").map(Number);
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
