/**
 * The `full` pool: every unqueried architecture of the space, the ceiling of claim C1. Only for
 * spaces that can be enumerated; its size is the space's, whatever S says. Scored on worker
 * threads when the search provides them (`scoreSpace`), in the search's thread otherwise.
 */
import { InputError } from "../util/errors.js";
import { z } from "zod";
import { definePool, type CandidatePool } from "./types.js";

export const fullPool = definePool({
  name: "full",
  wholeSpace: true,
  description: "every unqueried architecture of the space (needs an enumerable space)",
  options: z.strictObject({}),
  create<A>(): CandidatePool<A> {
    return {
      name: "full",
      wholeSpace: true,
      async candidates(context) {
        const enumeration = context.space.enumeration;
        if (enumeration === undefined) throw new InputError(`the full pool needs a space that can be listed; ${context.space.name} cannot`);
        const archs: A[] = [];
        // Enumeration indices of the candidates, needed only to pick them out of a whole-space scoring.
        const indices: number[] | undefined = context.scoreSpace === undefined ? undefined : [];
        for (let i = 0; i < enumeration.size; i++) {
          const arch = enumeration.at(i) as A;
          if (context.isQueried(arch)) continue;
          archs.push(arch);
          indices?.push(i);
        }
        if (context.scoreSpace === undefined || indices === undefined) return { archs, ...(await context.score(archs)) };
        const all = await context.scoreSpace();
        const pick = (values: Float64Array) => Float64Array.from(indices, (i) => values[i]!);
        return { archs, mean: pick(all.mean), ...(all.std ? { std: pick(all.std) } : {}) };
      },
    };
  },
});
