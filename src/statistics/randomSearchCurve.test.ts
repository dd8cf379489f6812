import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { seededRng } from "../util/rng.js";
import { RandomSearchCurve } from "./randomSearchCurve.js";

/** E[max of a uniform m-subset], written independently: P(max <= a_i) = C(i, m) / C(N, m) on the ascending truths, in log space. */
function reference(truths: readonly number[], m: number): number {
  const sorted = [...truths].sort((a, b) => a - b);
  const total = sorted.length;
  let logCdf = 0;
  for (let j = 0; j < m; j++) logCdf += Math.log((m - j) / (total - j));
  let previous = 0;
  let expectation = 0;
  for (let i = m; i <= total; i++) {
    if (i > m) logCdf += Math.log(i / (i - m));
    const cdf = Math.exp(logCdf);
    expectation += sorted[i - 1]! * (cdf - previous);
    previous = cdf;
  }
  return expectation;
}

describe("random search's exact expected best", () => {
  it("is the mean over every subset of the best truth in it", () => {
    const truths = [0.3, 0.9, 0.1, 0.5, 0.5, 0.7];
    const maxima: number[] = [];
    for (let a = 0; a < 6; a++) for (let b = a + 1; b < 6; b++) for (let c = b + 1; c < 6; c++) maxima.push(Math.max(truths[a]!, truths[b]!, truths[c]!));
    const curve = new RandomSearchCurve(truths);
    expect(curve.expectedBest(3)).toBeCloseTo(maxima.reduce((x, y) => x + y) / maxima.length, 12);
    expect(curve.expectedBest(6)).toBeCloseTo(0.9, 12);
    expect(curve.expectedBest(1)).toBeCloseTo(0.5, 12);
  });

  it("agrees with the subset formula written another way, for every m of random spaces", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 400 }), (seed, size) => {
        const rng = seededRng(seed);
        const truths = Array.from({ length: size }, () => rng.random());
        const curve = new RandomSearchCurve(truths);
        for (const m of new Set([1, Math.min(2, size), Math.ceil(size / 3), size])) expect(curve.expectedBest(m)).toBeCloseTo(reference(truths, m), 10);
      }),
      { numRuns: 50 },
    );
  });

  it("inverts to the queries random search needs: integers exactly, log-linear between, clamped outside", () => {
    const rng = seededRng(2);
    const curve = new RandomSearchCurve(Array.from({ length: 5000 }, () => rng.random()));
    for (const m of [1, 2, 10, 150, 4999, 5000]) expect(curve.queriesFor(curve.expectedBest(m))).toBeCloseTo(m, 9);
    const between = (curve.expectedBest(10) + curve.expectedBest(11)) / 2;
    expect(curve.queriesFor(between)).toBeCloseTo(Math.exp((Math.log(10) + Math.log(11)) / 2), 9);
    expect(curve.queriesFor(0)).toBe(1);
    expect(curve.queriesFor(2)).toBe(5000);
    expect(() => curve.expectedBest(0)).toThrow(RangeError);
  });
});
