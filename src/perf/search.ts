/**
 * Benchmarks of the predictor-based loop: the wall time of one run of 150 queries (docs/study.md's
 * defaults otherwise) per predictor with the `mutation` pool at S = 1,000 and with the `full`
 * pool, against the targets of the search issue, with where the time went (fit, pool). As
 * `prednas search` does, the full pool is scored on one worker thread per core.
 *
 * - PREDNAS_BENCH_SEARCH_PREDICTORS  comma-separated predictor names (default "mlp-ensemble,gcn")
 * - PREDNAS_BENCH_SEARCH_SEEDS       runs per configuration, seeds 0..n-1 (default 1)
 */
import { resolveMethodOptions, runSearch } from "../search/methods.js";
import { defaultWorkerCount } from "../util/workerPool.js";
import { benchProblem, listSetting } from "./predictors.js";
import { median, type Figure, type Section } from "./harness.js";

const BUDGET = 150;

/** Targets of the issue, in seconds per run: mutation pool at S = 1,000, and the full pool. */
const TARGETS: Readonly<Record<string, { mutation: number; full: number }>> = {
  "mlp-ensemble": { mutation: 30, full: 90 },
  gcn: { mutation: 60, full: 180 },
};

const POOLS = [
  { label: "mutation pool S=1000", options: { pool: "mutation", poolSize: 1000 }, target: "mutation" },
  { label: "full pool", options: { pool: "full" }, target: "full" },
] as const;

export const searchSection: Section = {
  name: "search",
  description: `one predictor-based run of ${BUDGET} queries per predictor and pool (wall time; fit and pool time in the note)`,
  async run() {
    const problem = await benchProblem();
    const predictors = listSetting("PREDNAS_BENCH_SEARCH_PREDICTORS", "mlp-ensemble,gcn");
    const seeds = Number(process.env.PREDNAS_BENCH_SEARCH_SEEDS ?? 1);
    const figures: Figure[] = [];
    for (const predictor of predictors) {
      for (const { label, options, target } of POOLS) {
        const runs = [];
        for (let seed = 0; seed < seeds; seed++) {
          const record = await runSearch(problem, {
            method: "predictor",
            seed,
            budget: BUDGET,
            options: resolveMethodOptions("predictor", { predictor, ...options }),
            spaceScoring: { problem: problem.spec, workers: defaultWorkerCount() },
          });
          process.stderr.write(
            `  ${predictor}, ${label}, seed ${seed}: ${(record.timing.totalMs / 1000).toFixed(1)} s (fit ${(record.timing.fitMs / 1000).toFixed(1)} s, pool ${(record.timing.poolMs / 1000).toFixed(1)} s)\n`,
          );
          runs.push(record.timing);
        }
        const goal = TARGETS[predictor]?.[target];
        figures.push({
          name: `${predictor}, ${label}: one run of ${BUDGET} queries`,
          value: median(runs.map((t) => t.totalMs)) / 1000,
          unit: "s",
          ...(goal !== undefined ? { target: { value: goal, better: "lower" as const } } : {}),
          note: `fit ${(median(runs.map((t) => t.fitMs)) / 1000).toFixed(1)} s, pool ${(median(runs.map((t) => t.poolMs)) / 1000).toFixed(1)} s (median of ${seeds})`,
        });
      }
    }
    return figures;
  },
};
