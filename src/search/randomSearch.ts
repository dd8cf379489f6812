/**
 * Random search: architectures uniform over the space, without replacement, until the budget is
 * spent. Its expected number of queries to first hit a target set T is exactly
 * (|A| + 1) / (|T| + 1), the reference of the sample efficiency gain.
 */
import { evaluateUniform, type SearchContext } from "./context.js";

export function randomSearch<A>(context: SearchContext<A>): void {
  evaluateUniform(context, context.evaluator.remaining);
}
