import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { loadProblem, SPACE_NAMES } from "../spaces/registry.js";
import { ACCEL_NASBENCH } from "../spaces/accelnasbench/problem.js";
import type { Problem } from "../spaces/types.js";
import { kendallTau } from "../util/ranking.js";
import { InputError } from "../util/errors.js";
import { createPredictor, restorePredictor } from "./registry.js";
import { initTf, tf } from "./tf.js";

/** Small budgets: the tests check behaviour, the benchmark measures the real defaults. */
const SMALL = {
  "mlp-ensemble": { epochs: 20 },
  gcn: { epochs: 20, width: 32, head: 32, learningRate: 1e-3 },
  "gcn-listmle": { epochs: 10, width: 32, head: 32 },
} as const;
const NAMES = Object.keys(SMALL) as (keyof typeof SMALL)[];

/** Training and held-out enumeration indices of a space of `size` architectures (disjoint enough for the checks). */
const trainIndices = (size: number) => Array.from({ length: 172 }, (_, i) => (i * 2459 + 17) % size);
const heldOutIndices = (size: number) => Array.from({ length: Math.min(20_000, size - 200) }, (_, i) => (i * 21 + 5) % size);

function hash(values: Float64Array): string {
  return createHash("sha256").update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength)).digest("hex");
}

// The spaces that can be listed: these checks compare with every truth (Accel-NASBench's predictors are measured on its split).
const TABULAR = SPACE_NAMES.filter((name) => name !== ACCEL_NASBENCH.name);

describe.each(TABULAR)("predictors on %s", (space) => {
  let problem: Problem<unknown>;
  let train: unknown[];
  let heldOut: unknown[];
  const truthOf = (arch: unknown) => problem.truths[problem.space.enumeration.indexOf(arch)]!;
  const accuracies = () => train.map(truthOf);

  beforeAll(async () => {
    problem = await loadProblem({ space });
    const { enumeration } = problem.space;
    train = trainIndices(enumeration.size).map((i) => enumeration.at(i));
    heldOut = heldOutIndices(enumeration.size).map((i) => enumeration.at(i));
    await initTf();
  });

  for (const name of NAMES) {
    it(`${name} learns: Kendall tau > 0.3 on held-out cells after a small fit on 172 cells`, async () => {
      const predictor = createPredictor(name, problem.space, SMALL[name]);
      await predictor.fit(train, accuracies(), { seed: 1 });
      const { mean, std } = await predictor.predict(heldOut);
      expect(kendallTau(mean, Float64Array.from(heldOut, truthOf))).toBeGreaterThan(0.3);
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
        const problem = await loadProblem({ space: ${JSON.stringify(space)} });
        const at = (indices) => indices.map((i) => problem.space.enumeration.at(i));
        const train = at(${JSON.stringify(trainIndices(problem.space.enumeration.size))});
        const predictor = createPredictor(${JSON.stringify(name)}, problem.space, ${JSON.stringify(options)});
        await predictor.fit(train, train.map((arch) => problem.truths[problem.space.enumeration.indexOf(arch)]), { seed: 5 });
        const { mean } = await predictor.predict(at(${JSON.stringify(heldOutIndices(problem.space.enumeration.size).slice(0, 3000))}));
        process.stdout.write(createHash("sha256").update(new Uint8Array(mean.buffer)).digest("hex"));`;
      const child = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8" });
      expect(child).toBe(hash(reference));
      for (const predictor of [first, second, restored]) predictor.dispose();
    });

    // The same code on every space: checked on the first.
    it.runIf(space === TABULAR[0])(`${name}: thousands of fit/predict cycles leave no tensor behind, and dispose frees everything`, async () => {
      const tiny = { ...SMALL[name], epochs: 1, ...(name === "gcn" ? { width: 4, head: 3 } : { width: 3, layers: 2, members: 2 }) };
      const cells = train.slice(0, 12);
      const before = tf.memory().numTensors;
      const predictor = createPredictor(name, problem.space, tiny);
      let during: number | undefined;
      for (let cycle = 0; cycle < 2000; cycle++) {
        await predictor.fit(cells, cells.map(truthOf), { seed: cycle });
        await predictor.predict(heldOut.slice(cycle, cycle + 16));
        if (cycle === 10) during = tf.memory().numTensors;
      }
      expect(tf.memory().numTensors).toBe(during);
      predictor.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it.runIf(space === TABULAR[0])("rejects bad options with a message naming the option", () => {
    expect(() => createPredictor("gcn", problem.space, { epochs: 0 })).toThrow(InputError);
    expect(() => createPredictor("gcn", problem.space, { headActivation: "tanh" })).toThrow(/headActivation/);
    expect(() => createPredictor("mlp-ensemble", problem.space, { encoding: "nonsense" })).toThrow(/encoding/);
    expect(() => createPredictor("mlp-ensemble", problem.space, { learningRate: -1 })).toThrow(/learningRate/);
  });
});
