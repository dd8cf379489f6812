/**
 * The search methods by name, all run through the same harness (evaluator, budget, seed, record):
 * the predictor-based loop, BANANAS (the loop with its own predictor, pool and acquisition) and
 * the baselines. Each declares its options once (options/schema.ts); `resolveMethodOptions`
 * validates what is given and fills in every default, once, and `runSearch` runs and records
 * exactly those options.
 */
import { z } from "zod";
import { integer, name, nested, number, oneOf, resolveOptions, sourceOf, within, type OptionSchema, type OptionSource, type Resolved } from "../options/schema.js";
import { InputError } from "../util/errors.js";
import { seededRng } from "../util/rng.js";
import { poolFactory, POOL_NAMES } from "../pools/registry.js";
import { predictorFactory, PREDICTORS } from "../predictors/registry.js";
import { WorkerScorer } from "../predictors/scoring.js";
import type { Problem, ProblemSpec } from "../spaces/types.js";
import { Evaluator } from "../evaluation/evaluator.js";
import { ACQUISITIONS } from "./acquisition.js";
import type { SearchContext } from "./context.js";
import { localSearch, LOCAL_SEARCH_OPTIONS } from "./localSearch.js";
import { predictorSearch, type LoopStatistics } from "./predictorSearch.js";
import { randomSearch } from "./randomSearch.js";
import { RECORD_VERSION, type RunRecord } from "./record.js";
import { regularizedEvolution, EVOLUTION_OPTIONS } from "./regularizedEvolution.js";

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

const PREDICTOR_LOOP = predictorLoopOptions({ predictor: "mlp-ensemble", pool: "mutation", poolOptions: {}, poolSize: 1000, acquisition: "mean" });
/** BANANAS (White et al.): path-encoded MLP ensemble, independent Thompson sampling, 100 mutations of the best. */
const BANANAS = predictorLoopOptions({ predictor: "mlp-ensemble", pool: "mutation", poolOptions: { parents: 1, operator: "official" }, poolSize: 100, acquisition: "its" });

type LoopOptions = Resolved<typeof PREDICTOR_LOOP>;

interface MethodDefinition<S extends OptionSchema = OptionSchema> {
  readonly description: string;
  readonly options: S;
  /** The method's own default options of its pool: they apply when the pool is the method's default one. */
  readonly run: <A>(context: SearchContext<A>, options: Resolved<S>, problem: Problem<A>, request: SearchRequest) => Promise<LoopStatistics | undefined>;
}

function defineMethod<S extends OptionSchema>(method: MethodDefinition<S>): MethodDefinition<S> {
  return method;
}

const predictorMethod = (options: typeof PREDICTOR_LOOP, description: string) =>
  defineMethod({ description, options, run: (context, resolved, problem, request) => runPredictorLoop(context, resolved, problem, request) });

export const METHOD_DEFINITIONS: Readonly<Record<string, MethodDefinition>> = {
  predictor: predictorMethod(PREDICTOR_LOOP, "the predictor-based loop: fit, score a candidate pool, query the best k, repeat"),
  random: defineMethod({ description: "random search, uniform without replacement", options: z.strictObject({}), run: async (context) => void randomSearch(context) }),
  evolution: defineMethod({ description: "regularized evolution (Real et al.), population 50, tournament 10", options: EVOLUTION_OPTIONS, run: async (context, o) => void regularizedEvolution(context, o) }),
  local: defineMethod({ description: "local search (White et al.): first improvement over one-edit neighbourhoods", options: LOCAL_SEARCH_OPTIONS, run: async (context, o) => void localSearch(context, o) }),
  bananas: predictorMethod(BANANAS, "BANANAS (White et al.): path MLP ensemble, independent Thompson sampling, 100 mutations of the best"),
};

export const METHODS = Object.keys(METHOD_DEFINITIONS);
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
 * options included; `source` says where they came from in error messages.
 */
export function resolveMethodOptions(method: string, given: unknown = {}, source: OptionSource = sourceOf("method options")): ResolvedOptions {
  const definition = methodDefinition(method);
  const options: Record<string, unknown> = resolveOptions(`method ${method}`, definition.options, given, source);
  if (definition.options === PREDICTOR_LOOP || definition.options === BANANAS) {
    const loop = options as LoopOptions;
    const defaults = definition.options.parse({}) as LoopOptions;
    const predictor = predictorFactory(loop.predictor);
    options.predictorOptions = resolveOptions(`predictor ${loop.predictor}`, predictor.options, loop.predictorOptions, within(source, ["predictorOptions"]), ["predictorOptions"]);
    const pool = poolFactory(loop.pool);
    // The method's pool defaults (BANANAS: one parent, the official mutation) belong to its own pool.
    const givenPool = (given as { poolOptions?: Record<string, unknown> }).poolOptions ?? {};
    const poolGiven = loop.pool === defaults.pool ? { ...defaults.poolOptions, ...givenPool } : givenPool;
    options.poolOptions = resolveOptions(`pool ${loop.pool}`, pool.options, poolGiven, within(source, ["poolOptions"]), ["poolOptions"]);
    // A whole-space pool has no S, and recording one would mislead.
    if (pool.wholeSpace) delete options.poolSize;
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

export interface SearchRequest {
  readonly method: string;
  readonly seed: number;
  readonly budget: number;
  /** From `resolveMethodOptions`. */
  readonly options: ResolvedOptions;
  /** Called after every query. */
  readonly onQuery?: (used: number, budget: number) => void;
  /**
   * Worker threads to score the whole space with (the full pool): they rebuild the problem from
   * its spec. Without it the search scores in its own thread: the study, whose runs already fill
   * the cores with one search each, leaves it out.
   */
  readonly spaceScoring?: { readonly problem: ProblemSpec; readonly workers: number };
}

async function runPredictorLoop<A>(context: SearchContext<A>, options: LoopOptions, problem: Problem<A>, request: SearchRequest): Promise<LoopStatistics> {
  const predictor = predictorFactory(options.predictor).create(problem.space, options.predictorOptions as never);
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

export async function runSearch<A>(problem: Problem<A>, request: SearchRequest): Promise<RunRecord> {
  const definition = methodDefinition(request.method);
  const start = performance.now();
  const evaluator = new Evaluator(problem.oracle, (arch: A) => problem.space.key(arch), request.budget);
  const context: SearchContext<A> = { space: problem.space, evaluator, rng: seededRng(request.seed), onQuery: request.onQuery };
  const stats = await definition.run(context, request.options as never, problem, request);
  return {
    version: RECORD_VERSION,
    method: request.method,
    space: problem.space.name,
    ...(problem.spec.dataset === undefined ? {} : { dataset: problem.spec.dataset }),
    objective: problem.objective,
    seed: request.seed,
    budget: request.budget,
    options: request.options,
    queries: evaluator.queries,
    timing: { totalMs: performance.now() - start, fitMs: stats?.fitMs ?? 0, poolMs: stats?.poolMs ?? 0, predictorCalls: stats?.predictorCalls ?? 0 },
    ...(stats !== undefined && stats.shortIterations > 0
      ? { poolShortfall: { iterations: stats.shortIterations, fewestCandidates: stats.fewestCandidates, asked: Number(request.options.poolSize) } }
      : {}),
  };
}
