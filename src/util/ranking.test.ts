import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { averageRanks, kendallTau, spearmanRho, topHits } from "./ranking.js";

/** Kendall's tau-b straight from its definition, over all pairs. */
function bruteKendall(x: number[], y: number[]): number {
  let concordantMinusDiscordant = 0;
  let untiedX = 0;
  let untiedY = 0;
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      const dx = Math.sign(x[i]! - x[j]!);
      const dy = Math.sign(y[i]! - y[j]!);
      concordantMinusDiscordant += dx * dy;
      if (dx !== 0) untiedX++;
      if (dy !== 0) untiedY++;
    }
  }
  return concordantMinusDiscordant / Math.sqrt(untiedX * untiedY);
}

/** Spearman's rho as the Pearson correlation of ranks computed by counting. */
function bruteSpearman(x: number[], y: number[]): number {
  const rank = (v: number[]) => v.map((a) => v.filter((b) => b < a).length + (v.filter((b) => b === a).length + 1) / 2);
  const rx = rank(x);
  const ry = rank(y);
  const mean = (v: number[]) => v.reduce((s, a) => s + a, 0) / v.length;
  const [mx, my] = [mean(rx), mean(ry)];
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  rx.forEach((a, i) => {
    sxy += (a - mx) * (ry[i]! - my);
    sxx += (a - mx) ** 2;
    syy += (ry[i]! - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}

/** Paired samples with many ties (values from a small set). */
const pairedWithTies = fc.integer({ min: 2, max: 60 }).chain((n) =>
  fc.tuple(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: n, maxLength: n }), fc.array(fc.integer({ min: -3, max: 3 }), { minLength: n, maxLength: n })),
);

describe("ranking metrics", () => {
  it("Kendall tau-b matches the O(n^2) definition, ties included", () => {
    fc.assert(
      fc.property(pairedWithTies, ([x, y]) => {
        const expected = bruteKendall(x, y);
        const actual = kendallTau(x, y);
        if (Number.isNaN(expected)) expect(actual).toBeNaN();
        else expect(actual).toBeCloseTo(expected, 12);
      }),
      { numRuns: 500 },
    );
  });

  it("Kendall tau is 1 for the same order, -1 for the reverse, and scale-free", () => {
    const x = Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 1000);
    expect(kendallTau(x, x.map((v) => 3 * v + 1))).toBe(1);
    expect(kendallTau(x, x.map((v) => -v))).toBe(-1);
  });

  it("Spearman rho matches ranks computed by counting, ties averaged", () => {
    fc.assert(
      fc.property(pairedWithTies, ([x, y]) => {
        const expected = bruteSpearman(x, y);
        const actual = spearmanRho(x, y);
        if (Number.isNaN(expected)) expect(actual).toBeNaN();
        else expect(actual).toBeCloseTo(expected, 12);
      }),
      { numRuns: 500 },
    );
  });

  it("average ranks share the mean rank among ties", () => {
    expect(Array.from(averageRanks([10, 20, 10, 30, 20, 20]))).toEqual([1.5, 4, 1.5, 6, 4, 4]);
  });

  it("top hits counts the true top k among the predicted top m (ties by lower index)", () => {
    fc.assert(
      fc.property(pairedWithTies, fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 30 }), ([truth, predicted], k, m) => {
        const byValue = (v: number[]) => v.map((value, index) => ({ value, index })).sort((a, b) => b.value - a.value || a.index - b.index).map((e) => e.index);
        const shortlist = byValue(predicted).slice(0, m);
        const expected = byValue(truth)
          .slice(0, k)
          .filter((i) => shortlist.includes(i)).length;
        expect(topHits(truth, predicted, k, m)).toBe(expected);
      }),
      { numRuns: 300 },
    );
    expect(topHits([5, 4, 3, 2, 1], [1, 2, 3, 4, 5], 2, 2)).toBe(0);
    expect(topHits([5, 4, 3, 2, 1], [5, 4, 3, 2, 1], 2, 3)).toBe(2);
  });

  it("rejects unpaired samples and NaN", () => {
    expect(() => kendallTau([1, 2], [1])).toThrow(RangeError);
    expect(() => spearmanRho([1, Number.NaN], [1, 2])).toThrow(RangeError);
  });
});
