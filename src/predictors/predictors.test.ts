import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { loadProblem, type Nasbench101Problem } from "../spaces/registry.js";
import type { Nb101Cell } from "../spaces/nasbench101/space.js";
import { kendallTau } from "../util/ranking.js";
import { InputError } from "../util/errors.js";
import { createPredictor, restorePredictor } from "./registry.js";
import { initTf, tf } from "./tf.js";

/** Small budgets: the tests check behaviour, the benchmark measures the real defaults. */
const SMALL = {
  "mlp-ensemble": { epochs: 20 },
  gcn: { epochs: 20, width: 32, head: 32, learningRate: 1e-3 },
} as const;
const NAMES = Object.keys(SMALL) as (keyof typeof SMALL)[];

const train: Nb101Cell[] = Array.from({ length: 172 }, (_, i) => ({ index: (i * 2459 + 17) % 423_624 }));
const heldOut: Nb101Cell[] = Array.from({ length: 20_000 }, (_, i) => ({ index: (i * 21 + 5) % 423_624 }));

function hash(values: Float64Array): string {
  return createHash("sha256").update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength)).digest("hex");
}

describe("predictors on NAS-Bench-101", () => {
  let problem: Nasbench101Problem;
  const accuracies = () => train.map(({ index }) => problem.truths[index]!);

  beforeAll(async () => {
    problem = await loadProblem("nasbench101");
    await initTf();
  });

  for (const name of NAMES) {
    it(`${name} learns: Kendall tau > 0.3 on held-out cells after a small fit on 172 cells`, async () => {
      const predictor = createPredictor(name, problem.space, SMALL[name]);
      await predictor.fit(train, accuracies(), { seed: 1 });
      const { mean, std } = await predictor.predict(heldOut);
      expect(kendallTau(mean, Float64Array.from(heldOut, ({ index }) => problem.truths[index]!))).toBeGreaterThan(0.3);
      expect(std !== undefined).toBe(predictor.hasUncertainty);
      if (std !== undefined) expect(std.every((s) => s >= 0) && std.some((s) => s > 0)).toBe(true);
      predictor.dispose();
    });

    it(`${name}: same seed and data give the same predictions bit for bit, in this process, a restored copy and another process`, async () => {
      const options = { ...SMALL[name], epochs: 3 };
      const cells = heldOut.slice(0, 3000);
      const fitted = async (seed: number) => {
        const predictor = createPredictor(name, problem.space, options);
        await predictor.fit(train, accuracies(), { seed });
        return predictor;
      };
      const first = await fitted(5);
      const second = await fitted(5);
      const reference = (await first.predict(cells)).mean;
      expect((await second.predict(cells)).mean).toEqual(reference);
      expect((await (await fitted(6)).predict(cells)).mean).not.toEqual(reference);
      // One cell at a time gives what a batch gives.
      const single = await first.predict([cells[123]!]);
      expect(single.mean[0]).toBe(reference[123]);
      const restored = await restorePredictor(problem.space, first.snapshot!());
      expect((await restored.predict(cells)).mean).toEqual(reference);
      const script = `
        import { loadProblem } from ${JSON.stringify(fileURLToPath(new URL("../spaces/registry.ts", import.meta.url)))};
        import { createPredictor } from ${JSON.stringify(fileURLToPath(new URL("./registry.ts", import.meta.url)))};
        import { createHash } from "node:crypto";
        const problem = await loadProblem("nasbench101");
        const train = ${JSON.stringify(train)};
        const predictor = createPredictor(${JSON.stringify(name)}, problem.space, ${JSON.stringify(options)});
        await predictor.fit(train, train.map(({ index }) => problem.truths[index]), { seed: 5 });
        const { mean } = await predictor.predict(${JSON.stringify(cells)});
        process.stdout.write(createHash("sha256").update(new Uint8Array(mean.buffer)).digest("hex"));`;
      const child = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8" });
      expect(child).toBe(hash(reference));
      for (const predictor of [first, second, restored]) predictor.dispose();
    });

    it(`${name}: thousands of fit/predict cycles leave no tensor behind, and dispose frees everything`, async () => {
      const tiny = { ...SMALL[name], epochs: 1, ...(name === "gcn" ? { width: 4, head: 3 } : { width: 3, layers: 2, members: 2 }) };
      const cells = train.slice(0, 12);
      const before = tf.memory().numTensors;
      const predictor = createPredictor(name, problem.space, tiny);
      let during: number | undefined;
      for (let cycle = 0; cycle < 2000; cycle++) {
        await predictor.fit(cells, cells.map(({ index }) => problem.truths[index]!), { seed: cycle });
        await predictor.predict(heldOut.slice(cycle, cycle + 16));
        if (cycle === 10) during = tf.memory().numTensors;
      }
      expect(tf.memory().numTensors).toBe(during);
      predictor.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it("rejects bad options with a message naming the option", () => {
    expect(() => createPredictor("gcn", problem.space, { epochs: 0 })).toThrow(InputError);
    expect(() => createPredictor("gcn", problem.space, { headActivation: "tanh" })).toThrow(/headActivation/);
    expect(() => createPredictor("mlp-ensemble", problem.space, { encoding: "nonsense" })).toThrow(/encoding/);
    expect(() => createPredictor("mlp-ensemble", problem.space, { learningRate: -1 })).toThrow(/learningRate/);
  });
});
