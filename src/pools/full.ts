/**
 * The `full` pool: every unqueried architecture of the space, the ceiling of claim C1. Only for
 * spaces that can be enumerated; its size is the space's, whatever S says.
 */
import { InputError } from "../util/errors.js";
import type { CandidatePool, PoolFactory } from "./types.js";

export const fullPool: PoolFactory = {
  name: "full",
  description: "every unqueried architecture of the space (needs an enumerable space)",
  defaults: {},
  create<A>(): CandidatePool<A> {
    return {
      name: "full",
      async candidates(context) {
        const enumeration = context.space.enumeration;
        if (enumeration === undefined) throw new InputError(`the full pool needs a space that can be listed; ${context.space.name} cannot`);
        const archs: A[] = [];
        for (let i = 0; i < enumeration.size; i++) {
          const arch = enumeration.at(i) as A;
          if (!context.isQueried(arch)) archs.push(arch);
        }
        const prediction = await context.score(archs);
        return { archs, ...prediction };
      },
    };
  },
};
