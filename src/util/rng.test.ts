import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { MersenneTwister, seededRng } from "./rng.js";

const reference = JSON.parse(readFileSync(new URL("../spaces/nasbench101/fixtures/reference_draws.json", import.meta.url), "utf8")) as {
  streams: Record<string, number[]>;
};

describe("MersenneTwister", () => {
  it("reproduces CPython's random.random() for small and large seeds", () => {
    const small = MersenneTwister.python(12345);
    expect(Array.from({ length: 5 }, () => small.random())).toEqual(reference.streams.python_random_seed_12345);
    const large = MersenneTwister.python(2 ** 40 + 7);
    expect(Array.from({ length: 3 }, () => large.random())).toEqual(reference.streams.python_random_seed_2_pow_40);
  });

  it("reproduces CPython's randrange (getrandbits rejection)", () => {
    const three = MersenneTwister.python(99);
    expect(Array.from({ length: 20 }, () => three.below(3))).toEqual(reference.streams.python_randbelow_seed_99_n_3);
    const big = MersenneTwister.python(2);
    expect(Array.from({ length: 10 }, () => big.below(423624))).toEqual(reference.streams.python_randbelow_seed_2_n_423624);
  });

  it("reproduces NumPy's legacy random_sample and masked randint", () => {
    const uniform = MersenneTwister.numpy(5);
    expect(Array.from({ length: 5 }, () => uniform.random())).toEqual(reference.streams.numpy_random_sample_seed_5);
    const ints = MersenneTwister.numpy(8);
    expect(Array.from({ length: 10 }, () => ints.belowMasked(1000))).toEqual(reference.streams.numpy_randint_seed_8_n_1000);
  });

  it("gives the same stream for the same seed, and a clone continues it", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
        const a = seededRng(seed);
        const b = seededRng(seed);
        const first = Array.from({ length: 10 }, () => a.nextUint32());
        expect(Array.from({ length: 10 }, () => b.nextUint32())).toEqual(first);
        const c = a.clone();
        expect(c.random()).toBe(a.random());
      }),
      { numRuns: 50 },
    );
  });

  it("keeps draws in range", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 2 ** 31 }), (seed, n) => {
        const rng = seededRng(seed);
        const x = rng.below(n);
        const y = rng.belowMasked(n);
        const u = rng.random();
        return x >= 0 && x < n && y >= 0 && y < n && u >= 0 && u < 1;
      }),
    );
  });

  it("rejects seeds and bounds it cannot honour", () => {
    expect(() => MersenneTwister.numpy(2 ** 32)).toThrow(/seed/);
    expect(() => MersenneTwister.python(-1)).toThrow(/seed/);
    expect(() => seededRng(1).below(0)).toThrow(/bound/);
    expect(() => seededRng(1).choice([])).toThrow(/empty/);
  });
});
