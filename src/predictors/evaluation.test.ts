import { describe, expect, it } from "vitest";
import { topPrecision } from "./evaluation.js";

describe("precision at the top 0.1%", () => {
  it("is the share of the true top 0.1% in the predicted top as many", () => {
    const truth = Float64Array.from({ length: 5000 }, (_, i) => i);
    // The true top 5 are 4995..4999; the prediction keeps 4999, 4998 and 4997 on top, then 0 and 1.
    const predicted = Float64Array.from(truth, (t) => (t >= 4997 ? t : t <= 1 ? 10000 - t : -t));
    expect(topPrecision(truth, truth)).toBe(1);
    expect(topPrecision(truth, predicted)).toBeCloseTo(3 / 5, 12);
    expect(topPrecision(truth, Float64Array.from(truth, (t) => -t))).toBe(0);
  });

  it("looks at one architecture at least", () => {
    expect(topPrecision([1, 2, 3], [3, 2, 1])).toBe(0);
    expect(topPrecision([1, 2, 3], [1, 2, 3])).toBe(1);
  });
});
