import { describe, expect, it } from "vitest";
import { seededRng } from "../util/rng.js";
import { BitStringSpace } from "../spaces/synthetic.js";
import { createPool, POOL_NAMES } from "./registry.js";
import type { PoolContext, QueriedArch } from "./types.js";

const space = new BitStringSpace(10);
/** A context over bit strings whose "predictor" is the number of ones; counts the calls. */
function context(size: number, queried: number[]) {
  const history: QueriedArch<number>[] = queried.map((bits) => ({ arch: bits, key: space.key(bits), value: popcount(bits) / 10 }));
  const queriedSet = new Set(queried);
  let calls = 0;
  const ctx: PoolContext<number> = {
    space,
    rng: seededRng(7),
    history,
    size,
    isQueried: (bits) => queriedSet.has(bits),
    score: async (archs) => {
      calls += archs.length;
      return { mean: Float64Array.from(archs, (bits) => popcount(bits) / 10), std: Float64Array.from(archs, () => 0.01) };
    },
  };
  return { ctx, calls: () => calls, queriedSet };
}

function popcount(x: number): number {
  let count = 0;
  for (; x; x &= x - 1) count++;
  return count;
}

describe("candidate pools", () => {
  const queried = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 1023 ^ 1, 1023 ^ 2];
  it.each(POOL_NAMES)("%s returns distinct unqueried candidates within S and spends at most S predictor calls", async (name) => {
    for (const size of [1, 20, 200]) {
      const { ctx, calls, queriedSet } = context(size, queried);
      const result = await createPool<number>(name).candidates(ctx);
      const keys = result.archs.map((bits) => space.key(bits));
      expect(new Set(keys).size).toBe(keys.length);
      expect(result.archs.some((bits) => queriedSet.has(bits))).toBe(false);
      expect(result.mean).toHaveLength(result.archs.length);
      result.archs.forEach((bits, i) => expect(result.mean[i]).toBe(popcount(bits) / 10));
      if (name === "full") {
        expect(result.archs).toHaveLength(1024 - queried.length);
      } else {
        expect(result.archs.length).toBeLessThanOrEqual(size);
        expect(result.archs.length).toBeGreaterThan(0);
        expect(calls()).toBeLessThanOrEqual(size);
      }
      expect(calls()).toBe(result.archs.length);
    }
  });

  it("smart pools concentrate near the best queried architectures", async () => {
    // Queried: strings with 7 ones (0.7); a uniform string has 5 on average.
    const good = Array.from({ length: 1024 }, (_, bits) => bits).filter((bits) => popcount(bits) === 7).slice(0, 15);
    const random = await createPool<number>("random").candidates(context(100, good).ctx);
    for (const name of ["mutation", "evolution", "annealing", "mixed", "neighbourhood"] as const) {
      const smart = await createPool<number>(name).candidates(context(100, good).ctx);
      const average = (values: Float64Array) => values.reduce((a, b) => a + b, 0) / values.length;
      expect(average(smart.mean)).toBeGreaterThan(average(random.mean));
    }
  });

  it("rejects options it does not have, and bad values", () => {
    expect(() => createPool("mutation", { parent: 3 })).toThrow(/no option parent/);
    expect(() => createPool("mutation", { parents: 0 })).toThrow(/parents/);
    expect(() => createPool("mixed", { randomShare: 2 })).toThrow(/randomShare/);
    expect(() => createPool("nope")).toThrow(/unknown pool/);
  });
});
