/**
 * A finished run grows: `search --budget 40 --run-dir DIR` after a budget-30 run in DIR reuses
 * its 30 evaluations and runs 10 more, and ends where an uninterrupted run of 40 ends (built
 * program, real evaluation processes). A smaller budget is refused.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { EvaluationRecord } from "../search/record.js";
import { EVALUATE, prednas, readJournal, SPACE } from "../test-support/cli.js";

const scratch = mkdtempSync(join(tmpdir(), "prednas-grow-"));

/** The journaled architectures in launch order (the journal is in finishing order). */
const launched = (runDir: string) =>
  readJournal(runDir)
    .sort((a, b) => a.n - b.n)
    .map((entry) => entry.key);

/** What a run decided and found, without its timing: launch order, why each was chosen, values. */
function decisions(runDir: string) {
  const record = JSON.parse(readFileSync(join(runDir, "record.json"), "utf8")) as { budget: number; evaluations: EvaluationRecord[]; best: EvaluationRecord; failed: number };
  const strip = ({ n, key, iteration, score, scoreStd, attempts, value }: EvaluationRecord) => ({ n, key, iteration, score, scoreStd, attempts, value });
  return { budget: record.budget, failed: record.failed, best: strip(record.best), evaluations: record.evaluations.map(strip) };
}

describe("a run extended from budget 30 to 40", () => {
  it.each([
    // The predictor made small: what is tested is the loop's decisions, not the fit.
    ["predictor", { predictorOptions: { members: 2, layers: 2, epochs: 20 }, initialSamples: 10, batchSize: 4 }],
    ["evolution", { populationSize: 12, tournamentSize: 4 }],
  ])("%s: the same first 30 queries and the same record as a run of 40", (method, options) => {
    const search = (budget: number, runDir: string) =>
      prednas(["search", "--space-file", SPACE, "--evaluate", EVALUATE, "--method", method, "--options", JSON.stringify(options), "--seed", "7", "--parallel", "2", "--budget", String(budget), "--run-dir", runDir, "--json"], { cwd: scratch });
    const whole = join(scratch, `${method}-whole`);
    const grown = join(scratch, `${method}-grown`);
    expect(search(40, whole).status).toBe(0);
    expect(search(30, grown).status).toBe(0);
    const first = launched(grown);
    expect(first).toHaveLength(30);
    expect(launched(whole).slice(0, 30)).toEqual(first);

    const extended = search(40, grown);
    expect(extended.stderr).toContain("the run's budget grows from 30 to 40");
    expect(extended.status).toBe(0);
    // The 30 journaled evaluations were reused, not run again: 40 lines, the first 30 unchanged.
    expect(launched(grown)).toEqual(launched(whole));
    expect(readJournal(grown).slice(0, 30).map((entry) => entry.key).sort()).toEqual([...first].sort());
    expect(decisions(grown)).toEqual(decisions(whole));
    const run = JSON.parse(readFileSync(join(grown, "run.json"), "utf8")) as { run: { budget: number }; extended: { budget: number; at: string }[] };
    expect(run.run.budget).toBe(30);
    expect(run.extended.map((e) => e.budget)).toEqual([40]);

    // Resumed again at 40: nothing runs; at 30: refused, for the journal holds 40.
    expect(search(40, grown).status).toBe(0);
    expect(readJournal(grown)).toHaveLength(40);
    const shrunk = search(30, grown);
    expect(shrunk.status).not.toBe(0);
    expect(shrunk.stderr).toContain("holds this run with a budget of 40 (30, then 40); a run's budget can grow but not shrink");
    expect(shrunk.stderr).not.toMatch(/\n\s+at /);
  }, 240_000);
});
