/** `prednas search`: one search run on a space, by any method, through the common harness. */
import type { Command } from "commander";
import { formatOptionsHelp, type OptionSource } from "../options/schema.js";
import { InputError } from "../util/errors.js";
import { ensureWritableFile, writeFileAtomic } from "../util/files.js";
import { MetricColumn } from "../spaces/metricStats.js";
import { loadProblem } from "../spaces/registry.js";
import { POOL_NAMES } from "../pools/registry.js";
import { PREDICTORS } from "../predictors/registry.js";
import { METHOD_DEFINITIONS, METHODS, resolveMethodOptions, runSearch } from "../search/methods.js";
import { bestQuery, runWarnings } from "../search/record.js";
import { defaultWorkerCount } from "../util/workerPool.js";
import { choiceOption, integerOption, parseJsonOption, progressBar, writeOut } from "./io.js";
import { problemSpec, withProblemOptions, type ProblemFlags } from "./problem.js";

interface SearchFlags extends ProblemFlags {
  method: string;
  predictor?: string;
  pool?: string;
  poolSize?: number;
  budget: number;
  seed: number;
  objective?: string;
  options?: string;
  out?: string;
  json?: boolean;
  workers?: number;
}

/** The flags that set a method option, by option name. */
const OPTION_FLAGS = { predictor: "--predictor", pool: "--pool", poolSize: "--pool-size" } as const;

/** The method options the flags give (only those given: the rest take their defaults), and where each came from. */
function methodOptions(flags: SearchFlags): { given: Record<string, unknown>; source: OptionSource } {
  const extra = parseJsonOption(flags.options, "--options") ?? {};
  const fromFlags: Record<string, unknown> = {};
  for (const [name, flag] of Object.entries(OPTION_FLAGS)) {
    const value = flags[name as keyof typeof OPTION_FLAGS];
    if (value === undefined) continue;
    if (extra[name] !== undefined && extra[name] !== value) throw new InputError(`${flag} ${String(value)} and --options ${name} ${JSON.stringify(extra[name])} disagree: give it once`);
    fromFlags[name] = value;
  }
  const loopOptions = Object.keys(METHOD_DEFINITIONS[flags.method]!.options.shape);
  const misplaced = Object.keys(fromFlags).filter((name) => !loopOptions.includes(name));
  if (misplaced.length > 0) {
    throw new InputError(`${misplaced.map((name) => OPTION_FLAGS[name as keyof typeof OPTION_FLAGS]).join(", ")} apply to the predictor-based methods, not '${flags.method}'`);
  }
  const source: OptionSource = { describe: (path) => OPTION_FLAGS[path[0] as keyof typeof OPTION_FLAGS] ?? (path[0] !== undefined && fromFlags[String(path[0])] !== undefined ? "flags" : "--options") };
  return { given: { ...extra, ...fromFlags }, source };
}

function methodsHelp(): string {
  return `\nMethod options (give them with --options '{"name": value}'; the predictor's and the pool's go in predictorOptions and poolOptions: prednas predictor list, prednas pool list):\n${Object.entries(
    METHOD_DEFINITIONS,
  )
    .map(([name, method]) => `\n${name}: ${method.description}\n${formatOptionsHelp(method.options, "    ")}`)
    .join("\n")}\n`;
}

export function registerSearchCommand(program: Command): void {
  withProblemOptions(program.command("search"))
    .description("run one search on a space and report the best architecture it found")
    .option("--method <M>", `search method: ${METHODS.join(", ")}`, choiceOption(METHODS), "predictor")
    .option("--predictor <P>", `predictor for the predictor-based loop: ${Object.keys(PREDICTORS).join(", ")} (default mlp-ensemble)`)
    .option("--pool <P>", `candidate pool: ${POOL_NAMES.join(", ")} (default mutation)`)
    .option("--pool-size <S>", "candidates scored per iteration (default 1000)", integerOption(1))
    .option("--budget <B>", "queries (real evaluations) to spend", integerOption(1), 150)
    .option("--seed <S>", "seed (the same seed gives the same run, bit for bit)", integerOption(0, 2 ** 32 - 1), 0)
    .option("--objective <O>", "what the search observes (the space's objectives: prednas spaces; default the space's first)")
    .option("--options <JSON>", 'further method options as JSON, e.g. \'{"acquisition":"its","poolOptions":{"parents":5}}\'')
    .option("--out <FILE>", "write the run record (every query, all options) as JSON")
    .option("--json", "print the run record as JSON instead of the summary")
    .option("--workers <W>", `worker threads to score the whole space with (full pool), 0 for none (default ${defaultWorkerCount()}: one per core)`, integerOption(0, 64))
    .addHelpText("after", methodsHelp)
    .action(async (flags: SearchFlags) => {
      const { given, source } = methodOptions(flags);
      const options = resolveMethodOptions(flags.method, given, source);
      if (flags.out !== undefined) ensureWritableFile(flags.out, "--out");
      const problem = await loadProblem(problemSpec(flags, flags.objective));
      const size = problem.space.enumeration.size;
      if (flags.budget > size) throw new InputError(`--budget ${flags.budget} exceeds the ${size.toLocaleString("en")} architectures of ${problem.space.name}`);
      const progress = progressBar(`search (${flags.method})`, flags.json);
      let record;
      try {
        record = await runSearch(problem, {
          method: flags.method,
          seed: flags.seed,
          budget: flags.budget,
          options,
          onQuery: (used, budget) => progress.update(used, budget),
          spaceScoring: { problem: problem.spec, workers: flags.workers ?? defaultWorkerCount() },
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
      const index = problem.space.enumeration.indexOfKey(best.key);
      const truths = new MetricColumn(problem.truths);
      const optimum = truths.summary().best.value;
      await writeOut(
        [
          `method          ${record.method} ${JSON.stringify(record.options)}`,
          `space           ${record.space}${record.dataset ? ` (${record.dataset})` : ""}`,
          `queries         ${record.queries.length} of ${record.budget} (seed ${record.seed}, objective ${record.objective})`,
          `best            ${best.key} (index ${index})`,
          `  architecture  ${JSON.stringify(problem.space.describe(problem.space.enumeration.at(index)))}`,
          `  observed      ${best.value} (${record.objective})`,
          `  truth         ${best.truth} (${problem.truthLabel}); rank ${truths.rank(index)} of ${size}`,
          ...(best.test === undefined ? [] : [`  test accuracy ${best.test}`]),
          `  found at      query ${best.n}`,
          `regret          ${(optimum - best.truth).toFixed(6)} (global optimum ${optimum})`,
          `time            ${(record.timing.totalMs / 1000).toFixed(1)} s (fit ${(record.timing.fitMs / 1000).toFixed(1)} s, pools ${(record.timing.poolMs / 1000).toFixed(1)} s, ${record.timing.predictorCalls} predictor calls)`,
          ...(flags.out ? [`record          ${flags.out}`] : []),
          "",
        ].join("\n"),
      );
    });
}
