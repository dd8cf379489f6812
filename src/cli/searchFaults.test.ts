/**
 * Faults of the search controller, on the built program with real evaluation processes: a space
 * that runs out before the budget, signals during the predictor's fit, a journal that does not
 * belong to its run.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { prednas, readJournal, startPrednas, waitUntil } from "../test-support/cli.js";

const scratch = mkdtempSync(join(tmpdir(), "prednas-search-faults-"));
let counter = 0;
const fresh = (name: string): string => join(scratch, `${name}-${counter++}`);

/** A space file of 6 x 6 = 36 architectures. */
const tinySpace = join(scratch, "tiny.json");
writeFileSync(tinySpace, JSON.stringify({ type: "choices", name: "tiny", choices: { a: [1, 2, 3, 4, 5, 6], b: [1, 2, 3, 4, 5, 6] } }));
/** An evaluator that answers at once: the controller, not the evaluations, sets the pace. */
const TRIVIAL = `echo '{"value":0.5}'`;

/** Runs a search to its end, or kills it (SIGKILL) after `ms`: a hang fails the test instead of hanging it. */
async function searchWithin(args: string[], ms: number) {
  const run = startPrednas(["search", ...args], { cwd: scratch });
  const timer = setTimeout(() => run.child.kill("SIGKILL"), ms);
  const { status, signal } = await run.done;
  clearTimeout(timer);
  return { status, signal, stderr: run.stderr() };
}

describe("a search whose space runs out", () => {
  // The predictor made small: what is tested is the loop's end, not the fit.
  it.each([
    ["predictor", { predictorOptions: { members: 2, layers: 2, epochs: 5 } }],
    ["evolution", {}],
  ])("%s ends with the record and every evaluation journaled (36 architectures, budget 37)", async (method, options) => {
    const runDir = fresh(`exhausted-${method}`);
    const result = await searchWithin(["--space-file", tinySpace, "--evaluate", TRIVIAL, "--budget", "37", "--parallel", "2", "--method", method, "--options", JSON.stringify(options), "--run-dir", runDir], 60_000);
    expect(result.signal).toBeNull();
    expect(result.stderr).toContain("the space is exhausted after 36 distinct architectures: every architecture of the space was evaluated");
    expect(result.status).toBe(0);
    expect(readJournal(runDir)).toHaveLength(36);
    const record = JSON.parse(readFileSync(join(runDir, "record.json"), "utf8")) as { exhausted: unknown; evaluations: unknown[] };
    expect(record.exhausted).toEqual({ architectures: 36, spaceSize: 36 });
    expect(record.evaluations).toHaveLength(36);
  }, 90_000);
});

describe("signals during the predictor's fit", () => {
  it("are acted on at once, the fit abandoned, every finished evaluation journaled with its own duration", async () => {
    const runDir = fresh("fit-signal");
    // A fit of thousands of epochs takes seconds to minutes; the evaluations take milliseconds.
    const options = { predictorOptions: { epochs: 5000 }, initialSamples: 4, batchSize: 2 };
    const run = startPrednas(["search", "--space-file", tinySpace, "--evaluate", TRIVIAL, "--budget", "20", "--parallel", "2", "--options", JSON.stringify(options), "--run-dir", runDir], { cwd: scratch });
    try {
      await waitUntil(() => readJournal(runDir).length >= 4, 60_000, "the initial samples");
      // The first fit starts as the fourth evaluation is read.
      const sent = Date.now();
      run.child.kill("SIGINT");
      await waitUntil(() => run.stderr().includes("SIGINT: launching nothing more"), 60_000, "the SIGINT message");
      const acted = Date.now() - sent;
      const { status } = await run.done;
      const exited = Date.now() - sent;
      expect(status).toBe(130);
      // Within a second when the machine is free; generous for a loaded one, far below a fit.
      expect(acted).toBeLessThan(2_000);
      expect(exited).toBeLessThan(15_000);
    } finally {
      run.child.kill("SIGKILL");
    }
    const journal = readJournal(runDir);
    const record = JSON.parse(readFileSync(join(runDir, "record.json"), "utf8")) as { evaluations: { n: number }[]; interrupted: boolean };
    expect(record.interrupted).toBe(true);
    expect(record.evaluations.map((e) => e.n)).toEqual(journal.map((e) => e.n));
    for (const entry of journal) expect(Date.parse(entry.endedAt) - Date.parse(entry.startedAt)).toBeLessThan(5_000);
  }, 120_000);
});

describe("a journal that does not belong to its run", () => {
  const search = (runDir: string) => prednas(["search", "--space-file", tinySpace, "--evaluate", TRIVIAL, "--method", "random", "--budget", "6", "--run-dir", runDir], { cwd: scratch });
  const journalOf = (runDir: string) => join(runDir, "journal.jsonl");
  const lines = (runDir: string) => readFileSync(journalOf(runDir), "utf8").trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
  const write = (runDir: string, entries: Record<string, unknown>[]) => writeFileSync(journalOf(runDir), entries.map((e) => `${JSON.stringify(e)}\n`).join(""));
  const expectRefused = (result: { status: number | null; stderr: string }, message: RegExp) => {
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/internal error| at .*\.js:\d+/);
    expect(result.status).toBe(2);
  };
  const original = fresh("journal-original");
  const copyOf = (name: string) => {
    const dir = fresh(name);
    cpSync(original, dir, { recursive: true });
    return dir;
  };

  it("a finished run resumes from its own journal", () => {
    expect(search(original).status).toBe(0);
    expect(lines(original)).toHaveLength(6);
    const again = search(copyOf("journal-whole-copy"));
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/6 reused from the journal/);
  });

  it("refuses a changed value or key, naming the file and line", () => {
    for (const [name, change] of [
      ["forged-value", (e: Record<string, unknown>) => ({ ...e, result: { value: 99, metrics: {} } })],
      ["garbage-key", (e: Record<string, unknown>) => ({ ...e, key: "garbage" })],
    ] as const) {
      const dir = copyOf(name);
      const entries = lines(dir);
      entries[2] = change(entries[2]!);
      write(dir, entries);
      expectRefused(search(dir), new RegExp(`${journalOf(dir)} line 3 was changed after prednas wrote it`));
    }
    const dir = copyOf("not-an-entry");
    writeFileSync(journalOf(dir), `${readFileSync(journalOf(dir), "utf8")}{"v":2}\n`);
    expectRefused(search(dir), /journal\.jsonl line 7: not an evaluation journal entry/);
  });

  it("refuses a journal copied from another run directory, and a journal without its run.json", () => {
    const other = fresh("journal-other");
    expect(search(other).status).toBe(0);
    cpSync(journalOf(original), journalOf(other));
    expectRefused(search(other), /journal\.jsonl line 1 belongs to another run/);
    const orphan = copyOf("journal-orphan");
    rmSync(join(orphan, "run.json"));
    expectRefused(search(orphan), /holds a journal \(journal\.jsonl\) but no run\.json/);
    expect(readFileSync(journalOf(orphan), "utf8")).toBe(readFileSync(journalOf(original), "utf8"));
  });

  it("reads a journal of version 1 in a run directory of its time, and ties it to the run", () => {
    const old = copyOf("journal-version-1");
    const runFile = join(old, "run.json");
    const { id: _id, ...runJson } = JSON.parse(readFileSync(runFile, "utf8")) as Record<string, unknown>;
    writeFileSync(runFile, JSON.stringify(runJson));
    write(old, lines(old).map(({ run: _run, sum: _sum, ...entry }) => ({ ...entry, v: 1 })));
    const resumed = search(old);
    expect(resumed.stderr).toMatch(/6 line\(s\) written by an earlier prednas \(journal version 1\) are now tied to this run/);
    expect(resumed.status).toBe(0);
    expect(resumed.stdout).toMatch(/6 reused from the journal/);
    expect(lines(old).every((entry) => entry.v === 2)).toBe(true);
    expect(search(old).stderr).not.toMatch(/version 1/);
    // A version-1 line in a journal of this version is not one of its run's.
    const mixed = copyOf("journal-mixed");
    const entries = lines(mixed);
    const { run: _run, sum: _sum, ...untied } = entries[5]!;
    entries[5] = { ...untied, v: 1 };
    write(mixed, entries);
    expectRefused(search(mixed), /journal\.jsonl line 6 is of journal version 1/);
  });
});
