import { describe, expect, it } from "vitest";
import { mean } from "simple-statistics";
import { percentileBootstrap } from "./bootstrap.js";

const sample = [3, 9, 1, 14, 6, 2, 8, 5, 11, 4];
const meanOf = (resample: readonly number[]) => [mean([...resample])];

describe("percentile bootstrap", () => {
  it("gives the same interval for the same seed, and another for another seed", () => {
    const first = percentileBootstrap(sample, meanOf, { seed: 3 });
    expect(percentileBootstrap(sample, meanOf, { seed: 3 })).toEqual(first);
    expect(percentileBootstrap(sample, meanOf, { seed: 4 })).not.toEqual(first);
  });

  it("brackets the estimate, and narrows with lower confidence", () => {
    const [wide] = percentileBootstrap(sample, meanOf, { confidence: 0.95 });
    const [narrow] = percentileBootstrap(sample, meanOf, { confidence: 0.5 });
    expect(wide!.low).toBeLessThan(mean(sample));
    expect(wide!.high).toBeGreaterThan(mean(sample));
    expect(narrow!.low).toBeGreaterThan(wide!.low);
    expect(narrow!.high).toBeLessThan(wide!.high);
  });

  it("computes several statistics from the same resamples", () => {
    const [m, doubled] = percentileBootstrap(sample, (r) => [mean([...r]), 2 * mean([...r])], { resamples: 500 });
    expect(doubled!.low).toBeCloseTo(2 * m!.low, 12);
    expect(doubled!.high).toBeCloseTo(2 * m!.high, 12);
  });

  it("has no width on a constant sample", () => {
    expect(percentileBootstrap([5, 5, 5], meanOf)).toEqual([{ low: 5, high: 5 }]);
  });
});
