/** `prednas search`: one search run on NAS-Bench-101, by any method, through the common harness. */
import type { Command } from "commander";
import { InputError } from "../util/errors.js";
import { ensureWritableFile, writeFileAtomic } from "../util/files.js";
import { OBJECTIVES, type Objective } from "../spaces/nasbench101/table/metrics.js";
import { loadProblem } from "../spaces/registry.js";
import { POOL_NAMES } from "../pools/registry.js";
import { PREDICTORS } from "../predictors/registry.js";
import { METHODS, runSearch, type Method } from "../search/methods.js";
import { bestQuery, runWarnings } from "../search/record.js";
import { defaultWorkerCount } from "../util/workerPool.js";
import { choiceOption, integerOption, progressBar, writeOut } from "./io.js";

interface SearchOptions {
  method: Method;
  predictor?: string;
  pool?: string;
  poolSize?: number;
  budget: number;
  seed: number;
  objective: Objective;
  options?: string;
  out?: string;
  json?: boolean;
  data?: string;
  workers?: number;
}

/** The method options given by the flags (only those given: the rest take their defaults). */
function methodOptions(flags: SearchOptions): Record<string, unknown> {
  let extra: Record<string, unknown> = {};
  if (flags.options !== undefined) {
    try {
      extra = JSON.parse(flags.options) as Record<string, unknown>;
    } catch (error) {
      throw new InputError(`--options must be a JSON object: ${(error as Error).message}`);
    }
    if (typeof extra !== "object" || extra === null || Array.isArray(extra)) throw new InputError("--options must be a JSON object");
  }
  const fromFlags: Record<string, unknown> = {};
  if (flags.predictor !== undefined) fromFlags.predictor = flags.predictor;
  if (flags.pool !== undefined) fromFlags.pool = flags.pool;
  if (flags.poolSize !== undefined) fromFlags.poolSize = flags.poolSize;
  for (const [flag, name] of [["--predictor", "predictor"], ["--pool", "pool"], ["--pool-size", "poolSize"]] as const) {
    if (fromFlags[name] !== undefined && extra[name] !== undefined && extra[name] !== fromFlags[name]) {
      throw new InputError(`${flag} ${String(fromFlags[name])} and --options ${name} ${JSON.stringify(extra[name])} disagree: give it once`);
    }
  }
  const usesPredictor = flags.method === "predictor" || flags.method === "bananas";
  if (!usesPredictor && Object.keys(fromFlags).length > 0) {
    throw new InputError(`--predictor, --pool and --pool-size apply to the predictor and bananas methods, not '${flags.method}'`);
  }
  return { ...extra, ...fromFlags };
}

export function registerSearchCommand(program: Command): void {
  program
    .command("search")
    .description("run one search on NAS-Bench-101 and report the best cell it found")
    .option("--method <M>", `search method: ${METHODS.join(", ")}`, choiceOption(METHODS), "predictor")
    .option("--predictor <P>", `predictor for the predictor-based loop: ${Object.keys(PREDICTORS).join(", ")} (default mlp-ensemble)`)
    .option("--pool <P>", `candidate pool: ${POOL_NAMES.join(", ")} (default mutation)`)
    .option("--pool-size <S>", "candidates scored per iteration (default 1000)", integerOption(1))
    .option("--budget <B>", "queries (real evaluations) to spend", integerOption(1, 423_624), 150)
    .option("--seed <S>", "seed (the same seed gives the same run, bit for bit)", integerOption(0, 2 ** 32 - 1), 0)
    .option("--objective <O>", `what the search observes: ${OBJECTIVES.join(", ")}`, choiceOption(OBJECTIVES), "test-mean")
    .option("--options <JSON>", 'further method options as JSON, e.g. \'{"acquisition":"its","poolOptions":{"parents":5}}\'')
    .option("--out <FILE>", "write the run record (every query, all options) as JSON")
    .option("--json", "print the run record as JSON instead of the summary")
    .option("--data <PATH>", "NAS-Bench-101 table file or directory")
    .option("--workers <W>", `worker threads to score the whole space with (full pool), 0 for none (default ${defaultWorkerCount()}: one per core)`, integerOption(0, 64))
    .action(async (flags: SearchOptions) => {
      const options = methodOptions(flags);
      if (flags.out !== undefined) ensureWritableFile(flags.out, "--out");
      const problem = await loadProblem("nasbench101", { data: flags.data, objective: flags.objective });
      const progress = progressBar(`search (${flags.method})`, flags.json);
      let record;
      try {
        record = await runSearch(problem, {
          method: flags.method,
          seed: flags.seed,
          budget: flags.budget,
          options,
          onQuery: (used, budget) => progress.update(used, budget),
          spaceScoring: { problem: "nasbench101", data: flags.data, workers: flags.workers ?? defaultWorkerCount() },
        });
      } finally {
        progress.stop();
      }
      for (const warning of runWarnings(record)) process.stderr.write(`prednas: warning: ${warning}\n`);
      if (flags.out !== undefined) {
        try {
          writeFileAtomic(flags.out, `${JSON.stringify(record)}\n`);
        } catch (error) {
          // Never lose a finished run: print it instead.
          await writeOut(`${JSON.stringify(record)}\n`);
          throw new InputError(`cannot write the run record to ${flags.out} (${(error as Error).message}); it was printed to standard output instead`);
        }
      }
      if (flags.json) return writeOut(`${JSON.stringify(record)}\n`);
      const best = bestQuery(record)!;
      const index = problem.benchmark.catalogue.indexOfHash(best.key);
      const optimum = problem.benchmark.stats("test-mean").best;
      const cell = problem.benchmark.catalogue.cellSpec(index);
      await writeOut(
        [
          `method          ${record.method} ${JSON.stringify(record.options)}`,
          `queries         ${record.queries.length} of ${record.budget} (seed ${record.seed}, objective ${record.objective})`,
          `best cell       ${best.key} (index ${index})`,
          `  matrix        ${JSON.stringify(cell.matrix)}`,
          `  ops           ${cell.ops.join(",")}`,
          `  observed      ${best.value} (${record.objective})`,
          `  test accuracy ${best.truth} (mean of 3 repeats); rank ${problem.benchmark.rank(index, "test-mean")} of ${problem.benchmark.size}`,
          `  found at      query ${best.n}`,
          `regret          ${(optimum.value - best.truth).toFixed(6)} (global optimum ${optimum.value})`,
          `time            ${(record.timing.totalMs / 1000).toFixed(1)} s (fit ${(record.timing.fitMs / 1000).toFixed(1)} s, pools ${(record.timing.poolMs / 1000).toFixed(1)} s, ${record.timing.predictorCalls} predictor calls)`,
          ...(flags.out ? [`record          ${flags.out}`] : []),
          "",
        ].join("\n"),
      );
    });
}
