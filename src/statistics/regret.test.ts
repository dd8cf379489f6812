import { describe, expect, it } from "vitest";
import { handMadeRun } from "../test-support/studyRuns.js";
import { bestFoundAfter, meanRegretCurve, regretCurve, standardError } from "./regret.js";

describe("regret", () => {
  it("is the optimum minus the best truth so far, held after the last query", () => {
    const curve = regretCurve([{ truth: 0.5 }, { truth: 0.75 }, { truth: 0.25 }], 1, 5);
    expect(Array.from(curve)).toEqual([0.5, 0.25, 0.25, 0.25, 0.25]);
  });

  it("averages over runs, with the standard error of the mean", () => {
    const { mean, standardError: se } = meanRegretCurve([handMadeRun([0.5, 0.5]), handMadeRun([0.25, 1])], 1, 2);
    expect(Array.from(mean)).toEqual([0.625, 0.25]);
    // Two values 0.5 apart: sample standard deviation 0.3536, over sqrt(2).
    expect(se[1]).toBeCloseTo(0.25, 12);
  });

  it("has no standard error for one value", () => {
    expect(standardError([3])).toBeNaN();
  });
});

describe("best architecture found", () => {
  it("is chosen by observed value among the first queries and reported by its truth", () => {
    // The noisy observation prefers query 2 (truth 0.90) over query 3 (truth 0.95); query 4 comes too late.
    const noisy = handMadeRun([0.8, 0.9, 0.95, 1], {}, [0.8, 0.99, 0.9, 1]);
    const best = bestFoundAfter([noisy, handMadeRun([0.7, 1, 0.5, 0.5])], 1, 3);
    expect(best).toMatchObject({ afterQueries: 3, runs: 2, optimumFound: 1 });
    expect(best.meanTruth).toBeCloseTo(0.95, 12);
  });

  it("falls back to the shortest run's length when runs are shorter than asked", () => {
    expect(bestFoundAfter([handMadeRun([0.5, 0.6])], 1, 150).afterQueries).toBe(2);
  });
});
