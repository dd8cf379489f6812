/**
 * The search methods by name, all run through the same harness (evaluator, budget, seed, record):
 * the predictor-based loop, BANANAS (the loop with its own predictor, pool and acquisition) and
 * the baselines. `runSearch` resolves every option to its default and records them all.
 */
import { InputError } from "../util/errors.js";
import { seededRng } from "../util/rng.js";
import { localSearch, LOCAL_SEARCH_DEFAULTS } from "./localSearch.js";
import { randomSearch } from "./randomSearch.js";
import { regularizedEvolution, EVOLUTION_DEFAULTS } from "./regularizedEvolution.js";
import { createPool, poolFactory } from "../pools/registry.js";
import { createPredictor, predictorFactory } from "../predictors/registry.js";
import { WorkerScorer } from "../predictors/scoring.js";
import type { Problem, ProblemName } from "../spaces/registry.js";
import { ACQUISITIONS } from "./acquisition.js";
import { Evaluator } from "../evaluation/evaluator.js";
import { predictorSearch, PREDICTOR_LOOP_DEFAULTS } from "./predictorSearch.js";
import { RECORD_VERSION, type RunRecord } from "./record.js";
import type { SearchContext } from "./context.js";

export const METHODS = ["predictor", "random", "evolution", "local", "bananas"] as const;
export type Method = (typeof METHODS)[number];

/** The predictor-based loop's options: what to predict with, which pool, and the loop's own. */
export const PREDICTOR_SEARCH_DEFAULTS = {
  predictor: "mlp-ensemble",
  predictorOptions: {} as Record<string, unknown>,
  pool: "mutation",
  poolOptions: {} as Record<string, unknown>,
  ...PREDICTOR_LOOP_DEFAULTS,
};

/** BANANAS (White et al.): path-encoded MLP ensemble, independent Thompson sampling, 100 mutations of the best. */
export const BANANAS_DEFAULTS: typeof PREDICTOR_SEARCH_DEFAULTS = {
  ...PREDICTOR_SEARCH_DEFAULTS,
  predictor: "mlp-ensemble",
  pool: "mutation",
  poolOptions: { parents: 1, operator: "official" },
  poolSize: 100,
  acquisition: "its",
};

const DEFAULTS: Record<Method, Record<string, unknown>> = {
  predictor: PREDICTOR_SEARCH_DEFAULTS,
  bananas: BANANAS_DEFAULTS,
  random: {},
  evolution: EVOLUTION_DEFAULTS,
  local: LOCAL_SEARCH_DEFAULTS,
};

export interface SearchRequest {
  readonly method: Method;
  readonly seed: number;
  readonly budget: number;
  /** Method options; omitted ones take their defaults. */
  readonly options?: Readonly<Record<string, unknown>>;
  /** Called after every query. */
  readonly onQuery?: (used: number, budget: number) => void;
  /**
   * Worker threads to score the whole space with (the full pool), and the problem they rebuild.
   * Without it the search scores in its own thread: the study, whose runs already fill the cores
   * with one search each, leaves it out.
   */
  readonly spaceScoring?: { readonly problem: ProblemName; readonly data?: string; readonly workers: number };
}

/** The method's options with every default filled in, validated. */
export function resolveOptions(method: Method, options: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  const defaults = DEFAULTS[method];
  if (defaults === undefined) throw new InputError(`unknown method '${method}' (known: ${METHODS.join(", ")})`);
  const unknown = Object.keys(options).filter((key) => !(key in defaults));
  if (unknown.length > 0) {
    throw new InputError(`method '${method}' has no option ${unknown.join(", ")} (options: ${Object.keys(defaults).join(", ") || "none"})`);
  }
  const resolved: Record<string, unknown> = { ...defaults, ...options };
  if (method === "predictor" || method === "bananas") {
    const predictor = predictorFactory(String(resolved.predictor));
    const pool = poolFactory(String(resolved.pool));
    resolved.predictorOptions = { ...predictor.defaults, ...(resolved.predictorOptions as object) };
    resolved.poolOptions = { ...pool.defaults, ...(resolved.poolOptions as object) };
    // The full pool scores the whole space: it has no S, and recording one would mislead.
    if (pool.wholeSpace) delete resolved.poolSize;
    for (const name of ["initialSamples", "batchSize", "poolSize"]) {
      const value = resolved[name];
      if (value !== undefined && (!Number.isInteger(value) || (value as number) < 1)) throw new InputError(`option ${name} must be a positive integer, got ${JSON.stringify(value)}`);
    }
    if (!ACQUISITIONS.includes(resolved.acquisition as never)) {
      throw new InputError(`unknown acquisition '${String(resolved.acquisition)}' (known: ${ACQUISITIONS.join(", ")})`);
    }
  }
  return resolved;
}

export async function runSearch<A>(problem: Problem<A>, request: SearchRequest): Promise<RunRecord> {
  const options = resolveOptions(request.method, request.options);
  const start = performance.now();
  const evaluator = new Evaluator(problem.oracle, (arch: A) => problem.space.key(arch), request.budget);
  const context: SearchContext<A> = { space: problem.space, evaluator, rng: seededRng(request.seed), onQuery: request.onQuery };
  let timing = { fitMs: 0, poolMs: 0, predictorCalls: 0, shortIterations: 0, fewestCandidates: 0 };
  switch (request.method) {
    case "random":
      randomSearch(context);
      break;
    case "evolution":
      regularizedEvolution(context, options);
      break;
    case "local":
      localSearch(context, options);
      break;
    case "predictor":
    case "bananas": {
      const predictor = createPredictor(String(options.predictor), problem.space, options.predictorOptions as Record<string, unknown>);
      const scoring = request.spaceScoring;
      const scorer =
        options.pool === "full" && scoring !== undefined && scoring.workers > 0 && predictor.snapshot !== undefined
          ? new WorkerScorer<A>({ problem: scoring.problem, data: scoring.data, space: problem.space }, scoring.workers)
          : undefined;
      try {
        const pool = createPool<A>(String(options.pool), options.poolOptions as Record<string, unknown>);
        timing = await predictorSearch(context, predictor, pool, options, scorer && (() => scorer.scoreAll(predictor)));
      } finally {
        predictor.dispose();
        await scorer?.close();
      }
      break;
    }
  }
  return {
    version: RECORD_VERSION,
    method: request.method,
    space: problem.space.name,
    objective: problem.objective,
    seed: request.seed,
    budget: request.budget,
    options,
    queries: evaluator.queries,
    timing: { totalMs: performance.now() - start, fitMs: timing.fitMs, poolMs: timing.poolMs, predictorCalls: timing.predictorCalls },
    ...(timing.shortIterations > 0 ? { poolShortfall: { iterations: timing.shortIterations, fewestCandidates: timing.fewestCandidates, asked: Number(options.poolSize) } } : {}),
  };
}
