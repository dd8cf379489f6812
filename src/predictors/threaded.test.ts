import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { spaceFileSearchProblem } from "../spaces/registry.js";
import { seededRng } from "../util/rng.js";
import { createPredictor } from "./registry.js";
import { ThreadedPredictor } from "./threaded.js";

describe("a predictor fitted on a worker thread", () => {
  it("predicts as the same predictor fitted in this thread, bit for bit, and keeps this thread free while it fits", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "prednas-threaded-")), "space.json");
    writeFileSync(file, JSON.stringify({ type: "choices", name: "threaded", choices: { depth: [1, 2, 3, 4], width: [8, 16, 32, 64], act: ["relu", "gelu", "tanh"] } }));
    const problem = spaceFileSearchProblem(file);
    const rng = seededRng(5);
    const archs = Array.from({ length: 30 }, () => problem.space.sampleUniform(rng));
    const values = archs.map((_, i) => (i * 37) % 11 / 11);
    const others = Array.from({ length: 50 }, () => problem.space.sampleUniform(rng));
    const options = { members: 2, layers: 3, epochs: 40, encoding: "onehot" };

    const local = createPredictor("mlp-ensemble", problem.space, options);
    await local.fit(archs, values, { seed: 9 });
    const threaded = new ThreadedPredictor(createPredictor("mlp-ensemble", problem.space, options), { ...(local.snapshot!().options as Record<string, unknown>) }, problem.space, problem.spec);
    try {
      // Timers keep firing while the worker fits: this thread's event loop is free (a fit in this
      // thread lets a 5 ms timer fire about once in its whole fit; here, once per 50 ms at least).
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 5);
      const start = Date.now();
      await threaded.fit(archs, values, { seed: 9 });
      clearInterval(ticker);
      expect(ticks).toBeGreaterThanOrEqual(Math.max(3, (Date.now() - start) / 50));
      const [want, got] = [await local.predict(others), await threaded.predict(others)];
      expect(Array.from(got.mean)).toEqual(Array.from(want.mean));
      expect(Array.from(got.std!)).toEqual(Array.from(want.std!));
      expect(Array.from(threaded.snapshot().state.parameters)).toEqual(Array.from(local.snapshot!().state.parameters));
    } finally {
      local.dispose();
      threaded.dispose();
    }
  }, 60_000);
});
