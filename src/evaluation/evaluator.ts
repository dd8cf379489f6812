/**
 * The evaluator: the "expensive" real evaluation a search spends its budget on. It charges one
 * query for the first evaluation of each distinct architecture (by key) and records every query
 * in order; asking again for an architecture already evaluated is free and returns the same
 * observation.
 */
import { InputError } from "../util/errors.js";
import type { Observation, Oracle } from "../spaces/types.js";

export interface QueryRecord {
  /** 1-based query count at which this architecture was first evaluated. */
  readonly n: number;
  readonly key: string;
  readonly value: number;
  readonly truth: number;
  /** The architecture's test accuracy, when the truth is something else (NAS-Bench-201: validation). */
  readonly test?: number;
  /** Search iteration that chose it (0 for initial samples). */
  readonly iteration: number;
  /** The predictor's mean (and deviation) for it, when a predictor chose it. */
  readonly score?: number;
  readonly scoreStd?: number;
}

export class BudgetExhausted extends Error {
  constructor(budget: number) {
    super(`the budget of ${budget} queries is spent`);
  }
}

export class Evaluator<A> {
  readonly queries: QueryRecord[] = [];
  /** The architectures of `queries`, in the same order. */
  readonly archs: A[] = [];
  private readonly known = new Map<string, Observation>();

  constructor(
    private readonly oracle: Oracle<A>,
    private readonly keyOf: (arch: A) => string,
    readonly budget: number,
  ) {
    if (!Number.isInteger(budget) || budget < 1) throw new InputError(`the budget must be a positive integer, got ${budget}`);
  }

  get used(): number {
    return this.queries.length;
  }

  get remaining(): number {
    return this.budget - this.queries.length;
  }

  has(key: string): boolean {
    return this.known.has(key);
  }

  /** Evaluates an architecture: free when already evaluated, else one query (BudgetExhausted when none is left). */
  evaluate(arch: A, context: { iteration: number; score?: number; scoreStd?: number } = { iteration: 0 }): Observation {
    const key = this.keyOf(arch);
    const seen = this.known.get(key);
    if (seen !== undefined) return seen;
    if (this.remaining <= 0) throw new BudgetExhausted(this.budget);
    const observation = this.oracle.observe(arch);
    this.known.set(key, observation);
    this.archs.push(arch);
    const record: QueryRecord = {
      n: this.queries.length + 1,
      key,
      value: observation.value,
      truth: observation.truth,
      ...(observation.test === undefined ? {} : { test: observation.test }),
      iteration: context.iteration,
    };
    this.queries.push(
      context.score === undefined ? record : { ...record, score: context.score, ...(context.scoreStd === undefined ? {} : { scoreStd: context.scoreStd }) },
    );
    return observation;
  }
}
