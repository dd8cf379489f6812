import { describe, expect, it } from "vitest";
import { mean } from "simple-statistics";
import { randomSearchFirstHits } from "../test-support/studyRuns.js";
import { randomSearchQueries, STUDY_TARGETS, targetSets } from "./targets.js";

describe("target sets", () => {
  it("takes the k best, and every architecture tied with the k-th", () => {
    const truths = [0.5, 0.9, 0.7, 0.9, 0.8, 0.7, 0.7, 0.1];
    const [best, top3] = targetSets(truths, [
      { id: "best", label: "best", rank: () => 1 },
      { id: "top-3", label: "top 3", rank: () => 3 },
    ]);
    // 0.9 is tied: the optimum's set holds both.
    expect(best).toMatchObject({ rank: 1, threshold: 0.9, size: 2, spaceSize: 8 });
    // The 3rd best is 0.8; nothing ties with it.
    expect(top3).toMatchObject({ rank: 3, threshold: 0.8, size: 3 });
    const [top4] = targetSets(truths, [{ id: "top-4", label: "top 4", rank: () => 4 }]);
    // The 4th best is 0.7, shared by three architectures: |T| = 6 > k = 4.
    expect(top4).toMatchObject({ threshold: 0.7, size: 6, randomSearchQueries: 9 / 7 });
  });

  it("sizes docs/study.md's targets on NAS-Bench-101's 423,624 cells as 1, 10, 42 and 424", () => {
    const truths = Float64Array.from({ length: 423_624 }, (_, i) => i);
    expect(targetSets(truths, STUDY_TARGETS).map((t) => t.rank)).toEqual([1, 10, 42, 424]);
    // The fractions never round to an empty target; a target larger than the space is an error.
    expect(targetSets([1, 2, 3], [STUDY_TARGETS[0]!, STUDY_TARGETS[2]!]).map((t) => t.rank)).toEqual([1, 1]);
    expect(() => targetSets([1, 2, 3], STUDY_TARGETS)).toThrow(/top-10.*rank 10/);
  });

  it("has E[N_RS] = (|A| + 1) / (|T| + 1), as random search without replacement shows", () => {
    const expected = randomSearchQueries(1000, 5);
    expect(expected).toBeCloseTo(1001 / 6, 12);
    const firstHits = randomSearchFirstHits(1000, 5, 20_000, 1000, 7);
    expect(firstHits.every((h) => h.hit)).toBe(true);
    // N has a standard deviation of about 140, so the mean of 20,000 runs has a standard error of
    // about 1 query (0.6%): 3% is five standard errors.
    expect(Math.abs(mean(firstHits.map((h) => h.queries)) - expected) / expected).toBeLessThan(0.03);
  });
});
