/**
 * Bad input and faults, tried as a user meets them, on the built program: every user error is one
 * (status 2, a message naming what and where, no stack trace), from any thread; nothing finished
 * is lost or run twice.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../test-support/data.js";

const MAIN = join(REPO_ROOT, "dist", "cli", "main.js");
const scratch = mkdtempSync(join(tmpdir(), "prednas-faults-"));
let counter = 0;
const fresh = (name: string): string => join(scratch, `${name}-${counter++}`);

function prednas(args: string[], options: { cwd?: string; input?: string } = {}) {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run 'npm run build' first (npm test does)`);
  const result = spawnSync(process.execPath, [MAIN, ...args], { encoding: "utf8", env: process.env, cwd: options.cwd ?? scratch, input: options.input });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function expectUserError(result: { status: number | null; stderr: string }, message: RegExp): void {
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/internal error| at .*\.js:\d+/);
  expect(result.status).toBe(2);
}

function preset(content: unknown): string {
  const path = `${fresh("preset")}.json`;
  writeFileSync(path, JSON.stringify(content));
  return path;
}

const waitFor = async (condition: () => boolean, ms = 60_000): Promise<void> => {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > ms) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

describe("bad input is a user error from every command and thread", () => {
  it("a --data that names nothing, for bench info, search and study", () => {
    for (const args of [["bench", "info"], ["search", "--method", "random", "--budget", "5"], ["study", "--preset", "quick", "--out", fresh("study")]]) {
      expectUserError(prednas([...args, "--data", "/no/such/table"]), /--data names \/no\/such\/table, which does not exist/);
    }
    expectUserError(prednas(["bench", "info", "--data", scratch]), /holds no NAS-Bench-101 table/);
  });

  it("bad presets and study directories, before any run", () => {
    const out = fresh("study");
    expectUserError(prednas(["study", "--preset", preset({ budget: 20, runs: 1, configurations: [{ method: "predictor", options: { poolSize: 0 } }] }), "--out", out]), /configuration 1|line \d+: method predictor: option poolSize must be an integer >= 1, got 0/);
    expectUserError(prednas(["study", "--preset", preset({ budget: 20, runs: 1, configurations: [{ method: "random", opts: {} }] }), "--out", out]), /preset: configurations\[0\] has no option opts \(options: method, options, budget, runs\)/);
    expectUserError(prednas(["study", "--preset", preset({ budget: 20, runs: 1, objective: "validation-mean", configurations: [{ method: "random" }] }), "--out", out]), /no mean validation accuracy/);
    expect(existsSync(out)).toBe(false);
    mkdirSync(out);
    writeFileSync(join(out, "study.json"), "{broken");
    expectUserError(prednas(["study", "--preset", preset({ budget: 5, runs: 1, configurations: [{ method: "random" }] }), "--out", out]), /study\.json is damaged/);
  });

  it("an error thrown in a worker thread keeps its class and status", () => {
    // Valid when parsed, failing inside the search: the ridge predictor has no deviation for UCB.
    const result = prednas(["study", "--preset", preset({ budget: 30, runs: 1, configurations: [{ method: "predictor", options: { predictor: "ridge", acquisition: "ucb" } }] }), "--out", fresh("study")]);
    expectUserError(result, /the 'ucb' acquisition needs a predictor with a standard deviation/);
  });

  it("usage errors and conflicting options", () => {
    expectUserError(prednas(["search", "--bogus"]), /unknown option '--bogus'/);
    expectUserError(prednas(["search", "--pool-size", "100", "--options", '{"poolSize":1000}']), /--pool-size 100 and --options poolSize 1000 disagree/);
  });

  it("tables that cannot be true are refused with file and line; a partial one is used with a warning", () => {
    const header = "index,hash,num_vertices,adjacency,ops,trainable_parameters,test_accuracy_mean_108,test_accuracy_repeat0_108";
    const row = "0,00005c142e6f48ac74fdcf73e3439874,7,0100110001000000010010000010000001000000010000000,input|conv3x3-bn-relu|maxpool3x3|conv3x3-bn-relu|conv3x3-bn-relu|conv1x1-bn-relu|output,8555530";
    const bad = `${fresh("table")}.csv.gz`;
    writeFileSync(bad, gzipSync(`${header}\n${row},5.0,0.92\n`));
    expectUserError(prednas(["bench", "info", "--data", bad]), /line 2: test_accuracy_mean_108 5\.0 is outside \[0, 1\]/);
    const partial = `${fresh("table")}.csv.gz`;
    writeFileSync(partial, gzipSync(`${header}\n${row},0.92,0.92\n`));
    const info = prednas(["bench", "info", "--data", partial]);
    expect(info.status).toBe(0);
    expect(info.stderr).toMatch(/warning: the table .* holds 1 cells, not the whole space of 423,624/);
  });

  it("a report refuses a journal whose truth is not the architecture's", () => {
    const out = fresh("study");
    expect(prednas(["study", "--preset", preset({ budget: 12, runs: 2, configurations: [{ method: "random" }] }), "--out", out]).status).toBe(0);
    const runs = readFileSync(join(out, "runs.jsonl"), "utf8").trim().split("\n");
    const edited = JSON.parse(runs[1]!) as { queries: { truth: number }[] };
    edited.queries[3]!.truth = 0.99;
    writeFileSync(join(out, "runs.jsonl"), `${runs[0]}\n${JSON.stringify(edited)}\n`);
    expectUserError(prednas(["report", out]), /runs\.jsonl line 2 \(random, seed \d\), query 4: the recorded truth 0\.99 is not the true accuracy/);
  });
});

describe("destinations and output", () => {
  it("checks --out before the work", () => {
    const file = fresh("file");
    writeFileSync(file, "x");
    expectUserError(prednas(["search", "--method", "random", "--budget", "5", "--out", join(file, "run.json")]), /lies under .*, which is a file|is a file, not a directory/);
    expectUserError(prednas(["search", "--method", "random", "--budget", "5", "--out", scratch]), /is a directory; give a file name/);
    expectUserError(prednas(["enumerate", "--out", join(file, "cells.jsonl")]), /is a file, not a directory|which is a file/);
    expectUserError(prednas(["study", "--preset", "quick", "--out", join(file, "study")]), /which is a file/);
  });

  it("ends quietly when the reader closes standard output", () => {
    const result = spawnSync("bash", ["-c", `'${process.execPath}' '${MAIN}' sample --n 200000 --seed 0 | head -1`], { encoding: "utf8" });
    expect(result.stdout.split("\n")).toHaveLength(2);
    expect(result.stderr).toBe("");
  });

  it("scores random pools up to the whole space, and says when a pool falls short", () => {
    const large = prednas(["search", "--predictor", "ridge", "--pool", "random", "--pool-size", "150000", "--budget", "20", "--json"]);
    expect(large.status).toBe(0);
    expect(JSON.parse(large.stdout).timing.predictorCalls).toBe(150_000);
    const short = prednas(["search", "--predictor", "ridge", "--pool", "mutation", "--pool-size", "400000", "--budget", "20", "--options", '{"poolOptions":{"maxEdits":1}}', "--json"]);
    expect(short.status).toBe(0);
    expect(short.stderr).toMatch(/warning: the mutation pool held fewer than the 400000 candidates asked for in 1 iteration/);
    expect(JSON.parse(short.stdout).poolShortfall.iterations).toBe(1);
  });
});

describe("one study per directory", () => {
  it("refuses a second process naming the first, and resumes after a kill without repeating a run", async () => {
    const out = fresh("study");
    const plan = preset({ budget: 40, runs: 6, configurations: [{ method: "predictor", options: { poolSize: 100 } }] });
    const first = spawn(process.execPath, [MAIN, "study", "--preset", plan, "--out", out, "--no-report"], { cwd: scratch, stdio: "ignore" });
    const runs = join(out, "runs.jsonl");
    await waitFor(() => existsSync(runs) && readFileSync(runs, "utf8").split("\n").length > 2);
    const second = prednas(["study", "--preset", plan, "--out", out]);
    expectUserError(second, new RegExp(`is in use by process ${first.pid} on `));
    first.kill("SIGKILL");
    await new Promise((resolve) => first.once("exit", resolve));
    const done = readFileSync(runs, "utf8").trim().split("\n").length;
    expect(done).toBeLessThan(6);
    const resumed = prednas(["study", "--preset", plan, "--out", out, "--no-report"]);
    expect(resumed.status).toBe(0);
    expect(resumed.stderr).toMatch(/which no longer runs: taking it over/);
    expect(resumed.stdout).toMatch(new RegExp(`6 runs \\(${done} already done, ${6 - done} run now\\)`));
    const seeds = readFileSync(runs, "utf8").trim().split("\n").map((line) => (JSON.parse(line) as { seed: number }).seed);
    expect(seeds.sort()).toEqual([0, 1, 2, 3, 4, 5]);
  }, 180_000);
});
