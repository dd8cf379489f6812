/**
 * The `neighbourhood` pool (an addition to docs/study.md's list): the exact one-edit neighbourhoods of
 * the best queried architectures, best first, until S candidates. Where `mutation` samples
 * variants at random (and may draw the same one twice or miss a close one), this enumerates the
 * closest variants of the best architectures exhaustively: the predictor-guided counterpart of
 * local search, which is strong on NAS-Bench-101 (White et al.).
 */
import { z } from "zod";
import { bestQueried, CandidateCollector, definePool, type CandidatePool } from "./types.js";

export const neighbourhoodPool = definePool({
  name: "neighbourhood",
  description: "the one-edit neighbourhoods of the best queried architectures, best first",
  options: z.strictObject({}),
  create<A>(): CandidatePool<A> {
    return {
      name: "neighbourhood",
      async candidates(context) {
        const collector = new CandidateCollector(context);
        for (const { arch } of bestQueried(context.history)) {
          if (collector.full) break;
          for (const neighbour of context.space.neighbours(arch)) if (!collector.add(neighbour) && collector.full) break;
        }
        return collector.result();
      },
    };
  },
});
