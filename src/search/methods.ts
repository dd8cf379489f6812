/**
 * The search methods by name, all run through the same harness (evaluation backend, budget, seed,
 * record: run.ts): the predictor-based loop, BANANAS (the loop with its own predictor, pool and
 * acquisition) and the baselines. Each declares its options once (options/schema.ts);
 * `resolveMethodOptions` validates what is given and fills in every default, once, and
 * `runSearch` (on a benchmark) and `runEvaluatedSearch` (evaluated by the user's training) run and
 * record exactly those options.
 */
import { z } from "zod";
import { integer, name, nested, number, oneOf, resolveOptions, sourceOf, within, type OptionSchema, type OptionSource, type Resolved } from "../options/schema.js";
import { InputError } from "../util/errors.js";
import { poolFactory, POOL_NAMES } from "../pools/registry.js";
import { defaultPredictor, DEFAULT_PREDICTORS, predictorFactory, PREDICTORS, withSpaceEncoding } from "../predictors/registry.js";
import { WorkerScorer } from "../predictors/scoring.js";
import { ThreadedPredictor } from "../predictors/threaded.js";
import type { Oracle, ProblemSpec, SearchProblem, SearchSpace } from "../spaces/types.js";
import { functionBackend, oracleBackend, type EvaluationBackend } from "../evaluation/backend.js";
import type { EvaluateFunction, QueryRecord } from "../evaluation/evaluator.js";
import type { Launch } from "../evaluation/scheduler.js";
import { ACQUISITIONS } from "./acquisition.js";
import type { SearchContext } from "./context.js";
import { localSearch, LOCAL_SEARCH_OPTIONS } from "./localSearch.js";
import { predictorSearch, type LoopStatistics } from "./predictorSearch.js";
import { randomSearch } from "./randomSearch.js";
import { RECORD_VERSION, type EvaluationRecord, type EvaluationRunRecord, type RunRecord } from "./record.js";
import { runMethod, type EvaluationSettings, type MethodRun } from "./run.js";
import { SETTING_DEFAULTS } from "../evaluation/settings.js";
import { regularizedEvolution, EVOLUTION_OPTIONS } from "./regularizedEvolution.js";
import { tpeSearch, TPE_OPTIONS } from "./tpe.js";

/** The predictor-based loop's options, with a method's defaults for the predictor, the pool and the acquisition. */
function predictorLoopOptions(defaults: { predictor: string; pool: string; poolOptions: Record<string, unknown>; poolSize: number; acquisition: (typeof ACQUISITIONS)[number] }) {
  return z.strictObject({
    predictor: name({ default: defaults.predictor, description: "the predictor (prednas predictor list)", known: () => Object.keys(PREDICTORS) }),
    predictorOptions: nested({ description: "the predictor's options; omitted ones take its defaults" }),
    pool: name({ default: defaults.pool, description: "the candidate pool (prednas pool list)", known: () => POOL_NAMES }),
    poolOptions: nested({ default: defaults.poolOptions, description: "the pool's options; omitted ones take its defaults" }),
    initialSamples: integer({ min: 1, default: 10, description: "n_init: architectures drawn uniformly before the first fit" }),
    batchSize: integer({ min: 1, default: 10, description: "k: architectures queried per iteration" }),
    poolSize: integer({ min: 1, default: defaults.poolSize, description: "S: candidates scored per iteration (the full pool has none)" }),
    acquisition: oneOf(ACQUISITIONS, { default: defaults.acquisition, description: "which candidates to query: top predicted mean, mean + ucbKappa x std, or independent Thompson sampling" }),
    ucbKappa: number({ min: 0, default: 0.5, description: "weight of the deviation in ucb" }),
  });
}

/** The loop's defaults: the default predictor of a space with a graph (predictors/registry.ts; the other default where it has none), the mutation pool at S = 1,000. */
const PREDICTOR_LOOP = predictorLoopOptions({ predictor: DEFAULT_PREDICTORS.withGraph, pool: "mutation", poolOptions: {}, poolSize: 1000, acquisition: "mean" });
/** BANANAS (White et al.): path-encoded MLP ensemble, independent Thompson sampling, 100 mutations of the best. */
const BANANAS = predictorLoopOptions({ predictor: "mlp-ensemble", pool: "mutation", poolOptions: { parents: 1, operator: "official" }, poolSize: 100, acquisition: "its" });

type LoopOptions = Resolved<typeof PREDICTOR_LOOP>;

interface MethodDefinition<S extends OptionSchema = OptionSchema> {
  readonly description: string;
  readonly options: S;
  /** The method's own default options of its pool: they apply when the pool is the method's default one. */
  readonly run: <A>(context: SearchContext<A>, options: Resolved<S>, problem: SearchProblem<A>, request: SearchRequest) => Promise<LoopStatistics | undefined>;
}

function defineMethod<S extends OptionSchema>(method: MethodDefinition<S>): MethodDefinition<S> {
  return method;
}

const predictorMethod = (options: typeof PREDICTOR_LOOP, description: string) =>
  defineMethod({ description, options, run: (context, resolved, problem, request) => runPredictorLoop(context, resolved, problem, request) });

export const METHOD_DEFINITIONS: Readonly<Record<string, MethodDefinition>> = {
  predictor: predictorMethod(PREDICTOR_LOOP, "the predictor-based loop: fit, score a candidate pool, query the best k, repeat"),
  random: defineMethod({ description: "random search, uniform without replacement", options: z.strictObject({}), run: async (context) => void (await randomSearch(context)) }),
  evolution: defineMethod({
    description: "regularized evolution (Real et al.), population 50, tournament 10",
    options: EVOLUTION_OPTIONS,
    run: async (context, o) => void (await regularizedEvolution(context, o)),
  }),
  local: defineMethod({
    description: "local search (White et al.): first improvement over one-edit neighbourhoods",
    options: LOCAL_SEARCH_OPTIONS,
    run: async (context, o) => void (await localSearch(context, o)),
  }),
  bananas: predictorMethod(BANANAS, "BANANAS (White et al.): path MLP ensemble, independent Thompson sampling, 100 mutations of the best"),
  tpe: defineMethod({
    description: "TPE (Bergstra et al.) as Optuna's TPESampler runs it, multivariate by default, on the space's categorical parameters",
    options: TPE_OPTIONS,
    run: async (context, o) => void (await tpeSearch(context, o)),
  }),
};

export const METHODS = Object.keys(METHOD_DEFINITIONS);
/** The predictor-based loop's defaults, for help texts. */
export const LOOP_DEFAULTS = PREDICTOR_LOOP.parse({}) as LoopOptions;
export type Method = string;

export function methodDefinition(method: string): MethodDefinition {
  const definition = METHOD_DEFINITIONS[method];
  if (definition === undefined) throw new InputError(`unknown method '${method}' (known: ${METHODS.join(", ")})`);
  return definition;
}

declare const resolved: unique symbol;
/** Options that went through `resolveMethodOptions`: validated, every default filled in (the type says so). */
export type ResolvedOptions = Readonly<Record<string, unknown>> & { readonly [resolved]: true };

/**
 * The method's options with every default filled in, validated, the nested predictor and pool
 * options included; `source` says where they came from in error messages. Given the space the
 * search runs on, they are also checked against it: a predictor's encoding the space lacks takes
 * the space's default encoding when none was asked for (a space file's choices have no path
 * encoding), and a whole-space pool on a space that cannot be listed is refused, before anything
 * is evaluated.
 */
export function resolveMethodOptions(method: string, given: unknown = {}, source: OptionSource = sourceOf("method options"), space?: SearchSpace<unknown>): ResolvedOptions {
  const definition = methodDefinition(method);
  const options: Record<string, unknown> = resolveOptions(`method ${method}`, definition.options, given, source);
  if (definition.options === PREDICTOR_LOOP || definition.options === BANANAS) {
    const loop = options as LoopOptions;
    const defaults = definition.options.parse({}) as LoopOptions;
    if (space !== undefined && (given as { predictor?: unknown }).predictor === undefined && definition.options === PREDICTOR_LOOP) {
      (options as { predictor: string }).predictor = defaultPredictor(space);
    }
    const predictor = predictorFactory(loop.predictor);
    options.predictorOptions = resolveOptions(`predictor ${loop.predictor}`, predictor.options, loop.predictorOptions, within(source, ["predictorOptions"]), ["predictorOptions"]);
    const pool = poolFactory(loop.pool);
    // The method's pool defaults (BANANAS: one parent, the official mutation) belong to its own pool.
    const givenPool = (given as { poolOptions?: Record<string, unknown> }).poolOptions ?? {};
    const poolGiven = loop.pool === defaults.pool ? { ...defaults.poolOptions, ...givenPool } : givenPool;
    options.poolOptions = resolveOptions(`pool ${loop.pool}`, pool.options, poolGiven, within(source, ["poolOptions"]), ["poolOptions"]);
    // A whole-space pool has no S, and recording one would mislead.
    if (pool.wholeSpace) delete options.poolSize;
    if (space !== undefined) fitToSpace(options, given, source, space);
  }
  return options as ResolvedOptions;
}

/**
 * A record's options as they resolve today: options added since the record was written take their
 * defaults (which keep the behaviour the record ran with), so that an old run is recognised as
 * the configuration it belongs to. Options that no longer resolve are returned as they are.
 */
export function currentOptions(method: string, recorded: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  try {
    return resolveMethodOptions(method, recorded);
  } catch {
    return recorded;
  }
}

function fitToSpace(options: Record<string, unknown>, given: unknown, source: OptionSource, space: SearchSpace<unknown>): void {
  const loop = options as LoopOptions;
  if (poolFactory(loop.pool).wholeSpace && space.enumeration === undefined) {
    const working = POOL_NAMES.filter((name) => !poolFactory(name).wholeSpace);
    const size = space.size === undefined ? "" : `, ${space.size < 1e6 ? space.size.toLocaleString("en") : space.size.toExponential(1).replace("e+", "e")} architectures,`;
    throw new InputError(
      `${source.describe(["pool"])}: the ${loop.pool} pool scores every architecture of the space each iteration, and the space '${space.name}'${size} cannot be listed ` +
        `(no space file's space is, nor one judged by surrogates: they may hold billions of architectures); use a pool that draws its candidates: ${working.join(", ")}`,
    );
  }
  options.predictorOptions = withSpaceEncoding(loop.predictorOptions as object, (given as { predictorOptions?: unknown }).predictorOptions, space);
  // The predictor's own checks of the space (an encoding it lacks, no graph for the GCN), before anything runs.
  predictorFactory(loop.predictor).create(space, options.predictorOptions as never).dispose();
}

export interface SearchRequest extends EvaluationSettings {
  readonly method: string;
  readonly seed: number;
  /** Attempts to spend (on a benchmark: queries). */
  readonly budget: number;
  /** From `resolveMethodOptions`. */
  readonly options: ResolvedOptions;
  /** Called after every finished attempt (query). */
  readonly onQuery?: (used: number, budget: number) => void;
  /**
   * Architectures to evaluate first, in order, before the method's own choices (as Optuna's
   * enqueue_trial): counted in the budget, seen by the method as its first evaluations.
   */
  readonly enqueue?: readonly unknown[];
  /**
   * Worker threads to score the whole space with (the full pool): they rebuild the problem from
   * its spec. Without it the search scores in its own thread: the study, whose runs already fill
   * the cores with one search each, leaves it out.
   */
  readonly spaceScoring?: { readonly problem: ProblemSpec; readonly workers: number };
  /**
   * Fit and predict with the loop's predictor on a worker thread (predictors/threaded.ts), so that
   * this thread stays free for signals and finishing evaluations during a fit: a search evaluated
   * for real wants it. A predictor without a snapshot (ridge: fast) stays in this thread.
   */
  readonly offThread?: boolean;
}

async function runPredictorLoop<A>(context: SearchContext<A>, options: LoopOptions, problem: SearchProblem<A>, request: SearchRequest): Promise<LoopStatistics> {
  const local = predictorFactory(options.predictor).create(problem.space, options.predictorOptions as never);
  const predictor =
    request.offThread === true && local.snapshot !== undefined && local.restore !== undefined
      ? new ThreadedPredictor(local, options.predictorOptions as Record<string, unknown>, problem.space, problem.spec)
      : local;
  const pool = poolFactory(options.pool);
  const scoring = request.spaceScoring;
  const scorer =
    pool.wholeSpace && scoring !== undefined && scoring.workers > 0 && predictor.snapshot !== undefined
      ? new WorkerScorer<A>({ problem: scoring.problem, space: problem.space }, scoring.workers)
      : undefined;
  try {
    return await predictorSearch(context, predictor, pool.create<A>(options.poolOptions as never), options, scorer && (() => scorer.scoreAll(predictor)));
  } finally {
    predictor.dispose();
    await scorer?.close();
  }
}

/** Runs the request's method on a problem with a backend. */
function runRequest<A, M>(problem: SearchProblem<A>, request: SearchRequest, backend: EvaluationBackend<A, M>): Promise<MethodRun<A, M>> {
  const definition = methodDefinition(request.method);
  const onProgress = request.onQuery === undefined ? request.onProgress : (scheduler: Parameters<NonNullable<EvaluationSettings["onProgress"]>>[0]) => {
    request.onProgress?.(scheduler);
    request.onQuery!(scheduler.attemptsFinished, scheduler.budget);
  };
  return runMethod((context) => definition.run(context, request.options as never, problem, request), problem.space, {
    seed: request.seed,
    budget: request.budget,
    backend,
    settings: { ...request, ...(onProgress === undefined ? {} : { onProgress }) },
    ...(request.enqueue === undefined ? {} : { enqueued: request.enqueue as readonly A[] }),
  });
}

function timingOf(run: MethodRun<unknown, unknown>): RunRecord["timing"] {
  return { totalMs: run.totalMs, fitMs: run.stats?.fitMs ?? 0, poolMs: run.stats?.poolMs ?? 0, predictorCalls: run.stats?.predictorCalls ?? 0 };
}

/** Where a run fell short: a pool that held fewer than S candidates, a space that ran out before the budget. */
function shortfallOf(run: MethodRun<unknown, unknown>, request: SearchRequest, space: SearchSpace<unknown>): Pick<RunRecord, "poolShortfall" | "exhausted"> {
  const stats = run.stats;
  const architectures = run.scheduler.exhaustedAfter;
  const spaceSize = space.size ?? space.enumeration?.size;
  return {
    ...(stats !== undefined && stats.shortIterations > 0 ? { poolShortfall: { iterations: stats.shortIterations, fewestCandidates: stats.fewestCandidates, asked: Number(request.options.poolSize) } } : {}),
    ...(architectures === undefined ? {} : { exhausted: { architectures, ...(spaceSize === undefined ? {} : { spaceSize }) } }),
  };
}

function chosenBy(launch: Launch<unknown, unknown>): { iteration: number; score?: number; scoreStd?: number } {
  const { iteration, score, scoreStd } = launch.details;
  return { iteration, ...(score === undefined ? {} : { score }), ...(scoreStd === undefined ? {} : { scoreStd }) };
}

/** A search on a benchmark: its table evaluates every query; the record holds every query with its truth. */
/** A search judged by a benchmark: a tabular one, or a surrogate (a space that cannot be listed). */
export async function runSearch<A>(problem: SearchProblem<A> & { readonly oracle: Oracle<A> }, request: SearchRequest): Promise<RunRecord> {
  const run = await runRequest(problem, request, oracleBackend(problem.oracle));
  const queries: QueryRecord[] = run.scheduler.launches.flatMap((launch) => {
    const outcome = launch.outcome;
    if (outcome === undefined || !outcome.ok) return [];
    const { truth, test } = outcome.metrics;
    const query: QueryRecord = { n: launch.n, key: launch.key, value: outcome.raw, truth, ...(test === undefined ? {} : { test }), iteration: launch.details.iteration };
    const { score, scoreStd } = launch.details;
    return [score === undefined ? query : { ...query, score, ...(scoreStd === undefined ? {} : { scoreStd }) }];
  });
  return {
    version: RECORD_VERSION,
    method: request.method,
    space: problem.space.name,
    ...(problem.spec.dataset === undefined ? {} : { dataset: problem.spec.dataset }),
    objective: problem.objective,
    seed: request.seed,
    budget: request.budget,
    options: request.options,
    queries,
    timing: timingOf(run as MethodRun<unknown, unknown>),
    ...shortfallOf(run as MethodRun<unknown, unknown>, request, problem.space as SearchSpace<unknown>),
    ...((request.parallel ?? SETTING_DEFAULTS.parallel) > 1 ? { parallel: request.parallel } : {}),
  };
}

export interface EvaluatedSearchRequest<A> extends SearchRequest {
  /** What evaluates: an async function (the library form), or a backend (the command line's `--evaluate`). */
  readonly evaluate: EvaluateFunction<A> | EvaluationBackend<A, Record<string, unknown>>;
  /** What evaluated, for the record (default "function" for a function). */
  readonly evaluator?: string;
  /** A function's attempts are stopped after this long (a backend has its own). */
  readonly evaluationTimeout?: number;
  readonly runDir?: string;
}

/** The best of the evaluations that succeeded: highest value (lowest when minimising), earliest on ties. */
export function bestEvaluation(evaluations: readonly EvaluationRecord[], minimize: boolean): EvaluationRecord | undefined {
  let best: EvaluationRecord | undefined;
  for (const evaluation of evaluations) {
    if (evaluation.value === undefined) continue;
    if (best === undefined || (minimize ? evaluation.value < best.value! : evaluation.value > best.value!)) best = evaluation;
  }
  return best;
}

/**
 * A search evaluated by the user's training (any space: a space file's, or a benchmark's space
 * trained for real); the record holds every evaluation with its result or failure.
 */
export async function runEvaluatedSearch<A>(problem: SearchProblem<A>, request: EvaluatedSearchRequest<A>): Promise<EvaluationRunRecord> {
  const backend =
    typeof request.evaluate === "function"
      ? functionBackend(request.evaluate, { ...(request.evaluationTimeout === undefined ? {} : { timeoutMs: request.evaluationTimeout * 1000 }), ...(request.runDir === undefined ? {} : { runDir: request.runDir }) })
      : request.evaluate;
  const run = await runRequest(problem, request, backend);
  const { scheduler } = run;
  const evaluations: EvaluationRecord[] = scheduler.launches.flatMap((launch) => {
    const outcome = launch.outcome;
    // An evaluation stopped by an interruption before any attempt finished is not one: it runs on resume.
    if (outcome === undefined || (!outcome.ok && outcome.failure.kind === "interrupted")) return [];
    const common = { n: launch.n, key: launch.key, arch: problem.space.describe(launch.arch), ...chosenBy(launch as Launch<unknown, unknown>), attempts: outcome.attempts };
    return [outcome.ok ? { ...common, value: outcome.raw, metrics: outcome.metrics } : { ...common, failure: outcome.failure }];
  });
  const timedOut = scheduler.launches.reduce((sum, launch) => sum + launch.attempts.filter((a) => !a.result.ok && a.result.failure.kind === "timeout").length, 0);
  const minimize = request.minimize === true;
  const best = bestEvaluation(evaluations, minimize);
  return {
    version: RECORD_VERSION,
    kind: "evaluations",
    method: request.method,
    space: problem.space.name,
    ...(problem.spec.spaceFile === undefined ? {} : { spaceFile: problem.spec.spaceFile }),
    evaluator: request.evaluator ?? "function",
    minimize,
    seed: request.seed,
    budget: request.budget,
    options: request.options,
    parallel: scheduler.parallel,
    retries: request.retries ?? SETTING_DEFAULTS.retries,
    ...(request.evaluationTimeout === undefined ? {} : { evaluationTimeout: request.evaluationTimeout }),
    evaluations,
    attempts: { finished: scheduler.attemptsFinished, failed: scheduler.attemptsFailed, timedOut, reused: scheduler.attemptsReused },
    failed: evaluations.filter((e) => e.failure !== undefined).length,
    ...(best === undefined ? {} : { best }),
    peakInFlight: scheduler.peakRunning,
    ...(run.interrupted ? { interrupted: true } : {}),
    timing: timingOf(run as MethodRun<unknown, unknown>),
    ...shortfallOf(run as MethodRun<unknown, unknown>, request, problem.space as SearchSpace<unknown>),
  };
}
