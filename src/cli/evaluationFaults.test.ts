/**
 * Faults of the environment around a run that evaluates with the user's command, on the built
 * program (dist/) with real processes and real file systems: a disk that fills up, a run
 * directory made read-only mid-run, a study whose evaluations all fail, and input files that are
 * malformed in ways a parser meets badly (duplicate keys, deep nesting, a huge line). Each is a
 * clear error (status 2, or 1 for failed evaluations) naming what and where, never an internal
 * error; nothing finished is lost.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EVALUATE, MAIN, prednas as runPrednas, readJournal, SPACE, startPrednas, waitUntil } from "../test-support/cli.js";
import { fill, makeReadOnly, smallTmpfs } from "../test-support/mounts.js";

const scratch = mkdtempSync(join(tmpdir(), "prednas-evaluation-faults-"));
let counter = 0;
const fresh = (name: string): string => join(scratch, `${name}-${counter++}`);
const prednas = (args: string[], env: Record<string, string> = {}) => runPrednas(args, { env, cwd: scratch });

function expectClearError(result: { status: number | null; stderr: string }, status: number, message: RegExp): void {
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/internal error| at .*\.js:\d+/);
  expect(result.status).toBe(status);
}

/** Every line of standard output that is a journal entry (a finished attempt printed because it could not be journaled). */
const printedEntries = (stdout: string) => stdout.split("\n").filter((line) => line.startsWith('{"v":'));

describe("a run directory whose file system refuses", () => {
  it("on a full disk: a clear error naming the directory, no hang, nothing finished lost; resuming on it: the same kind of error", async (context) => {
    const disk = smallTmpfs("2m");
    if (typeof disk === "string") return context.skip(disk);
    try {
      const runDir = join(disk.dir, "run");
      // 300 kB of log per evaluation: the 2 MB disk fills after a few.
      const noisy = `cat > /dev/null; head -c 300000 /dev/zero | tr '\\0' x; echo; echo '{"value": 1}'`;
      const args = ["search", "--space-file", SPACE, "--method", "random", "--budget", "40", "--evaluate", noisy, "--run-dir", runDir];
      const full = prednas(args);
      expectClearError(full, 2, new RegExp(`cannot (write|append to|create) [^\\n]*${runDir}[^\\n]*: no space is left on its device: free some space, or use a directory on another device \\(ENOSPC\\)`));
      const journaled = readJournal(runDir).length;
      expect(journaled + printedEntries(full.stdout).length).toBeGreaterThan(0);
      fill(disk.dir);
      const resumed = prednas(args);
      expectClearError(resumed, 2, new RegExp(`${runDir}[^\\n]*: no space is left on its device[^\\n]*\\(ENOSPC\\)`));
      expect(readJournal(runDir).length).toBe(journaled);
    } finally {
      disk.unmount();
    }
  }, 120_000);

  it("made read-only mid-run: the error that stopped the run (EROFS, naming the file), not the lock's; resumed once writable, every journaled attempt is reused", async (context) => {
    const runDir = fresh("run");
    const args = ["search", "--space-file", SPACE, "--method", "random", "--budget", "8", "--evaluate", EVALUATE, "--run-dir", runDir];
    const controller = startPrednas(args, { env: { EVAL_MS: "150" }, cwd: scratch });
    await waitUntil(() => readJournal(runDir).length >= 2, 60_000, "two journaled attempts");
    const undo = makeReadOnly(runDir);
    if (typeof undo === "string") {
      controller.child.kill("SIGKILL");
      return context.skip(undo);
    }
    let journaled: number;
    try {
      const { status } = await controller.done;
      expectClearError({ status, stderr: controller.stderr() }, 2, new RegExp(`cannot [^\\n]*${runDir}[^\\n]*: its file system is read-only: make it writable, or use a directory on another device \\(EROFS\\)`));
      journaled = readJournal(runDir).length + printedEntries(controller.stdout()).length;
    } finally {
      undo();
    }
    const resumed = prednas(args);
    expect(resumed.status).toBe(0);
    expect(JSON.parse(readFileSync(join(runDir, "record.json"), "utf8")).attempts.reused).toBe(journaled);
  }, 120_000);
});

describe("a study whose evaluations fail", () => {
  it("says how many failed and exits 1, as a search does", () => {
    const out = fresh("study");
    const preset = `${fresh("preset")}.json`;
    writeFileSync(preset, JSON.stringify({ spaceFile: SPACE, evaluate: "exit 3", budget: 3, runs: 2, retries: 0, configurations: [{ method: "random" }] }));
    const result = prednas(["study", "--preset", preset, "--out", out]);
    expectClearError(result, 1, /all 6 evaluations of the study's 2 runs failed \(their errors are in .*runs\/\*\/record\.json and logs\/\)/);
    expect(result.stdout).toMatch(/study .*: 2 runs/);
  }, 60_000);
});

describe("input files and lines a parser meets badly", () => {
  const write = (name: string, text: string): string => {
    const path = `${fresh(name)}.json`;
    writeFileSync(path, text);
    return path;
  };
  const searchSpace = (space: string) => prednas(["search", "--space-file", space, "--evaluate", "true", "--run-dir", fresh("run"), "--budget", "5"]);
  const study = (preset: string) => prednas(["study", "--preset", preset, "--out", fresh("study")]);

  it("a key given twice in a space file or a preset: refused with the key and both lines", () => {
    const space = write("space", '{"type": "choices",\n "choices": {"depth": [1, 2],\n   "depth": [3, 4]}}');
    expectClearError(searchSpace(space), 2, /space-\d+\.json: the key "depth" is given twice in one object, at line 2, column 14 and line 3, column 4: JSON keeps only the last, silently; give it once/);
    const preset = write("preset", `{"spaceFile": ${JSON.stringify(SPACE)}, "evaluate": "true",\n "budget": 5,\n "configurations": [{"method": "random"}],\n "budget": 50}`);
    expectClearError(study(preset), 2, /preset-\d+\.json: the key "budget" is given twice in one object, at line 2, column 2 and line 4, column 2/);
    // A file too large to be one: not read (a gigabyte would not fit in a string).
    const large = write("space", "{}");
    truncateSync(large, 17 * 1024 * 1024);
    expectClearError(searchSpace(large), 2, /the space file .*space-\d+\.json holds 17,825,792 bytes, more than the 16 MiB a space file may/);
  });

  it("a space file or a preset nested 100,000 deep: refused with where, not a stack overflow", () => {
    const deep = `{"type": "choices", "choices": {"a": ${"[".repeat(100_000)}${"]".repeat(100_000)}}}`;
    expectClearError(searchSpace(write("space", deep)), 2, /space-\d+\.json: nested deeper than 64 levels of objects and arrays at line 1, column 100/);
    expectClearError(study(write("preset", `{"configurations": ${"[".repeat(100_000)}}`)), 2, /preset-\d+\.json: nested deeper than 64 levels/);
    // The same in a line of standard input, a flag's JSON and a matrix.
    const line = spawnSync(process.execPath, [MAIN, "hash"], { input: `{"matrix": ${"[".repeat(100_000)}${"]".repeat(100_000)}, "ops": []}\n`, encoding: "utf8", cwd: scratch });
    expect(line.stdout).toBe("error: line 1: nested deeper than 64 levels of objects and arrays (at character 75)\n");
    expectClearError({ status: line.status, stderr: line.stderr }, 1, /1 input line was invalid/);
    expectClearError(prednas(["search", "--space-file", SPACE, "--evaluate", "true", "--run-dir", fresh("run"), "--options", `{"a": ${"[".repeat(60_000)}}`]), 2, /--options: nested deeper than 64 levels/);
    expectClearError(prednas(["hash", "--matrix", `${"[".repeat(60_000)}${"]".repeat(60_000)}`, "--ops", "input,output"]), 2, /the matrix nests arrays deeper than 64 levels/);
  });

  it("a preset's budget above what its space can spend, or parallel 1e9: refused as search refuses them", () => {
    const preset = (fields: Record<string, unknown>) => write("preset", JSON.stringify({ spaceFile: SPACE, evaluate: "true", runs: 1, configurations: [{ method: "random" }], ...fields }));
    // The fixture space holds 1,800 architectures.
    const budget = /budget 1801 exceeds the 1,800 architectures of tiny-net: the run could not spend it; give a budget of at most 1,800/;
    expectClearError(study(preset({ budget: 1801, retries: 0 })), 2, budget);
    expectClearError(prednas(["search", "--space-file", SPACE, "--evaluate", "true", "--run-dir", fresh("run"), "--budget", "1801", "--retries", "0"]), 2, budget);
    expectClearError(study(preset({ budget: 3601 })), 2, /budget 3601 exceeds the 1,800 architectures of tiny-net x 2 attempts each \(1 \+ 1 retry\) = 3,600 attempts/);
    expectClearError(study(write("preset", JSON.stringify({ space: "nasbench201", budget: 15_626, runs: 1, configurations: [{ method: "random" }] }))), 2, /preset: budget 15626 exceeds the 15,625 architectures of nasbench201/);
    expectClearError(study(preset({ budget: 5, parallel: 1e9 })), 2, /parallel must be an integer from 1 to 1024, got 1000000000/);
    expectClearError(study(preset({ budget: 5, runs: 1e9 })), 2, /runs must be an integer >= 1 and <= 10000, got 1000000000/);
  });

  it("a line of standard input over 16 MiB: reported with its number, the others answered", () => {
    const huge = `{"matrix": "${"x".repeat(17 * 1024 * 1024)}"}`;
    const cell = '{"matrix":[[0,1,0],[0,0,1],[0,0,0]],"ops":["input","conv3x3-bn-relu","output"]}';
    const result = spawnSync(process.execPath, [MAIN, "bench", "query"], { input: `${cell}\n${huge}\n${cell}\n`, encoding: "utf8", cwd: scratch, maxBuffer: 1 << 26 });
    const lines = result.stdout.trim().split("\n").map((line) => JSON.parse(line) as { error?: string; line?: number; hash?: string });
    expect(lines).toHaveLength(3);
    expect(lines[1]).toEqual({ error: "longer than 16 MiB, the most an input line may hold", line: 2 });
    expect(lines[2]!.hash).toBe(lines[0]!.hash);
    expectClearError({ status: result.status, stderr: result.stderr }, 1, /1 input line was invalid/);
  });
});
