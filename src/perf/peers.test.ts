/**
 * The Optuna reference script on a small case (R = 2, 20 distinct cells, NAS-Bench-201 CIFAR-10):
 * skipped when /usr/bin/python3 has no optuna.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadProblem } from "../spaces/registry.js";
import { OPTUNA_SCRIPT, optunaVersion, PYTHON, runOptuna, writeTable } from "./peers.js";

const version = optunaVersion();
const dir = mkdtempSync(join(tmpdir(), "prednas-optuna-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(version === undefined)(`Optuna ${version ?? "(missing: apt-get install python3-optuna)"} on NAS-Bench-201`, () => {
  it("R = 2, 20 distinct cells each, both variants: distinct cells of the table, the same for a seed, at least as many trials as cells", async () => {
    const problem = await loadProblem({ space: "nasbench201" });
    const table = join(dir, "cifar10.json");
    writeTable(problem, table);
    const runs = await runOptuna(table, 2, 20, ["multivariate", "univariate"]);
    expect(runs.map((run) => [run.variant, run.seed])).toEqual([["multivariate", 0], ["multivariate", 1], ["univariate", 0], ["univariate", 1]]);
    for (const run of runs) {
      expect(run.cells).toHaveLength(20);
      expect(new Set(run.cells).size).toBe(20);
      expect(run.cells.every((cell) => Number.isInteger(cell) && cell >= 0 && cell < 15625)).toBe(true);
      expect(run.trials).toBeGreaterThanOrEqual(20);
    }
    expect(runs[0]!.cells).not.toEqual(runs[1]!.cells);
    const again = await runOptuna(table, 1, 20, ["multivariate"]);
    expect(again[0]).toEqual(runs[0]);
  });

  it("says what is wrong with its arguments", async () => {
    await expect(runOptuna(join(dir, "cifar10.json"), 1, 5, ["joint"])).rejects.toThrow(/unknown variant\(s\) joint: multivariate, univariate/);
  });
});

describe.skipIf(!existsSync(PYTHON))("the script without optuna", () => {
  it("exits with status 3 and says how to install it", () => {
    // -S leaves the system's site-packages out: this Python then has no optuna.
    const child = spawnSync(PYTHON, ["-S", OPTUNA_SCRIPT, "table.json", "1", "5", "multivariate"], { encoding: "utf8" });
    expect(child.status).toBe(3);
    expect(child.stderr).toMatch(/has no optuna: install it with 'apt-get install python3-optuna' to compare with Optuna/);
  });
});
