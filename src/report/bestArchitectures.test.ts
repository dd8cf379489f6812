import { describe, expect, it } from "vitest";
import { analyseStudy } from "../statistics/analysis.js";
import { STUDY_TARGETS } from "../statistics/targets.js";
import { handMadeRun } from "../test-support/studyRuns.js";
import { bestArchitectures, readableDescription } from "./bestArchitectures.js";

describe("the best architectures found", () => {
  // The space's truths: one architecture better than anything the runs queried. A run's query i is architecture a(i - 1), as in every hand-made run.
  const truths = [0.95, 0.9, 0.8, 0.7, 0.5];

  it("ranks what the runs returned (the best observed, not the best truth) by truth, with the run that reached it first", () => {
    const runs = [
      handMadeRun([0.5, 0.9, 0.8], { seed: 0 }),
      handMadeRun([0.5, 0.9], { seed: 1, budget: 3 }),
      // Observes 0.8 as its best, so returns a2 (truth 0.8), though it queried a1 (truth 0.9).
      handMadeRun([0.5, 0.9, 0.8], { seed: 2, method: "local" }, [0.1, 0.2, 0.3]),
    ];
    const found = bestArchitectures(analyseStudy(runs, truths, { targets: [STUDY_TARGETS[0]!], bootstrap: { resamples: 100 } }), truths);
    expect(found).toEqual([
      { key: "a1", truth: 0.9, rankInSpace: 2, runs: 2, configurations: 1, first: { configuration: "random search", seed: 0, query: 2 } },
      { key: "a2", truth: 0.8, rankInSpace: 3, runs: 1, configurations: 1, first: { configuration: "local search", seed: 2, query: 3 } },
    ]);
  });

  it("writes a description as aligned lines: a matrix one row a line, a long list of words one item a line", () => {
    const description = { hash: "0da4", index: 7, matrix: [[0, 1], [0, 0]], ops: ["input", "conv3x3-bn-relu", "conv3x3-bn-relu", "output"], tags: ["a", "b"] };
    expect(readableDescription(description)).toBe(
      ["hash    0da4", "index   7", "matrix  0 1", "        0 0", "ops     input", "        conv3x3-bn-relu", "        conv3x3-bn-relu", "        output", "tags    a, b"].join("\n"),
    );
    expect(readableDescription("|nor_conv_3x3~0|+|")).toBe("|nor_conv_3x3~0|+|");
  });
});
