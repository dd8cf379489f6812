/** `prednas report`, run as a user runs it (the built dist/, as `npm test` builds it first), on real random-search runs. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveMethodOptions, runSearch } from "../search/methods.js";
import { DEFAULT_SPACE, loadProblem } from "../spaces/registry.js";
import { REPO_ROOT } from "../test-support/data.js";

const MAIN = join(REPO_ROOT, "dist", "cli", "main.js");

function prednas(args: string[]) {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run 'npm run build' first (npm test does)`);
  const result = spawnSync(process.execPath, [MAIN, ...args], { encoding: "utf8", env: process.env });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("prednas report", () => {
  it("writes the report of a study directory, skipping a torn last line with a warning", async () => {
    const problem = await loadProblem({ space: DEFAULT_SPACE });
    const lines: string[] = [];
    for (let seed = 0; seed < 6; seed++) lines.push(JSON.stringify(await runSearch(problem, { method: "random", seed, budget: 150, options: resolveMethodOptions("random") })));
    const dir = mkdtempSync(join(tmpdir(), "prednas-report-cli-"));
    writeFileSync(join(dir, "runs.jsonl"), `${lines.join("\n")}\n${lines[0]!.slice(0, 100)}`);
    const { status, stdout, stderr } = prednas(["report", dir, "--resamples", "200"]);
    expect(stderr).toMatch(/^warning: runs\.jsonl line 7 skipped: torn last line/);
    expect(status).toBe(0);
    expect(stdout).toContain(join(dir, "report.html"));
    const markdown = readFileSync(join(dir, "report.md"), "utf8");
    expect(markdown).toContain("|A| = 423,624 architectures");
    expect(markdown).toContain("| top 0.1% | 424 | 427 |");
    expect(markdown).toMatch(/\| random search \| 6 \| 150 \| [\d.]+% ± [\d.]+% \| [\d.]+% \| 0\/6 \| 6\.260% \(this table\) \|/);
    expect(existsSync(join(dir, "regret.svg"))).toBe(true);
  });

  it("fails with a clear message on a directory without runs", () => {
    const { status, stderr } = prednas(["report", mkdtempSync(join(tmpdir(), "prednas-report-cli-"))]);
    expect(status).toBe(2);
    expect(stderr).toMatch(/holds no runs\.jsonl/);
  });
});
