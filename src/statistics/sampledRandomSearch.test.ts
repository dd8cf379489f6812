/**
 * The sample estimate of random search's expected best against the exact one on a space small
 * enough to list, and its standard error against the spread of independent estimates.
 */
import { describe, expect, it } from "vitest";
import { seededRng } from "../util/rng.js";
import { RandomSearchCurve } from "./randomSearchCurve.js";
import { estimateExpectedBest, topQuantile } from "./sampledRandomSearch.js";

// A listed "space" of 20,000 truths with a long upper tail, as accuracies have.
const rng = seededRng(7);
const truths = Float64Array.from({ length: 20_000 }, () => 0.9 - 0.05 * Math.abs(rng.normal()) ** 1.5);
const exact = new RandomSearchCurve(truths);
const ms = [1, 10, 50, 150];
const uniformSample = (seed: number, size: number) => {
  const draw = seededRng(seed);
  return Float64Array.from({ length: size }, () => truths[draw.below(truths.length)]!);
};

describe("E_RS estimated from a uniform sample", () => {
  it("is the exact E_RS within its standard error, on a space that can be listed", () => {
    const estimates = estimateExpectedBest(uniformSample(1, 100_000), ms, { replicates: 40, seed: 2 });
    for (const { m, estimate, standardError } of estimates) {
      expect(standardError).toBeGreaterThan(0);
      // Sampling error plus with/without replacement (O(m^2 / N): below 2e-5 here).
      expect(Math.abs(estimate - exact.expectedBest(m))).toBeLessThan(4 * standardError + 2e-5);
    }
  });

  it("gives a standard error the size of the spread of independent estimates", () => {
    const independent = Array.from({ length: 20 }, (_, seed) => estimateExpectedBest(uniformSample(100 + seed, 20_000), [150], { replicates: 2 })[0]!.estimate);
    const mean = independent.reduce((sum, v) => sum + v, 0) / independent.length;
    const spread = Math.sqrt(independent.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (independent.length - 1));
    const { standardError } = estimateExpectedBest(uniformSample(99, 20_000), [150], { replicates: 100, seed: 3 })[0]!;
    expect(standardError / spread).toBeGreaterThan(0.5);
    expect(standardError / spread).toBeLessThan(2);
  });

  it("is exact on the whole table for m = 1 (the mean), and the top quantile takes ties in", () => {
    expect(estimateExpectedBest(truths, [1], { replicates: 2 })[0]!.estimate).toBeCloseTo(exact.expectedBest(1), 12);
    expect(topQuantile([1, 5, 5, 3, 2], 0.2)).toBe(5);
    expect(topQuantile([1, 5, 4, 3, 2], 0.4)).toBe(4);
  });
});
