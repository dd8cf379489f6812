/** `prednas predictor ...` and `prednas pool list`: the predictors and the candidate pools, their options, and how well a predictor ranks a space. */
import type { Command } from "commander";
import { describeOptions, formatOptionsHelp, sourceOf } from "../options/schema.js";
import { evaluateOnSplit, evaluatePredictor, PREDICTED_TOP, TOP_FRACTION, TRUE_TOP } from "../predictors/evaluation.js";
import { defaultNote, defaultPredictor, PREDICTORS } from "../predictors/registry.js";
import { POOLS } from "../pools/registry.js";
import { loadBenchmarkProblem, loadProblem } from "../spaces/registry.js";
import { isTabular, type MeasuredSet, type SurrogateProblem } from "../spaces/types.js";
import { defaultWorkerCount } from "../util/workerPool.js";
import { choiceOption, integerOption, parseJsonOption, progressBar, writeOut } from "./io.js";
import { problemSpec, withProblemOptions, type ProblemFlags } from "./problem.js";

interface EvalFlags extends ProblemFlags {
  /** Absent: the space's default predictor (predictors/registry.ts). */
  predictor?: string;
  trainSize: number;
  seed: number;
  workers?: number;
  objective?: string;
  options?: string;
  json?: boolean;
}

/** Lists components (predictors, pools) with their options, as `list` commands print them. */
async function listComponents(
  components: readonly { name: string; description: string; options: Parameters<typeof describeOptions>[0] }[],
  json: boolean | undefined,
  noteOf: (name: string) => string | undefined = () => undefined,
): Promise<void> {
  if (json) {
    await writeOut(`${JSON.stringify(components.map(({ name, description, options }) => ({ name, description, ...(noteOf(name) === undefined ? {} : { default: noteOf(name) }), options: describeOptions(options) })))}\n`);
    return;
  }
  const heading = (name: string) => (noteOf(name) === undefined ? name : `${name} (${noteOf(name)})`);
  await writeOut(components.map(({ name, description, options }) => `${heading(name)}: ${description}\n${formatOptionsHelp(options, "    ")}\n`).join("\n"));
}

/** `predictor eval` on a space that cannot be scored whole: on the benchmark's measured split. */
async function evalOnSplit(problem: SurrogateProblem<unknown>, split: { train: MeasuredSet<unknown>; test: MeasuredSet<unknown> }, flags: EvalFlags & { readonly predictor: string }): Promise<void> {
  const result = await evaluateOnSplit(problem.space, split, {
    predictor: flags.predictor,
    predictorOptions: parseJsonOption(flags.options, "--options"),
    optionSource: sourceOf("--options"),
    trainSize: flags.trainSize,
    seed: flags.seed,
  });
  if (flags.json) return writeOut(`${JSON.stringify({ ...result, space: problem.spec.space, objective: problem.objective, on: "measured split" })}\n`);
  await writeOut(
    [
      `predictor       ${result.predictor}${flags.options ? ` ${flags.options}` : ""}`,
      `training set    ${result.trainSize} architectures drawn uniformly (seed ${result.seed}) from the ${result.trainPool} of the benchmark's measured training split, with their measured ${problem.objective}`,
      `fit             ${result.fitSeconds.toFixed(2)} s (${result.fitCpuSeconds.toFixed(2)} s of CPU)`,
      `tested on       the ${result.tested} architectures of the measured test split (${problem.space.name} cannot be scored whole), against their measurements`,
      `Kendall tau     ${result.kendallTau.toFixed(4)}`,
      `Spearman rho    ${result.spearmanRho.toFixed(4)}`,
      "",
    ].join("\n"),
  );
}

export function registerPredictorCommands(program: Command): void {
  const predictor = program.command("predictor").description("accuracy predictors: list them, measure how well they rank a space");

  predictor
    .command("list")
    .description("the predictors and their options (type, default, meaning)")
    .option("--json", "print JSON")
    .action((flags: { json?: boolean }) => listComponents(Object.values(PREDICTORS), flags.json, defaultNote));

  program
    .command("pool")
    .description("candidate pools")
    .command("list")
    .description("the candidate pools and their options (type, default, meaning)")
    .option("--json", "print JSON")
    .action((flags: { json?: boolean }) => listComponents(Object.values(POOLS), flags.json));

  withProblemOptions(predictor.command("eval"))
    .description(
      `train on N architectures drawn uniformly, score the whole space, and compare with the truth on the architectures not trained on: Kendall tau, Spearman rho, true top ${TRUE_TOP} in the predicted top ${PREDICTED_TOP}, precision at the top ${TOP_FRACTION * 100}%; fit time and scoring throughput`,
    )
    .option("--predictor <P>", `predictor: ${Object.keys(PREDICTORS).join(", ")} (default: the space's, as the search loop's: prednas predictor list)`, choiceOption(Object.keys(PREDICTORS)))
    .option("--train-size <N>", "architectures to train on", integerOption(1), 172)
    .option("--seed <S>", "seeds the training set and the fit", integerOption(0, 2 ** 32 - 1), 0)
    .option("--workers <W>", `worker threads for the scoring, 0 for none (default ${defaultWorkerCount()}: one per core)`, integerOption(0, 64))
    .option("--objective <O>", "what the predictor is trained on (the space's objectives: prednas spaces; default the space's first)")
    .option("--options <JSON>", 'predictor options as JSON, e.g. \'{"epochs":100}\' (see `prednas predictor list`)')
    .option("--json", "print JSON")
    .action(async (flags: EvalFlags) => {
      const spec = problemSpec(flags, flags.objective);
      const loaded = await loadBenchmarkProblem(spec);
      // The space's default predictor, the one its searches use, when none is named.
      const named = { ...flags, predictor: flags.predictor ?? defaultPredictor(loaded.space) };
      if (!isTabular(loaded)) {
        const split = loaded.benchmark.measuredSplit?.();
        if (split !== undefined) return evalOnSplit(loaded, split, named);
      }
      const problem = await loadProblem(spec, "prednas predictor eval");
      const progress = progressBar("scoring", flags.json);
      let result;
      try {
        result = await evaluatePredictor(
          problem,
          { problem: problem.spec, space: problem.space },
          {
            predictor: named.predictor,
            predictorOptions: parseJsonOption(flags.options, "--options"),
            optionSource: sourceOf("--options"),
            trainSize: flags.trainSize,
            seed: flags.seed,
            workers: flags.workers,
            onScoringProgress: (scored, total) => progress.update(scored, total),
          },
        );
      } finally {
        progress.stop();
      }
      const workers = flags.workers ?? defaultWorkerCount();
      if (flags.json) return writeOut(`${JSON.stringify({ ...result, space: problem.spec.space, dataset: problem.spec.dataset, objective: problem.objective, workers })}\n`);
      const size = result.heldOut + result.trainSize;
      await writeOut(
        [
          `predictor       ${result.predictor}${flags.options ? ` ${flags.options}` : ""}`,
          `training set    ${result.trainSize} architectures of ${problem.space.name}${problem.spec.dataset ? ` (${problem.spec.dataset})` : ""} drawn uniformly (seed ${result.seed}), trained on ${problem.objective}`,
          `fit             ${result.fitSeconds.toFixed(2)} s (${result.fitCpuSeconds.toFixed(2)} s of CPU)`,
          `scoring         ${size.toLocaleString("en")} architectures in ${result.scoreSeconds.toFixed(2)} s: ${Math.round(result.cellsPerSecond).toLocaleString("en")} per second (${workers} workers, ${result.scoreCpuSeconds.toFixed(2)} s of CPU)`,
          `held out        ${result.heldOut.toLocaleString("en")} architectures (the training ones excluded), against the ${problem.truthLabel}`,
          `Kendall tau     ${result.kendallTau.toFixed(4)}`,
          `Spearman rho    ${result.spearmanRho.toFixed(4)}`,
          `top ${TRUE_TOP} in ${PREDICTED_TOP}  ${result.top100InTop1000} of the true top ${TRUE_TOP} are in the predicted top ${PREDICTED_TOP}`,
          `top ${TOP_FRACTION * 100}%        ${(result.topPrecision * 100).toFixed(1)}% of the true top ${TOP_FRACTION * 100}% are in the predicted top ${TOP_FRACTION * 100}%`,
          "",
        ].join("\n"),
      );
    });
}
