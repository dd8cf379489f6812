/**
 * Faults of the search controller, on the built program with real evaluation processes: a space
 * that runs out before the budget, signals during the predictor's fit, a journal that does not
 * belong to its run.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readJournal, startPrednas } from "../test-support/cli.js";

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
