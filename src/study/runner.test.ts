import { spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, builtinBenchmark } from "../test-support/data.js";
import { Journal, readJournal } from "./journal.js";
import { expandJobs, jobKey, parsePreset, readPresetFile } from "./preset.js";
import { RUNS_FILE, runStudy } from "./runner.js";
import type { RunRecord } from "../search/record.js";

const SMALL = {
  name: "test",
  budget: 40,
  runs: 3,
  configurations: [
    { method: "random" },
    { method: "local" },
    { method: "predictor", options: { predictor: "ridge", pool: "mutation", poolSize: 200 } },
    { method: "predictor", options: { predictor: "ridge", pool: "random", poolSize: 100 }, runs: 2 },
    { method: "predictor", options: { predictor: "ridge", pool: "full" }, runs: 1 },
  ],
};

function record(seed: number): RunRecord {
  return { version: 1, method: "random", space: "nasbench101", objective: "test-mean", seed, budget: 1, options: {}, queries: [], timing: { totalMs: 0, fitMs: 0, poolMs: 0, predictorCalls: 0 } };
}

describe("journal", () => {
  it("drops a torn last line and cuts it off before appending", () => {
    const path = join(mkdtempSync(join(tmpdir(), "prednas-journal-")), RUNS_FILE);
    writeFileSync(path, `${JSON.stringify(record(0))}\n${JSON.stringify(record(1)).slice(0, 30)}`);
    const contents = readJournal(path);
    expect(contents.records.map((r) => r.seed)).toEqual([0]);
    expect(contents.dropped).toHaveLength(1);
    const journal = new Journal(path, contents);
    journal.append(record(2));
    journal.close();
    expect(readJournal(path).records.map((r) => r.seed)).toEqual([0, 2]);
    expect(readJournal(path).dropped).toEqual([]);
  });

  it("skips a line that is not a run record", () => {
    const path = join(mkdtempSync(join(tmpdir(), "prednas-journal-")), RUNS_FILE);
    writeFileSync(path, `${JSON.stringify(record(0))}\n{"hello": 1}\nnot json\n${JSON.stringify(record(3))}\n`);
    const contents = readJournal(path);
    expect(contents.records.map((r) => r.seed)).toEqual([0, 3]);
    expect(contents.dropped.map((d) => d.line)).toEqual([2, 3]);
  });
});

describe("presets", () => {
  it("expands configurations x seeds seed-major, with every option resolved", () => {
    const preset = parsePreset(SMALL, "test");
    const jobs = expandJobs(preset);
    expect(jobs).toHaveLength(3 * 3 + 2 + 1);
    expect(jobs.slice(0, 4).map((j) => j.seed)).toEqual([0, 0, 0, 0]);
    expect(jobs[2]!.options).toMatchObject({ predictor: "ridge", pool: "mutation", poolSize: 200, batchSize: 10, initialSamples: 10 });
    expect(new Set(jobs.map(jobKey)).size).toBe(jobs.length);
  });

  it("rejects a bad preset with a message that says where", () => {
    expect(() => parsePreset({ ...SMALL, configurations: [{ method: "nope" }] }, "my.json")).toThrow(/my\.json: preset: option configurations\[0\]\.method must be one of predictor, random, evolution, local, bananas, tpe, got "nope"/);
    expect(() => parsePreset({ ...SMALL, budget: 0 }, "my.json")).toThrow(/option budget must be an integer >= 1, got 0/);
    expect(() => parsePreset({ ...SMALL, configurations: [{ method: "predictor", options: { predictor: "ridge", pool: "nope" } }] }, "p")).toThrow(/option pool must be one of full, random/);
    expect(() => parsePreset({ ...SMALL, extra: 1 }, "p")).toThrow(/preset has no option extra \(options: name, description, space/);
    expect(() => parsePreset({ ...SMALL, configurations: [{ method: "random", opts: {} }] }, "p")).toThrow(/configurations\[0\] has no option opts/);
    expect(() => parsePreset({ ...SMALL, space: "nope" }, "p")).toThrow(/option space must be one of/);
    expect(() => parsePreset({ ...SMALL, dataset: "cifar10" }, "p")).toThrow(/has no datasets to choose from, not 'cifar10'/);
  });

  it("names the file and line of a bad value in a preset file", () => {
    const dir = mkdtempSync(join(tmpdir(), "prednas-preset-"));
    const path = join(dir, "my.json");
    writeFileSync(path, '{\n  "budget": 20,\n  "runs": 2,\n  "configurations": [\n    { "method": "random" },\n    { "method": "predictor",\n      "options": { "poolOptions": { "parents": 0 } } }\n  ]\n}\n');
    expect(() => readPresetFile(path)).toThrow(new RegExp(`${path} line 7: pool mutation: option poolOptions\\.parents must be an integer >= 1, got 0`));
  });
});

describe("study runner", () => {
  it("runs every job once on worker threads, and resumes without repeating", async () => {
    await builtinBenchmark();
    const dir = mkdtempSync(join(tmpdir(), "prednas-study-"));
    const preset = parsePreset(SMALL, "test");
    const first = await runStudy({ ...preset, runs: 2, configurations: preset.configurations.slice(0, 2) }, dir, { workers: 2 });
    expect(first).toEqual({ total: 4, resumed: 0, ran: 4 });
    const second = await runStudy(preset, dir, { workers: 2 });
    expect(second).toEqual({ total: 12, resumed: 4, ran: 8 });
    const records = readJournal(join(dir, RUNS_FILE)).records;
    expect(records).toHaveLength(12);
    expect(new Set(records.map(jobKey)).size).toBe(12);
    expect(await runStudy(preset, dir, { workers: 2 })).toEqual({ total: 12, resumed: 12, ran: 0 });
  }, 180_000);

  it("survives SIGKILL mid-study: nothing is lost or repeated, and the result equals an uninterrupted study", async () => {
    await builtinBenchmark();
    const main = join(REPO_ROOT, "dist", "cli", "main.js");
    expect(existsSync(main)).toBe(true);
    const root = mkdtempSync(join(tmpdir(), "prednas-kill-"));
    const presetFile = join(root, "preset.json");
    writeFileSync(presetFile, JSON.stringify({ ...SMALL, runs: 4 }));
    const killed = join(root, "killed");
    const clean = join(root, "clean");
    const run = (dir: string) => spawn(process.execPath, [main, "study", "--preset", presetFile, "--out", dir, "--no-report"], { stdio: "ignore" });

    const child = run(killed);
    const runsPath = join(killed, RUNS_FILE);
    await new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const poll = setInterval(() => {
        const lines = existsSync(runsPath) ? readFileSync(runsPath, "utf8").split("\n").length - 1 : 0;
        if (lines >= 3) {
          clearInterval(poll);
          child.kill("SIGKILL");
          resolve();
        } else if (Date.now() - started > 120_000) {
          clearInterval(poll);
          child.kill("SIGKILL");
          reject(new Error("the study wrote no runs"));
        }
      }, 20);
    });
    await new Promise((resolve) => child.once("exit", resolve));
    appendFileSync(runsPath, '{"version":1,"method":"rand'); // as if killed while writing a line
    const partial = readJournal(runsPath);
    expect(partial.records.length).toBeGreaterThanOrEqual(3);
    expect(partial.records.length).toBeLessThan(15);

    await new Promise((resolve) => run(killed).once("exit", resolve));
    await new Promise((resolve) => run(clean).once("exit", resolve));
    const resumed = readJournal(runsPath);
    const uninterrupted = readJournal(join(clean, RUNS_FILE));
    expect(resumed.dropped).toEqual([]);
    expect(resumed.records).toHaveLength(15);
    const byKey = (records: RunRecord[]) => new Map(records.map((r) => [jobKey(r), r.queries]));
    expect(byKey(resumed.records)).toEqual(byKey(uninterrupted.records));
  }, 300_000);
});
