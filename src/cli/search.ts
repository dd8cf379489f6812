/**
 * `prednas search`: one search run on a space, by any method, through the common harness. On a
 * benchmark its table evaluates; with `--evaluate CMD` the user's training does (any space, a
 * space file's in particular), with `--parallel N` evaluations in flight, and `--run-dir DIR`
 * keeps a journal of every attempt so that the same command resumes (evaluation/runDirectory.ts).
 */
import type { Command } from "commander";
import { formatOptionsHelp, type OptionSource } from "../options/schema.js";
import { InputError, PrednasError } from "../util/errors.js";
import { ensureWritableFile, writeFileAtomic } from "../util/files.js";
import { MetricColumn } from "../spaces/metricStats.js";
import { loadSearchProblem } from "../spaces/registry.js";
import { isTabular, type Problem, type SurrogateProblem } from "../spaces/types.js";
import type { QueryRecord } from "../evaluation/evaluator.js";
import { POOL_NAMES } from "../pools/registry.js";
import { DEFAULT_PREDICTORS, PREDICTORS } from "../predictors/registry.js";
import { hideCredentialsFromTitle, parseQueueUrl, scrub } from "../queue/connection.js";
import { RECORD_FILE, RunDirectory, runIdentity } from "../evaluation/runDirectory.js";
import { readEnqueued } from "../search/enqueue.js";
import type { Scheduler } from "../evaluation/scheduler.js";
import { LOOP_DEFAULTS, METHOD_DEFINITIONS, METHODS, resolveMethodOptions, runSearch, type SearchRequest } from "../search/methods.js";
import { checkSettings, resolveSettings, SETTING_DEFAULTS, type EvaluationSettings, type SettingName } from "../evaluation/settings.js";
import { runInDirectory } from "../search/evaluatedRun.js";
import { bestQuery, runWarnings, type EvaluationRunRecord, type RunRecord } from "../search/record.js";
import { checkBudget, spaceSize } from "../search/runLimits.js";
import { defaultWorkerCount } from "../util/workerPool.js";
import { addSettingsFlags, flagOf, givenSettings } from "./settingsFlags.js";
import { choiceOption, integerOption, parseJsonOption, progressBar, writeOut, type Progress } from "./io.js";
import { problemSpec, withProblemOptions, type ProblemFlags } from "./problem.js";
import { handleInterruptions } from "./signals.js";

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
  runDir?: string;
  /** The evaluation settings, as commander read them (cli/settingsFlags.ts). */
  [setting: string]: unknown;
  enqueue?: string;
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

/** The settings of the run as the flags give them, checked together (the rules shared with presets) before anything is loaded. */
function runSettings(flags: SearchFlags): EvaluationSettings {
  const given = givenSettings(flags);
  checkSettings(given, { call: flagOf, at: () => "", runDir: flags.runDir !== undefined });
  if (given.evaluate === undefined && given.queue === undefined && flags.spaceFile !== undefined) {
    throw new InputError(`--space-file ${flags.spaceFile}: a space of your own has no benchmark to evaluate it; give your training command with --evaluate CMD (README, "Your own space and training")`);
  }
  return resolveSettings(given, { describe: (path) => (path[0] === undefined ? "flags" : flagOf(path[0] as SettingName)) });
}

/** A benchmark's run, in a run directory when one is given (a journal of its queries: the same command resumes it). */
async function benchmarkRun(problem: Problem<unknown> | SurrogateProblem<unknown>, request: SearchRequest, dir: string | undefined, graceMs: number, onWarning: (message: string) => void): Promise<RunRecord> {
  if (dir === undefined) return runSearch(problem, request);
  const identity = runIdentity({
    method: request.method,
    options: request.options,
    seed: request.seed,
    budget: request.budget,
    parallel: request.parallel ?? SETTING_DEFAULTS.parallel,
    problem,
    ...(request.enqueue === undefined ? {} : { enqueue: request.enqueue }),
  });
  const runDir = await RunDirectory.open(dir, identity, { graceMs, onWarning });
  try {
    const record = await runSearch(problem, { ...request, journal: { replay: runDir.replay, append: (entry) => runDir.append(entry) } });
    runDir.writeRecord(record);
    return record;
  } finally {
    await runDir.close();
  }
}

function methodsHelp(): string {
  return `\nMethod options (give them with --options '{"name": value}'; the predictor's and the pool's go in predictorOptions and poolOptions: prednas predictor list, prednas pool list):\n${Object.entries(
    METHOD_DEFINITIONS,
  )
    .map(([name, method]) => `\n${name}: ${method.description}\n${formatOptionsHelp(method.options, "    ")}`)
    .join("\n")}\n`;
}

/** The progress line of a run that evaluates: attempts done, in flight, failed, the best so far, time per attempt. */
function evaluationProgress(progress: Progress, minimize: boolean): (scheduler: Scheduler<unknown, unknown>) => void {
  return (scheduler) => {
    let best: number | undefined;
    for (const launch of scheduler.launches) if (launch.outcome?.ok && (best === undefined || launch.outcome.value > best)) best = launch.outcome.value;
    progress.update(scheduler.attemptsFinished, scheduler.budget, {
      inFlight: scheduler.running,
      failed: scheduler.attemptsFailed,
      best: best === undefined ? "-" : String(minimize ? -best : best),
      perEval: scheduler.attemptsRun === 0 ? "-" : `${(scheduler.runMs / scheduler.attemptsRun / 1000).toFixed(1)} s`,
    });
  };
}

/** A benchmark run's record as the user gets it: each query with its architecture, as its key is a hash on NAS-Bench-101. */
function withArchitectures(record: RunRecord, problem: Problem<unknown>): RunRecord {
  const { enumeration } = problem.space;
  return { ...record, queries: record.queries.map((query) => ({ ...query, arch: problem.space.describe(enumeration.at(enumeration.indexOfKey(query.key))) })) };
}

function benchmarkSummary(record: RunRecord, problem: Problem<unknown> | SurrogateProblem<unknown>, flags: SearchFlags): string[] {
  const best = bestQuery(record)!;
  const judged = isTabular(problem) ? tabularJudgement(best, problem) : surrogateJudgement(best, problem);
  return [
    `method          ${record.method} ${JSON.stringify(record.options)}`,
    `space           ${record.space}${record.dataset ? ` (${record.dataset})` : ""}`,
    `queries         ${record.queries.length} of ${record.budget} (seed ${record.seed}, objective ${record.objective}${record.parallel ? `, ${record.parallel} in flight` : ""})`,
    ...judged.best,
    `  observed      ${best.value} (${record.objective})`,
    judged.truth,
    ...(best.test === undefined ? [] : [`  test accuracy ${best.test}`]),
    `  found at      query ${best.n}`,
    judged.verdict,
    `time            ${(record.timing.totalMs / 1000).toFixed(1)} s (fit ${(record.timing.fitMs / 1000).toFixed(1)} s, pools ${(record.timing.poolMs / 1000).toFixed(1)} s, ${record.timing.predictorCalls} predictor calls)`,
    ...(flags.runDir ? [`run directory   ${flags.runDir}`] : []),
    ...(flags.out ? [`record          ${flags.out}`] : []),
  ];
}

/** On a table: the best architecture's rank and regret against the global optimum. */
function tabularJudgement(best: QueryRecord, problem: Problem<unknown>): { best: string[]; truth: string; verdict: string } {
  const index = problem.space.enumeration.indexOfKey(best.key);
  const truths = new MetricColumn(problem.truths);
  const optimum = truths.summary().best.value;
  return {
    best: [`best            ${best.key} (index ${index})`, `  architecture  ${JSON.stringify(problem.space.describe(problem.space.enumeration.at(index)))}`],
    truth: `  truth         ${best.truth} (${problem.truthLabel}); rank ${truths.rank(index)} of ${problem.space.enumeration.size}`,
    verdict: `regret          ${(optimum - best.truth).toFixed(6)} (global optimum ${optimum})`,
  };
}

/** On a space that cannot be listed: no rank and no optimum, and the truth is a surrogate's. */
function surrogateJudgement(best: QueryRecord, problem: SurrogateProblem<unknown>): { best: string[]; truth: string; verdict: string } {
  return {
    best: [`best            ${best.key}`],
    truth: `  truth         ${best.truth} (${problem.truthLabel})`,
    verdict: `judged by       a surrogate: ${String(problem.benchmark.source.judgedBy)}; the space cannot be listed, so there is no rank and no global optimum`,
  };
}

function evaluationSummary(record: EvaluationRunRecord, flags: SearchFlags): string[] {
  const best = record.best;
  const succeeded = record.evaluations.length - record.failed;
  const { attempts } = record;
  return [
    `method          ${record.method} ${JSON.stringify(record.options)}`,
    `space           ${record.space}${record.spaceFile ? ` (${record.spaceFile})` : ""}`,
    `evaluator       ${record.evaluator} (${record.parallel} in flight, ${record.retries} ${record.retries === 1 ? "retry" : "retries"}${record.evaluationTimeout ? `, timeout ${record.evaluationTimeout} s` : ""}${record.minimize ? ", minimising" : ""})`,
    `attempts        ${attempts.finished} of ${record.budget} (seed ${record.seed}): ${attempts.failed} failed${attempts.timedOut > 0 ? ` (${attempts.timedOut} timed out)` : ""}${attempts.reused > 0 ? `; ${attempts.reused} reused from the journal` : ""}`,
    `evaluations     ${record.evaluations.length}: ${succeeded} succeeded, ${record.failed} failed`,
    ...(best === undefined
      ? ["best            none (no evaluation succeeded)"]
      : [
          `best            value ${best.value} (evaluation ${best.n}, ${best.key})`,
          `  architecture  ${JSON.stringify(best.arch)}`,
          ...(Object.keys(best.metrics ?? {}).length > 0 ? [`  metrics       ${JSON.stringify(best.metrics)}`] : []),
        ]),
    `peak in flight  ${record.peakInFlight}`,
    `time            ${(record.timing.totalMs / 1000).toFixed(1)} s (fit ${(record.timing.fitMs / 1000).toFixed(1)} s, pools ${(record.timing.poolMs / 1000).toFixed(1)} s)`,
    `run directory   ${flags.runDir} (record ${RECORD_FILE}, journal, logs/)`,
    ...(flags.out ? [`record          ${flags.out}`] : []),
    ...(record.interrupted ? ["interrupted     yes: run the same command again to resume"] : []),
  ];
}

export function registerSearchCommand(program: Command): void {
  addSettingsFlags(withProblemOptions(program.command("search"), { data: true, spaceFile: true }))
    .description("run one search on a space and report the best architecture it found")
    .option("--method <M>", `search method: ${METHODS.join(", ")}`, choiceOption(METHODS), "predictor")
    .option("--predictor <P>", `predictor for the predictor-based loop: ${Object.keys(PREDICTORS).join(", ")} (default ${DEFAULT_PREDICTORS.withGraph}; ${DEFAULT_PREDICTORS.withoutGraph} on a space without a graph)`)
    .option("--pool <P>", `candidate pool: ${POOL_NAMES.join(", ")} (default ${LOOP_DEFAULTS.pool})`)
    .option("--pool-size <S>", `candidates scored per iteration (default ${LOOP_DEFAULTS.poolSize})`, integerOption(1))
    .option("--budget <B>", "evaluations (attempts, retries included) to spend", integerOption(1), 150)
    .option("--seed <S>", "seed (the same seed gives the same run, bit for bit)", integerOption(0, 2 ** 32 - 1), 0)
    .option("--objective <O>", "what the search observes (the space's objectives: prednas spaces; default the space's first)")
    .option("--options <JSON>", 'further method options as JSON, e.g. \'{"acquisition":"its","poolOptions":{"parents":5}}\'')
    .option("--enqueue <FILE>", "evaluate these architectures first (one JSON a line, as 'prednas sample' prints them), then the method's own; counted in the budget")
    .option("--run-dir <DIR>", "keep the evaluations' journal, logs and record here; the same command again resumes the run")
    .option("--out <FILE>", "write the run record (every query, all options) as JSON")
    .option("--json", "print the run record as JSON instead of the summary")
    .option("--workers <W>", `worker threads to score the whole space with (full pool), 0 for none (default ${defaultWorkerCount()}: one per core)`, integerOption(0, 64))
    .addHelpText("after", methodsHelp)
    .action(async (flags: SearchFlags) => {
      hideCredentialsFromTitle();
      const settings = runSettings(flags);
      const location = settings.queue === undefined ? undefined : parseQueueUrl(settings.queue);
      const evaluates = settings.evaluate !== undefined || location !== undefined;
      const { given, source } = methodOptions(flags);
      if (flags.out !== undefined) ensureWritableFile(flags.out, "--out");
      const problem = await loadSearchProblem(problemSpec(flags, flags.objective));
      const options = resolveMethodOptions(flags.method, given, source, problem.space);
      checkBudget(flags.budget, { name: problem.space.name, size: spaceSize(problem.space) }, evaluates ? settings.retries : 0, "--budget");
      if (!evaluates && problem.oracle === undefined) throw new InputError(`${problem.space.name} has no benchmark: give --evaluate CMD (or --queue URL)`);
      const warn = (message: string) => void process.stderr.write(`prednas: ${location === undefined ? message : scrub(message, location)}\n`);
      const enqueue = flags.enqueue === undefined ? undefined : readEnqueued(flags.enqueue, problem);
      const interruption = handleInterruptions(warn);
      const progress = progressBar(`search (${flags.method})`, flags.json, !evaluates ? "" : " | in flight {inFlight} | failed {failed} | best {best} | {perEval}/evaluation");
      let record: RunRecord | EvaluationRunRecord;
      try {
        const request = {
          method: flags.method,
          seed: flags.seed,
          budget: flags.budget,
          options,
          ...(enqueue === undefined ? {} : { enqueue }),
          stop: interruption.stop,
          interrupt: interruption.interrupt,
          spaceScoring: { problem: problem.spec, workers: flags.workers ?? defaultWorkerCount() },
          // Evaluations finish and signals arrive during a fit: the controller's thread must stay free for them.
          offThread: evaluates,
        };
        if (evaluates) {
          const evaluated = await runInDirectory(problem, { ...request, settings, runDir: flags.runDir!, onWarning: warn, onProgress: evaluationProgress(progress, settings.minimize) });
          // A signal while Redis is down at the start ends the wait: it is an interruption (130, 143).
          if (evaluated === undefined) throw interruption.outcome()!;
          record = evaluated;
        } else {
          record = await benchmarkRun(problem as Problem<unknown> | SurrogateProblem<unknown>, { ...request, parallel: settings.parallel, onQuery: (used, budget) => progress.update(used, budget) }, flags.runDir, settings.killGrace * 1000, warn);
        }
      } finally {
        progress.stop();
        interruption.dispose();
      }
      for (const warning of runWarnings(record)) process.stderr.write(`prednas: warning: ${warning}\n`);
      if (!("kind" in record) && isTabular(problem as Problem<unknown> | SurrogateProblem<unknown>)) record = withArchitectures(record, problem as Problem<unknown>);
      if (flags.out !== undefined) {
        try {
          writeFileAtomic(flags.out, `${JSON.stringify(record)}\n`);
        } catch (error) {
          // Never lose a finished run: print it instead.
          await writeOut(`${JSON.stringify(record)}\n`);
          throw new InputError(`cannot write the run record to ${flags.out} (${(error as Error).message}); it was printed to standard output instead`);
        }
      }
      if (flags.json) await writeOut(`${JSON.stringify(record)}\n`);
      else await writeOut(`${("kind" in record ? evaluationSummary(record, flags) : benchmarkSummary(record, problem as Problem<unknown> | SurrogateProblem<unknown>, flags)).join("\n")}\n`);
      const interrupted = interruption.outcome();
      if (interrupted !== undefined) throw interrupted;
      if ("kind" in record && record.failed > 0) {
        throw new PrednasError(`${record.failed} of ${record.evaluations.length} evaluations failed (their errors are in ${flags.runDir}/${RECORD_FILE} and logs/)`);
      }
    });
}
