/**
 * Faults of the environment around a run that evaluates with the user's command, on the built
 * program (dist/) with real processes and real file systems: a disk that fills up, a run
 * directory made read-only mid-run, a study whose evaluations all fail, and input files that are
 * malformed in ways a parser meets badly (duplicate keys, deep nesting, a huge line). Each is a
 * clear error (status 2, or 1 for failed evaluations) naming what and where, never an internal
 * error; nothing finished is lost.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EVALUATE, prednas as runPrednas, readJournal, SPACE, startPrednas, waitUntil } from "../test-support/cli.js";
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
