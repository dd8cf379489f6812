/** The `random` pool: S distinct unqueried architectures drawn uniformly (claim C2). */
import { z } from "zod";
import { CandidateCollector, definePool, type CandidatePool } from "./types.js";

export const randomPool = definePool({
  name: "random",
  description: "S distinct unqueried architectures drawn uniformly",
  options: z.strictObject({}),
  create<A>(): CandidatePool<A> {
    return {
      name: "random",
      async candidates(context) {
        const collector = new CandidateCollector(context);
        // No more than the unqueried architectures exist. Rejection sampling; the attempt cap
        // (coupon collecting the whole space takes about size x ln(size) draws) only matters when
        // S nears the size of a small space.
        const limit = (context.space.enumeration?.size ?? Number.POSITIVE_INFINITY) - context.history.length;
        for (let attempts = 0; !collector.full && attempts < 20 * context.size + 1000 && collector.count < limit; attempts++) {
          collector.add(context.space.sampleUniform(context.rng));
        }
        return collector.result();
      },
    };
  },
});
