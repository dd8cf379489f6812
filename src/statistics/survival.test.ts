import { describe, expect, it } from "vitest";
import { mean } from "simple-statistics";
import { firstHit, restrictedMean, type FirstHit } from "./survival.js";

const hit = (queries: number): FirstHit => ({ queries, hit: true });
const censored = (queries: number): FirstHit => ({ queries, hit: false });

describe("first hits", () => {
  it("is the query count of the first query reaching the threshold, else censored at the last query", () => {
    const queries = [0.5, 0.9, 0.95].map((truth, i) => ({ n: i + 1, truth }));
    expect(firstHit(queries, 0.9)).toEqual({ queries: 2, hit: true });
    expect(firstHit(queries, 0.99)).toEqual({ queries: 3, hit: false });
  });
});

describe("Kaplan-Meier restricted mean", () => {
  it("matches a hand computation on a censored sample", () => {
    // Five runs, budget 6: hits at 2, 4 and 5; one run censored at 4 (it stopped early), one at 6.
    //   t = 2: 5 at risk, 1 hit  -> S = 1 x 4/5           = 0.8
    //   t = 4: 4 at risk, 1 hit  -> S = 0.8 x 3/4         = 0.6 (the run censored at 4 was at risk at 4)
    //   t = 5: 2 at risk, 1 hit  -> S = 0.6 x 1/2         = 0.3
    // Area up to 6: 1 x 2 + 0.8 x 2 + 0.6 x 1 + 0.3 x 1 = 4.5
    const sample = [hit(2), hit(4), censored(4), hit(5), censored(6)];
    const result = restrictedMean(sample, 6);
    expect(result.mean).toBeCloseTo(4.5, 12);
    expect(result.survivalAtHorizon).toBeCloseTo(0.3, 12);
    // Up to 3: 1 x 2 + 0.8 x 1.
    expect(restrictedMean(sample, 3).mean).toBeCloseTo(2.8, 12);
    expect(restrictedMean(sample, 3).survivalAtHorizon).toBeCloseTo(0.8, 12);
  });

  it("is the plain mean when every run hits, whatever the order", () => {
    const times = [7, 1, 3, 3, 10];
    const result = restrictedMean(times.map(hit), 10);
    expect(result.mean).toBeCloseTo(mean(times), 12);
    expect(result.survivalAtHorizon).toBe(0);
  });

  it("is the budget when no run hits", () => {
    expect(restrictedMean([censored(150), censored(150)], 150)).toEqual({ mean: 150, survivalAtHorizon: 1 });
  });
});
