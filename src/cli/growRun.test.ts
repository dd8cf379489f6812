/**
 * A finished run grows: `search --budget 40 --run-dir DIR` after a budget-30 run in DIR reuses
 * its 30 evaluations and runs 10 more, and ends where an uninterrupted run of 40 ends (built
 * program, real evaluation processes). A smaller budget is refused. Architectures enqueued with
 * --enqueue run first.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
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

describe("--enqueue FILE", () => {
  it.each(["predictor", "evolution"])("%s: the file's architectures are the first evaluations, in order, counted in the budget; part of the run's identity; a bad line named", (method) => {
    const enqueued = [
      { depth: 6, width: 128, activation: "gelu", dropout: 0.3, lr: 0.01 },
      { depth: 1, width: 8, activation: "relu", dropout: 0, lr: 0.0001 },
      { depth: 3, width: 32, activation: "tanh", dropout: 0.1, lr: 0.001 },
    ];
    const file = join(scratch, `${method}-enqueue.jsonl`);
    writeFileSync(file, `${enqueued.map((arch) => JSON.stringify(arch)).join("\n")}\n\n`);
    const options = method === "predictor" ? { predictorOptions: { members: 2, layers: 2, epochs: 20 }, initialSamples: 4, batchSize: 2 } : { populationSize: 4, tournamentSize: 2 };
    const search = (runDir: string, extra: string[]) =>
      prednas(["search", "--space-file", SPACE, "--evaluate", EVALUATE, "--method", method, "--options", JSON.stringify(options), "--seed", "3", "--budget", "10", "--run-dir", runDir, "--json", ...extra], { cwd: scratch });
    const runDir = join(scratch, `${method}-enqueued`);
    const result = search(runDir, ["--enqueue", file]);
    expect(result.status).toBe(0);
    const record = JSON.parse(result.stdout) as { evaluations: EvaluationRecord[] };
    expect(record.evaluations).toHaveLength(10);
    expect(record.evaluations.slice(0, 3).map((e) => e.arch)).toEqual(enqueued.map((arch) => expect.objectContaining(arch)));
    expect(new Set(record.evaluations.map((e) => e.key)).size).toBe(10);
    // The run's identity holds them: the same directory without --enqueue is another run.
    const without = search(runDir, []);
    expect(without.status).toBe(2);
    expect(without.stderr).toMatch(/holds another run \(\d+ differences?: enqueued: \[.*\] before, absent now\)/);
    writeFileSync(file, `${JSON.stringify(enqueued[0])}\n{"depth": 7, "width": 8, "activation": "relu", "dropout": 0, "lr": 0.01}\n`);
    const bad = search(join(scratch, `${method}-bad`), ["--enqueue", file]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(`--enqueue ${file} line 2: `);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);
});
