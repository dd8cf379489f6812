import { readFileSync } from "node:fs";
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
    expect(prednas.METHODS).toEqual(["predictor", "random", "evolution", "local", "bananas"]);
    expect(prednas.POOL_NAMES).toContain("neighbourhood");
    expect(Object.keys(prednas.PREDICTORS)).toEqual(expect.arrayContaining(["gcn", "mlp-ensemble", "ridge"]));
    expect(Object.keys(prednas.PRESETS)).toEqual(["quick", "paper", "gcn"]);
  });
});
