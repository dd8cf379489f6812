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
import type { Problem } from "../spaces/types.js";
import { POOL_NAMES } from "../pools/registry.js";
import { PREDICTORS } from "../predictors/registry.js";
import { commandBackend, DEFAULT_KILL_GRACE_SECONDS } from "../evaluation/commandBackend.js";
import { openQueueBackend, QUEUE_EVALUATOR, type QueueBackend } from "../evaluation/queueBackend.js";
import { hideCredentialsFromTitle, parseQueueUrl, PASSWORD_VARIABLE, scrub } from "../queue/connection.js";
import { RECORD_FILE, RunDirectory, runIdentity } from "../evaluation/runDirectory.js";
import { readEnqueued } from "../search/enqueue.js";
import type { Scheduler } from "../evaluation/scheduler.js";
import { GRAPHLESS_PREDICTOR, LOOP_DEFAULTS, METHOD_DEFINITIONS, METHODS, resolveMethodOptions, runEvaluatedSearch, runSearch } from "../search/methods.js";
import { bestQuery, runWarnings, type EvaluationRunRecord, type RunRecord } from "../search/record.js";
import { checkBudget, DEFAULT_RETRIES, MAX_PARALLEL, MAX_RETRIES, MIN_EVALUATION_TIMEOUT_SECONDS, spaceSize } from "../search/runLimits.js";
import { defaultWorkerCount } from "../util/workerPool.js";
import { choiceOption, integerOption, numberOption, parseJsonOption, progressBar, writeOut, type Progress } from "./io.js";
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
  evaluate?: string;
  minimize?: boolean;
  retries?: number;
  evaluationTimeout?: number;
  killGrace?: number;
  parallel: number;
  runDir?: string;
  queue?: string;
  enqueue?: string;
}

/** The flags that set a method option, by option name. */
const OPTION_FLAGS = { predictor: "--predictor", pool: "--pool", poolSize: "--pool-size" } as const;

/** Flags that only mean something when the user's command evaluates. */
const EVALUATION_FLAGS = { minimize: "--minimize", retries: "--retries", evaluationTimeout: "--evaluation-timeout", killGrace: "--kill-grace" } as const;

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

/** The flags that make no sense together, refused before anything is loaded. */
function checkCombinations(flags: SearchFlags): void {
  if (flags.queue !== undefined) {
    if (flags.evaluate !== undefined) throw new InputError("--evaluate and --queue: with --queue the workers evaluate, each with its own command (prednas worker --queue URL --evaluate CMD); give one of them");
    const onWorkers = [flags.evaluationTimeout === undefined ? [] : ["--evaluation-timeout"], flags.killGrace === undefined ? [] : ["--kill-grace"]].flat();
    if (onWorkers.length > 0) throw new InputError(`${onWorkers.join(", ")} with --queue: the workers stop their evaluations; give it to prednas worker`);
    if (flags.runDir === undefined) throw new InputError("--queue needs --run-dir DIR: the directory that keeps every evaluation's result, so that nothing finished is lost and the same command resumes the run");
    return;
  }
  if (flags.evaluate === undefined) {
    const given = Object.entries(EVALUATION_FLAGS).filter(([name]) => flags[name as keyof typeof EVALUATION_FLAGS] !== undefined);
    if (given.length > 0) throw new InputError(`${given.map(([, flag]) => flag).join(", ")} apply to evaluations by your command: give --evaluate CMD`);
    if (flags.spaceFile !== undefined) throw new InputError(`--space-file ${flags.spaceFile}: a space of your own has no benchmark to evaluate it; give your training command with --evaluate CMD (README, "Your own space and training")`);
  } else if (flags.runDir === undefined) {
    throw new InputError("--evaluate needs --run-dir DIR: the directory that keeps every evaluation's result and logs, so that nothing finished is lost and the same command resumes the run");
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

function benchmarkSummary(record: RunRecord, problem: Problem<unknown>, flags: SearchFlags): string[] {
  const best = bestQuery(record)!;
  const index = problem.space.enumeration.indexOfKey(best.key);
  const truths = new MetricColumn(problem.truths);
  const optimum = truths.summary().best.value;
  return [
    `method          ${record.method} ${JSON.stringify(record.options)}`,
    `space           ${record.space}${record.dataset ? ` (${record.dataset})` : ""}`,
    `queries         ${record.queries.length} of ${record.budget} (seed ${record.seed}, objective ${record.objective}${record.parallel ? `, ${record.parallel} in flight` : ""})`,
    `best            ${best.key} (index ${index})`,
    `  architecture  ${JSON.stringify(problem.space.describe(problem.space.enumeration.at(index)))}`,
    `  observed      ${best.value} (${record.objective})`,
    `  truth         ${best.truth} (${problem.truthLabel}); rank ${truths.rank(index)} of ${problem.space.enumeration.size}`,
    ...(best.test === undefined ? [] : [`  test accuracy ${best.test}`]),
    `  found at      query ${best.n}`,
    `regret          ${(optimum - best.truth).toFixed(6)} (global optimum ${optimum})`,
    `time            ${(record.timing.totalMs / 1000).toFixed(1)} s (fit ${(record.timing.fitMs / 1000).toFixed(1)} s, pools ${(record.timing.poolMs / 1000).toFixed(1)} s, ${record.timing.predictorCalls} predictor calls)`,
    ...(flags.runDir ? [`run directory   ${flags.runDir}`] : []),
    ...(flags.out ? [`record          ${flags.out}`] : []),
  ];
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
  withProblemOptions(program.command("search"), { data: true, spaceFile: true })
    .description("run one search on a space and report the best architecture it found")
    .option("--method <M>", `search method: ${METHODS.join(", ")}`, choiceOption(METHODS), "predictor")
    .option("--predictor <P>", `predictor for the predictor-based loop: ${Object.keys(PREDICTORS).join(", ")} (default ${LOOP_DEFAULTS.predictor}; ${GRAPHLESS_PREDICTOR} on a space without a graph)`)
    .option("--pool <P>", `candidate pool: ${POOL_NAMES.join(", ")} (default ${LOOP_DEFAULTS.pool})`)
    .option("--pool-size <S>", `candidates scored per iteration (default ${LOOP_DEFAULTS.poolSize})`, integerOption(1))
    .option("--budget <B>", "evaluations (attempts, retries included) to spend", integerOption(1), 150)
    .option("--seed <S>", "seed (the same seed gives the same run, bit for bit)", integerOption(0, 2 ** 32 - 1), 0)
    .option("--objective <O>", "what the search observes (the space's objectives: prednas spaces; default the space's first)")
    .option("--options <JSON>", 'further method options as JSON, e.g. \'{"acquisition":"its","poolOptions":{"parents":5}}\'')
    .option("--evaluate <CMD>", "evaluate with your training command (run through the shell; the architecture as one JSON line on its standard input; its last line of output a JSON object with a \"value\")")
    .option("--minimize", "with --evaluate: lower values are better (a loss)")
    .option("--retries <N>", `with --evaluate: retries of an evaluation whose failure looks transient (default ${DEFAULT_RETRIES})`, integerOption(0, MAX_RETRIES))
    .option("--evaluation-timeout <SEC>", "with --evaluate: stop an evaluation running longer (its whole process group)", numberOption(MIN_EVALUATION_TIMEOUT_SECONDS))
    .option("--kill-grace <SEC>", `with --evaluate: between SIGTERM and SIGKILL when an evaluation is stopped (default ${DEFAULT_KILL_GRACE_SECONDS})`, numberOption(0))
    .option("--parallel <N>", "evaluations in flight at once", integerOption(1, MAX_PARALLEL), 1)
    .option("--enqueue <FILE>", "evaluate these architectures first (one JSON a line, as 'prednas sample' prints them), then the method's own; counted in the budget")
    .option("--run-dir <DIR>", "keep the evaluations' journal, logs and record here; the same command again resumes the run")
    .option("--queue <URL>", `evaluate on prednas workers through Redis, redis://[user:password@]host:port[/db] (the password may come from ${PASSWORD_VARIABLE}) instead of --evaluate`)
    .option("--out <FILE>", "write the run record (every query, all options) as JSON")
    .option("--json", "print the run record as JSON instead of the summary")
    .option("--workers <W>", `worker threads to score the whole space with (full pool), 0 for none (default ${defaultWorkerCount()}: one per core)`, integerOption(0, 64))
    .addHelpText("after", methodsHelp)
    .action(async (flags: SearchFlags) => {
      hideCredentialsFromTitle();
      checkCombinations(flags);
      const location = flags.queue === undefined ? undefined : parseQueueUrl(flags.queue);
      const evaluates = flags.evaluate !== undefined || location !== undefined;
      const { given, source } = methodOptions(flags);
      if (flags.out !== undefined) ensureWritableFile(flags.out, "--out");
      const problem = await loadSearchProblem(problemSpec(flags, flags.objective));
      const options = resolveMethodOptions(flags.method, given, source, problem.space);
      checkBudget(flags.budget, { name: problem.space.name, size: spaceSize(problem.space) }, evaluates ? (flags.retries ?? DEFAULT_RETRIES) : 0, "--budget");
      if (!evaluates && problem.oracle === undefined) throw new InputError(`${problem.space.name} has no benchmark: give --evaluate CMD (or --queue URL)`);
      const graceMs = (flags.killGrace ?? DEFAULT_KILL_GRACE_SECONDS) * 1000;
      const warn = (message: string) => void process.stderr.write(`prednas: ${location === undefined ? message : scrub(message, location)}\n`);
      const enqueue = flags.enqueue === undefined ? undefined : readEnqueued(flags.enqueue, problem);
      const identity = runIdentity({
        method: flags.method,
        ...(enqueue === undefined ? {} : { enqueued: enqueue.map((arch) => problem.space.key(arch)) }),
        options,
        seed: flags.seed,
        budget: flags.budget,
        parallel: flags.parallel,
        problem,
        ...(!evaluates
          ? {}
          : {
              evaluator: {
                command: flags.evaluate ?? QUEUE_EVALUATOR,
                minimize: flags.minimize === true,
                retries: flags.retries ?? DEFAULT_RETRIES,
                ...(flags.evaluationTimeout === undefined ? {} : { evaluationTimeout: flags.evaluationTimeout }),
              },
            }),
      });
      const runDir = flags.runDir === undefined ? undefined : await RunDirectory.open(flags.runDir, identity, { graceMs, onWarning: warn });
      const interruption = handleInterruptions(warn);
      let queueBackend: QueueBackend | undefined;
      const progress = progressBar(`search (${flags.method})`, flags.json, !evaluates ? "" : " | in flight {inFlight} | failed {failed} | best {best} | {perEval}/evaluation");
      let record: RunRecord | EvaluationRunRecord;
      try {
        const request = {
          method: flags.method,
          seed: flags.seed,
          budget: flags.budget,
          options,
          parallel: flags.parallel,
          ...(enqueue === undefined ? {} : { enqueue }),
          stop: interruption.stop,
          interrupt: interruption.interrupt,
          spaceScoring: { problem: problem.spec, workers: flags.workers ?? defaultWorkerCount() },
          // Evaluations finish and signals arrive during a fit: the controller's thread must stay free for them.
          offThread: evaluates,
          ...(runDir === undefined ? {} : { journal: { replay: runDir.replay, append: (entry: Parameters<RunDirectory["append"]>[0]) => runDir.append(entry) } }),
        };
        if (!evaluates) {
          record = await runSearch(problem as Problem<unknown>, { ...request, onQuery: (used, budget) => progress.update(used, budget) });
        } else {
          const minimize = flags.minimize === true;
          if (location !== undefined) {
            // A signal while Redis is down at the start ends the wait: it is an interruption (130, 143).
            queueBackend = await openQueueBackend({ location, runDir: runDir!.dir, onStatus: warn, signal: interruption.stop }).catch((error: unknown) => {
              throw interruption.outcome() ?? error;
            });
          }
          record = await runEvaluatedSearch(problem, {
            ...request,
            evaluate:
              queueBackend ??
              commandBackend({
                command: flags.evaluate!,
                runDir: runDir!.dir,
                logDir: runDir!.logDir,
                runningDir: runDir!.runningDir,
                graceMs,
                ...(flags.evaluationTimeout === undefined ? {} : { timeoutMs: flags.evaluationTimeout * 1000 }),
              }),
            evaluator: queueBackend?.description ?? flags.evaluate!,
            minimize,
            retries: flags.retries ?? DEFAULT_RETRIES,
            ...(flags.evaluationTimeout === undefined ? {} : { evaluationTimeout: flags.evaluationTimeout }),
            runDir: runDir!.dir,
            onProgress: evaluationProgress(progress, minimize),
          });
        }
        runDir?.writeRecord(record);
        if (queueBackend !== undefined && "kind" in record && !record.interrupted) await queueBackend.finish();
      } finally {
        progress.stop();
        interruption.dispose();
        await queueBackend?.close();
        await runDir?.close();
      }
      for (const warning of runWarnings(record)) process.stderr.write(`prednas: warning: ${warning}\n`);
      if (!("kind" in record)) record = withArchitectures(record, problem as Problem<unknown>);
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
      else await writeOut(`${("kind" in record ? evaluationSummary(record, flags) : benchmarkSummary(record, problem as Problem<unknown>, flags)).join("\n")}\n`);
      const interrupted = interruption.outcome();
      if (interrupted !== undefined) throw interrupted;
      if ("kind" in record && record.failed > 0) {
        throw new PrednasError(`${record.failed} of ${record.evaluations.length} evaluations failed (their errors are in ${flags.runDir}/${RECORD_FILE} and logs/)`);
      }
    });
}
