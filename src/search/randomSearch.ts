/**
 * Random search: architectures uniform over the space, without replacement, until the budget is
 * spent. Its expected number of queries to first hit a target set T is exactly
 * (|A| + 1) / (|T| + 1), the reference of the sample efficiency gain. Asynchronous: it needs no
 * outcome to decide, so every free slot is filled at once.
 */
import { launchUniform, type SearchContext } from "./context.js";

export async function randomSearch<A>(context: SearchContext<A>): Promise<void> {
  await launchUniform(context, context.evaluations.remaining);
}
