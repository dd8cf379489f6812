/** `prednas predictor ...`: the accuracy predictors, and how well they rank the whole space. */
import type { Command } from "commander";
import { OBJECTIVES, type Objective } from "../spaces/nasbench101/table/metrics.js";
import { evaluatePredictor, PREDICTED_TOP, TRUE_TOP } from "../predictors/evaluation.js";
import { PREDICTORS } from "../predictors/registry.js";
import { loadProblem } from "../spaces/registry.js";
import { InputError } from "../util/errors.js";
import { defaultWorkerCount } from "../util/workerPool.js";
import { choiceOption, integerOption, progressBar, writeOut } from "./io.js";

interface EvalFlags {
  predictor: string;
  trainSize: number;
  seed: number;
  workers?: number;
  objective: Objective;
  options?: string;
  json?: boolean;
  data?: string;
}

function predictorOptions(json: string | undefined): Record<string, unknown> {
  if (json === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new InputError(`--options must be a JSON object: ${(error as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new InputError("--options must be a JSON object");
  return parsed as Record<string, unknown>;
}

export function registerPredictorCommands(program: Command): void {
  const predictor = program.command("predictor").description("accuracy predictors: list them, measure how well they rank NAS-Bench-101");

  predictor
    .command("list")
    .description("the predictors and their default options")
    .option("--json", "print JSON")
    .action(async (flags: { json?: boolean }) => {
      const entries = Object.values(PREDICTORS).map(({ name, description, defaults }) => ({ name, description, defaults }));
      if (flags.json) return writeOut(`${JSON.stringify(entries)}\n`);
      await writeOut(entries.map(({ name, description, defaults }) => `${name.padEnd(14)} ${description}\n${"".padEnd(14)} defaults ${JSON.stringify(defaults)}\n`).join(""));
    });

  predictor
    .command("eval")
    .description(
      `train on N cells drawn uniformly, score all 423,624 cells, and compare with the mean test accuracy on the cells not trained on: Kendall tau, Spearman rho, true top ${TRUE_TOP} in the predicted top ${PREDICTED_TOP}; fit time and scoring throughput`,
    )
    .option("--predictor <P>", `predictor: ${Object.keys(PREDICTORS).join(", ")}`, choiceOption(Object.keys(PREDICTORS)), "gcn")
    .option("--train-size <N>", "cells to train on", integerOption(1, 423_624), 172)
    .option("--seed <S>", "seeds the training set and the fit", integerOption(0, 2 ** 32 - 1), 0)
    .option("--workers <W>", `worker threads for the scoring, 0 for none (default ${defaultWorkerCount()}: one per core)`, integerOption(0, 64))
    .option("--objective <O>", `what the predictor is trained on: ${OBJECTIVES.join(", ")}`, choiceOption(OBJECTIVES), "test-mean")
    .option("--options <JSON>", 'predictor options as JSON, e.g. \'{"epochs":100}\' (see `prednas predictor list`)')
    .option("--json", "print JSON")
    .option("--data <PATH>", "NAS-Bench-101 table file or directory")
    .action(async (flags: EvalFlags) => {
      const problem = await loadProblem("nasbench101", { data: flags.data, objective: flags.objective });
      const progress = progressBar("scoring", flags.json);
      let result;
      try {
        result = await evaluatePredictor(
          problem,
          { problem: "nasbench101", data: flags.data, space: problem.space },
          {
            predictor: flags.predictor,
            predictorOptions: predictorOptions(flags.options),
            trainSize: flags.trainSize,
            seed: flags.seed,
            workers: flags.workers,
            onScoringProgress: (scored, total) => progress.update(scored, total),
          },
        );
      } finally {
        progress.stop();
      }
      if (flags.json) return writeOut(`${JSON.stringify({ ...result, objective: flags.objective, workers: flags.workers ?? defaultWorkerCount() })}\n`);
      const size = result.heldOut + result.trainSize;
      await writeOut(
        [
          `predictor       ${result.predictor}${flags.options ? ` ${flags.options}` : ""}`,
          `training set    ${result.trainSize} cells drawn uniformly (seed ${result.seed}), trained on ${flags.objective}`,
          `fit             ${result.fitSeconds.toFixed(2)} s (${result.fitCpuSeconds.toFixed(2)} s of CPU)`,
          `scoring         ${size.toLocaleString("en")} cells in ${result.scoreSeconds.toFixed(2)} s: ${Math.round(result.cellsPerSecond).toLocaleString("en")} cells/s (${flags.workers ?? defaultWorkerCount()} workers, ${result.scoreCpuSeconds.toFixed(2)} s of CPU)`,
          `held out        ${result.heldOut.toLocaleString("en")} cells (the training cells excluded), against the mean test accuracy`,
          `Kendall tau     ${result.kendallTau.toFixed(4)}`,
          `Spearman rho    ${result.spearmanRho.toFixed(4)}`,
          `top ${TRUE_TOP} in ${PREDICTED_TOP}  ${result.top100InTop1000} of the true top ${TRUE_TOP} are in the predicted top ${PREDICTED_TOP}`,
          "",
        ].join("\n"),
      );
    });
}
