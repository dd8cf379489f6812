/**
 * A search problem: a space together with the benchmark that evaluates it. Search methods, the
 * study and the predictor evaluation all start from `loadProblem`, and so do worker threads that
 * need to rebuild the same problem (it is cheap once the caches exist).
 */
import { InputError } from "../util/errors.js";
import { Nasbench101Benchmark } from "./nasbench101/table/benchmark.js";
import { DEFAULT_OBJECTIVE, OBJECTIVES, type Objective } from "./nasbench101/table/metrics.js";
import type { Oracle } from "../evaluation/evaluator.js";
import { Nasbench101Space, type Nb101Cell } from "./nasbench101/space.js";
import type { SearchSpace } from "./types.js";

export interface Problem<A> {
  readonly space: SearchSpace<A>;
  /** What a query observes (the objective) and what the search is judged by (mean test accuracy). */
  readonly oracle: Oracle<A>;
  readonly objective: Objective;
  /** Mean test accuracy of every architecture by enumeration index: target sets, ranks, regret. */
  readonly truths: Float64Array;
}

export interface ProblemOptions {
  /** Data location (see benchmark/locate.ts). */
  readonly data?: string;
  readonly objective?: Objective;
}

export const PROBLEMS = ["nasbench101"] as const;
export type ProblemName = (typeof PROBLEMS)[number];

export interface Nasbench101Problem extends Problem<Nb101Cell> {
  readonly space: Nasbench101Space;
  readonly benchmark: Nasbench101Benchmark;
}

export async function loadProblem(name: ProblemName, options: ProblemOptions = {}): Promise<Nasbench101Problem> {
  if (name !== "nasbench101") throw new InputError(`unknown search space '${name}' (known: ${PROBLEMS.join(", ")})`);
  const objective = options.objective ?? DEFAULT_OBJECTIVE;
  if (!OBJECTIVES.includes(objective)) throw new InputError(`unknown objective '${objective}' (known: ${OBJECTIVES.join(", ")})`);
  const benchmark = await Nasbench101Benchmark.load({ data: options.data });
  const observed = benchmark.values(objective);
  const truths = benchmark.values("test-mean");
  return {
    space: new Nasbench101Space(benchmark.catalogue),
    benchmark,
    objective,
    truths,
    oracle: { observe: ({ index }) => ({ value: observed[index]!, truth: truths[index]! }) },
  };
}
