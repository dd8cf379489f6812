/** What every search method runs in: the space, the evaluator with its budget, the seeded generator. */
import type { MersenneTwister } from "../util/rng.js";
import type { SearchSpace } from "../spaces/types.js";
import type { Evaluator } from "../evaluation/evaluator.js";

export interface SearchContext<A> {
  readonly space: SearchSpace<A>;
  readonly evaluator: Evaluator<A>;
  readonly rng: MersenneTwister;
  /** Called after every query. */
  readonly onQuery?: (used: number, budget: number) => void;
}

/**
 * Evaluates `count` architectures drawn uniformly among those not yet evaluated (fewer if the
 * budget ends first). Every method starts this way, so that for one seed all methods start from
 * the same architectures.
 */
export function evaluateUniform<A>(context: SearchContext<A>, count: number, iteration = 0): A[] {
  const { space, evaluator, rng } = context;
  const drawn: A[] = [];
  let attempts = 0;
  while (drawn.length < count && evaluator.remaining > 0) {
    const arch = space.sampleUniform(rng);
    if (evaluator.has(space.key(arch))) {
      if (++attempts > 1000 * (count + 1)) break; // a tiny space may run out of unseen architectures
      continue;
    }
    evaluator.evaluate(arch, { iteration });
    context.onQuery?.(evaluator.used, evaluator.budget);
    drawn.push(arch);
  }
  return drawn;
}

/** Evaluates one architecture and reports progress; returns its observed value. */
export function evaluateOne<A>(context: SearchContext<A>, arch: A, details: { iteration: number; score?: number; scoreStd?: number }): number {
  const before = context.evaluator.used;
  const { value } = context.evaluator.evaluate(arch, details);
  if (context.evaluator.used > before) context.onQuery?.(context.evaluator.used, context.evaluator.budget);
  return value;
}
