import { describe, expect, it } from "vitest";
import { handMadeRun } from "../test-support/studyRuns.js";
import { seededRng } from "../util/rng.js";
import { RandomSearchCurve } from "./randomSearchCurve.js";
import { reportedBudgets, returnedTruth, segAtBudgets } from "./segAtBudget.js";

describe("SEG at a budget", () => {
  const rng = seededRng(5);
  const truths = Array.from({ length: 20_000 }, () => rng.random());
  const curve = new RandomSearchCurve(truths);

  it("is k / n for runs that return what random search returns after k queries", () => {
    // Every run returns, after 10 queries, an architecture worth E_RS(40): SEG_10 = 4.
    const target = curve.expectedBest(40);
    const runs = [0, 1, 2].map(() => handMadeRun([0.1, 0.2, target, 0.3, 0.3, 0.1, 0.2, 0.1, 0.05, 0.0]));
    const [at10] = segAtBudgets(runs, [10], curve, { resamples: 200 });
    expect(at10!.seg).toBeCloseTo(4, 9);
    expect(at10!.randomSearchQueries).toBeCloseTo(40, 9);
    expect(at10!.interval.low).toBeCloseTo(4, 9);
    expect(at10!.interval.high).toBeCloseTo(4, 9);
  });

  it("judges the architecture a run returns: the best observed, scored by its truth", () => {
    // Observed values disagree with the truths: the run returns the third query (observed 0.9), worth 0.2.
    const run = handMadeRun([0.5, 0.6, 0.2, 0.99], {}, [0.1, 0.2, 0.9, 0.3]);
    expect(returnedTruth(run, 3)).toBe(0.2);
    expect(returnedTruth(run, 2)).toBe(0.6);
  });

  it("has an interval around its estimate, the same for the same seed", () => {
    const runs = Array.from({ length: 12 }, (_, r) => handMadeRun(Array.from({ length: 60 }, (_, i) => truths[(r * 997 + i * 13) % truths.length]!)));
    const [first, second] = [segAtBudgets(runs, [50, 60], curve, { resamples: 300, seed: 3 }), segAtBudgets(runs, [50, 60], curve, { resamples: 300, seed: 3 })];
    expect(first).toEqual(second);
    for (const s of first) {
      expect(s.interval.low).toBeLessThanOrEqual(s.seg);
      expect(s.interval.high).toBeGreaterThanOrEqual(s.seg);
    }
  });

  it("is reported at 50, 100, 150 and the budget", () => {
    expect(reportedBudgets(150)).toEqual([50, 100, 150]);
    expect(reportedBudgets(300)).toEqual([50, 100, 150, 300]);
    expect(reportedBudgets(60)).toEqual([50, 60]);
    expect(reportedBudgets(20)).toEqual([20]);
  });
});
