import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SPACE, loadProblem } from "../spaces/registry.js";
import type { Problem } from "../spaces/types.js";
import { createPredictor } from "./registry.js";
import { scoreAll, WorkerScorer } from "./scoring.js";
import type { Predictor } from "./types.js";

describe("whole-space scoring", () => {
  let problem: Problem<unknown>;
  const fitted: Predictor<unknown>[] = [];

  beforeAll(async () => {
    problem = await loadProblem({ space: DEFAULT_SPACE });
    const cells = Array.from({ length: 40 }, (_, i) => problem.space.enumeration.at(i * 9973));
    const accuracies = cells.map((_, i) => problem.truths[i * 9973]!);
    for (const [name, options] of [
      ["mlp-ensemble", { epochs: 3 }],
      ["gcn", { epochs: 1, width: 16, head: 8 }],
    ] as const) {
      const predictor = createPredictor(name, problem.space, options);
      await predictor.fit(cells, accuracies, { seed: 4 });
      fitted.push(predictor);
    }
  });

  afterAll(() => fitted.forEach((predictor) => predictor.dispose()));

  it("gives the same numbers on worker threads, in this thread, and from predict, bit for bit", async () => {
    const range = [100_000, 112_000] as const;
    const scorer = new WorkerScorer({ problem: problem.spec, space: problem.space }, 2);
    try {
      for (const predictor of fitted) {
        const inThread = await scoreAll(predictor, { problem: problem.spec, space: problem.space }, { workers: 0, range, chunk: 5000 });
        const onWorkers = await scorer.scoreAll(predictor, { range, chunk: 5000 });
        const direct = await predictor.predict(Array.from({ length: range[1] - range[0] }, (_, i) => problem.space.enumeration.at(range[0] + i)));
        expect(onWorkers.mean).toEqual(inThread.mean);
        expect(onWorkers.std).toEqual(inThread.std);
        expect(direct.mean).toEqual(inThread.mean);
        expect(inThread.mean.length).toBe(12_000);
        expect(inThread.mean.every(Number.isFinite)).toBe(true);
        expect(predictor.hasUncertainty ? inThread.std?.length : inThread.std).toBe(predictor.hasUncertainty ? 12_000 : undefined);
      }
    } finally {
      await scorer.close();
    }
  });

  it("rejects a range outside the space", async () => {
    await expect(scoreAll(fitted[0]!, { problem: problem.spec, space: problem.space }, { workers: 0, range: [5, 500_000] })).rejects.toThrow(/range/);
  });
});
