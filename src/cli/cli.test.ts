/** The command-line program, run as a user runs it (the built dist/, as `npm test` builds it first). */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../test-support/data.js";

const MAIN = join(REPO_ROOT, "dist", "cli", "main.js");

function prednas(args: string[], input?: string) {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run 'npm run build' first (npm test does)`);
  const result = spawnSync(process.execPath, [MAIN, ...args], { input, encoding: "utf8", env: process.env });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const ROW0_MATRIX = "0100110001000000010010000010000001000000010000000";
const ROW0_OPS = "input,conv3x3-bn-relu,maxpool3x3,conv3x3-bn-relu,conv3x3-bn-relu,conv1x1-bn-relu,output";

describe("prednas CLI", () => {
  it("lists every command in --help", () => {
    const { status, stdout } = prednas(["--help"]);
    expect(status).toBe(0);
    for (const command of ["hash", "enumerate", "neighbours", "sample", "bench"]) expect(stdout).toContain(command);
  });

  it("prints its version, the package's", () => {
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
    for (const flag of ["--version", "-V"]) expect(prednas([flag])).toMatchObject({ status: 0, stdout: `${version}\n` });
  });

  it("hashes a cell given as JSON or as the data table's string", () => {
    expect(prednas(["hash", "--matrix", "[[0,1],[0,0]]", "--ops", "input,output"]).stdout).toBe("043721b9c7fe8c5fad811d47d83132ec\n");
    expect(prednas(["hash", "--matrix", ROW0_MATRIX, "--ops", ROW0_OPS]).stdout).toBe("00005c142e6f48ac74fdcf73e3439874\n");
  });

  it("hashes JSON lines, reporting bad lines in place and failing at the end", () => {
    const input = [
      '{"matrix":[[0,1],[0,0]],"ops":["input","output"]}',
      "{not json",
      "",
      '{"matrix":[[0,1,0],[0,0,0],[0,0,0]],"ops":["input","conv3x3-bn-relu","output"]}',
      `{"matrix":"${ROW0_MATRIX}","ops":"${ROW0_OPS}"}`,
    ].join("\n");
    const { status, stdout, stderr } = prednas(["hash"], input);
    expect(stdout.split("\n")).toEqual([
      "043721b9c7fe8c5fad811d47d83132ec",
      expect.stringMatching(/^error: line 2: not valid JSON/),
      expect.stringMatching(/^error: line 4: .*disconnected/),
      "00005c142e6f48ac74fdcf73e3439874",
      "",
    ]);
    expect(status).toBe(1);
    expect(stderr).toMatch(/2 input lines were invalid/);
  });

  it("gives a clear error and status 2 for bad input, never a stack trace", () => {
    const bad = prednas(["hash", "--matrix", "[[0,1],[1,0]]", "--ops", "input,output"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^prednas: .*upper-triangular.*\[1\]\[0\]/);
    expect(bad.stderr).not.toMatch(/ at /);
    const usage = prednas(["sample", "--n", "zero", "--seed", "1"]);
    expect(usage.status).not.toBe(0);
    expect(usage.stderr).toMatch(/--n/);
  });

  it("samples reproducibly, as the official generator for the same seed", () => {
    const first = prednas(["sample", "--n", "3", "--seed", "0"]);
    expect(first.stdout).toBe(prednas(["sample", "--n", "3", "--seed", "0"]).stdout);
    const reference = JSON.parse(readFileSync(join(REPO_ROOT, "src/spaces/nasbench101/fixtures/reference_draws.json"), "utf8"));
    const cells = first.stdout.trim().split("\n").map((line) => JSON.parse(line));
    expect(cells.map((cell) => cell.hash)).toEqual(reference.samples[0].specs.slice(0, 3).map((s: { hash: string }) => s.hash));
  });

  it("prints neighbours as JSON lines", () => {
    const { stdout } = prednas(["neighbours", "--matrix", "[[0,1,1],[0,0,1],[0,0,0]]", "--ops", "input,conv3x3-bn-relu,output"]);
    expect(stdout.trim().split("\n")).toHaveLength(4);
  });

  it("queries the benchmark and reports its data", () => {
    const info = JSON.parse(prednas(["bench", "info", "--json"]).stdout);
    expect(info.architectures).toBe(423_624);
    expect(info.best.value).toBe(0.943175752957662);
    expect(info.missing).toContain("validation-mean");
    const query = JSON.parse(prednas(["bench", "query", "--matrix", ROW0_MATRIX, "--ops", ROW0_OPS, "--json"]).stdout);
    expect(query.testAccuracyMean).toBe(0.9206063151359558);
    const top = prednas(["bench", "top", "--n", "2", "--json"]).stdout.trim().split("\n").map((line) => JSON.parse(line));
    expect(top.map((row) => row.rank)).toEqual([1, 2]);
    // Without --json too, each row names the cell itself, not only its hash.
    const [header, first] = prednas(["bench", "top", "--n", "1"]).stdout.split("\n");
    expect(header).toMatch(/rank +test-mean +architecture/);
    expect(JSON.parse(first!.replace(/^ +1 +0\.943176 +/, ""))).toMatchObject({ hash: top[0].hash, matrix: top[0].spec.matrix, ops: top[0].spec.ops });
    const missing = prednas(["bench", "info", "--data", join(mkdtempSync(join(tmpdir(), "prednas-")), "none")]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/--data names .*, which (does not exist|holds no NAS-Bench-101 table)/);
  });

  it("runs a search and reports the best cell, its accuracy, rank and when it was found", () => {
    const summary = prednas(["search", "--method", "predictor", "--predictor", "ridge", "--pool", "mutation", "--pool-size", "200", "--budget", "30", "--seed", "4"]);
    expect(summary.status).toBe(0);
    expect(summary.stdout).toMatch(/best\s+[0-9a-f]{32}/);
    expect(summary.stdout).toMatch(/truth\s+0\.\d+ \(mean test accuracy.*rank \d+ of 423624/);
    expect(summary.stdout).toMatch(/found at\s+query \d+/);
    const first = prednas(["search", "--method", "local", "--budget", "30", "--seed", "4", "--json"]);
    const again = prednas(["search", "--method", "local", "--budget", "30", "--seed", "4", "--json"]);
    const record = JSON.parse(first.stdout);
    expect(record.queries).toHaveLength(30);
    expect(JSON.parse(again.stdout).queries).toEqual(record.queries);
    // Each query names its cell, not only its hash.
    for (const query of record.queries) expect(query.arch).toMatchObject({ hash: query.key, matrix: expect.any(Array), ops: expect.arrayContaining(["input", "output"]) });
    const misuse = prednas(["search", "--method", "random", "--pool", "full"]);
    expect(misuse.status).toBe(2);
    expect(misuse.stderr).toMatch(/--pool apply to the predictor-based methods, not 'random'/);
  });
});
