import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as prednas from "./index.js";
import { NASBENCH101_RULES } from "./spaces/nasbench101/ops.js";

describe("the library API", () => {
  it("is what the package exports: src/index.ts builds to the entry package.json names", () => {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { main: string; exports: { ".": { default: string } } };
    expect(manifest.main).toBe("dist/index.js");
    expect(manifest.exports["."].default).toBe("./dist/index.js");
  });

  it("hashes a cell as 'prednas hash' does", () => {
    expect(prednas.ModelSpec.from([[0, 1], [0, 0]], ["input", "output"], NASBENCH101_RULES).hash()).toBe("043721b9c7fe8c5fad811d47d83132ec");
  });

  it("runs a seeded search and names every method, pool and predictor of the command line", async () => {
    const problem = prednas.bitStringProblem(8, 0b10110010);
    const run = () => prednas.runSearch(problem, { method: "evolution", seed: 3, budget: 40, options: prednas.resolveMethodOptions("evolution") });
    const record = await run();
    expect(record.queries).toHaveLength(40);
    expect(await run()).toEqual({ ...record, timing: expect.anything() as unknown });
    expect(prednas.METHODS).toEqual(["predictor", "random", "evolution", "local", "bananas", "tpe"]);
    expect(prednas.POOL_NAMES).toContain("neighbourhood");
    expect(Object.keys(prednas.PREDICTORS)).toEqual(expect.arrayContaining(["gcn", "mlp-ensemble", "ridge"]));
    expect(prednas.PRESET_NAMES).toEqual(["decide", "gcn", "listmle-check", "nb201-cifar10", "nb201-cifar100", "paper", "quick"]);
  });

  it("searches a space file with an async evaluation function, as the README shows", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "prednas-library-")), "space.json");
    writeFileSync(file, JSON.stringify({ type: "choices", name: "my-net", choices: { depth: [2, 3, 4], width: [16, 32, 64], act: ["relu", "gelu"], lr: [0.001, 0.01] } }));
    const problem = await prednas.loadSearchProblem({ space: "my-net", spaceFile: file });
    const train = async (arch: { depth: number; width: number }, seed: number, signal: AbortSignal) => (signal.aborted ? 0 : arch.depth * arch.width + (seed % 7) / 100);
    const record = await prednas.runEvaluatedSearch(problem, {
      method: "predictor",
      seed: 0,
      budget: 14,
      parallel: 4,
      options: prednas.resolveMethodOptions("predictor", { predictor: "ridge", poolSize: 20 }, undefined, problem.space),
      evaluate: async (_arch, { json, seed, signal }) => ({ value: await train(json as { depth: number; width: number }, seed, signal) }),
    });
    expect(record.evaluations).toHaveLength(14);
    expect(record.best!.arch).toMatchObject({ depth: expect.any(Number), width: expect.any(Number) });
    expect(record.evaluator).toBe("function");
  });
});
