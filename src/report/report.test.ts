import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { bestQuery, type RunRecord } from "../search/record.js";
import { SYNTHETIC, syntheticRuns } from "../test-support/studyRuns.js";
import { canonicalJson } from "../util/json.js";
import { writeReport, type WrittenReport } from "./report.js";
import { RUNS_FILE, STUDY_FILE } from "../study/runner.js";

const RIDGE = { predictor: "ridge", predictorOptions: { encoding: "bits" } };
const SEEDS = [0, 1, 2, 3, 4];

/** A small study on the synthetic space: random search, the full pool, random and mutation pools at S = 10 (1% of 1,024). */
async function syntheticStudy(): Promise<RunRecord[]> {
  return [
    ...(await syntheticRuns("random", {}, SEEDS, 60)),
    ...(await syntheticRuns("local", {}, SEEDS.slice(0, 2), 60)),
    ...(await syntheticRuns("predictor", { ...RIDGE, pool: "full" }, SEEDS, 60)),
    ...(await syntheticRuns("predictor", { ...RIDGE, pool: "random", poolSize: 10 }, SEEDS, 60)),
    ...(await syntheticRuns("predictor", { ...RIDGE, pool: "mutation", poolSize: 10 }, SEEDS, 60)),
  ];
}

function writeStudy(records: readonly RunRecord[], tail = ""): string {
  const dir = mkdtempSync(join(tmpdir(), "prednas-report-"));
  writeFileSync(join(dir, RUNS_FILE), `${records.map((r) => JSON.stringify(r)).join("\n")}\n${tail}`);
  return dir;
}

describe("the study report", () => {
  let records: RunRecord[];
  let dir: string;
  let written: WrittenReport;
  let markdown: string;
  let html: string;

  beforeAll(async () => {
    records = await syntheticStudy();
    dir = writeStudy(records, JSON.stringify(records[0]).slice(0, 40));
    const plan = {
      name: "synthetic",
      description: "a test plan",
      space: "nasbench101",
      objective: "test-mean",
      budget: 60,
      runs: 5,
      configurations: [
        { method: "random" },
        { method: "local", runs: 5 },
        { method: "predictor", options: { ...RIDGE, pool: "evolution", poolSize: 10 } },
      ],
    };
    writeFileSync(join(dir, STUDY_FILE), canonicalJson({ preset: plan, updated: "2026-01-02T03:04:05.000Z" }));
    written = await writeReport(dir, { problem: SYNTHETIC, bootstrap: { resamples: 200 }, now: new Date("2026-02-03T00:00:00Z") });
    markdown = readFileSync(written.markdown, "utf8");
    html = readFileSync(written.html, "utf8");
  });

  it("skips the torn last line with a warning, and says so in the report", () => {
    expect(written.warnings).toEqual([expect.stringMatching(/^runs\.jsonl line 23 skipped: torn last line/)]);
    expect(markdown).toContain("runs.jsonl line 23 skipped");
  });

  it("says how the study was run, and what is missing from the plan", () => {
    expect(markdown).toContain("# prednas study report: synthetic");
    expect(markdown).toContain("|A| = 1,024 architectures");
    expect(markdown).toContain("seeds 0–4");
    expect(markdown).toContain("200 resamples, seed 0");
    expect(markdown).toContain("| local search | 2 | 5 | 0–1 | 60 | test-mean |");
    expect(markdown).toContain("No runs yet: predictor ridge / pool evolution S=10 (5 planned).");
    expect(markdown).toContain("Fewer than 5 runs, so not used in the verdicts: local search (2 runs).");
    expect(markdown).toContain("last started 2026-01-02T03:04:05.000Z; report written 2026-02-03T00:00:00.000Z");
  });

  it("has a SEG table per target, with hit rates, intervals and censoring flags", () => {
    for (const heading of ["### global optimum (|T| = 1", "### top 10 (|T| = 10", "### top 0.01% (|T| = 1", "### top 0.1% (|T| = 1"]) expect(markdown).toContain(heading);
    expect(markdown).toMatch(/\| random search \| 5 \| \d+% \(\d\/5\) \| ≥? ?[\d.]+ \| ≤? ?[\d.,]+ \[[\d.,]+, [\d.,]+\] \|/);
    expect(markdown).toMatch(/all censored: SEG ≤ E\[N_RS\] \/ B|upper bound \(\d\/5 censored\)/);
  });

  it("judges C1 to C3 for the predictor with the numbers in a table and one short line per estimate", () => {
    expect(markdown).toMatch(/Predictor ridge: \*\*(holds|does not hold|inconclusive)\*\* \(decided by SEG_60\)/);
    expect(markdown).toContain("| configuration | R | SEG_60 [95%] | top 0.01%: runs hit | SEG [95%] | fallback SEG [95%] | top 0.1%: runs hit | SEG [95%] | fallback SEG [95%] |");
    expect(markdown).toMatch(/\| pool full \| 5 \| [\d.,]+ \[[\d.,]+, [\d.,]+\] \| \d\/5 \|/);
    expect(markdown).toMatch(/\| pool mutation S=10 \| 5 \|/);
    const lines = markdown.split("\n").filter((line) => /^- \*\*(SEG_60|top 0\.01% SEG|top 0\.1% SEG)\*\* \*\*(holds|does not hold|inconclusive)\*\*: /.test(line));
    expect(lines).toHaveLength(9);
    // No verdict line strings the numbers of several configurations together: they are in the tables.
    for (const line of lines) expect(line).not.toMatch(/SEG between|\(upper bound\)|\d \[[\d.,]+, [\d.,]+\].*\d \[[\d.,]+, [\d.,]+\]/);
  });

  it("defines SEG where it is first used, before any verdict", () => {
    expect(markdown.indexOf("SEG")).toBe(markdown.indexOf("**SEG** (sample efficiency gain)") + 2);
    expect(markdown.indexOf("**SEG_60** (SEG at the budget)")).toBeLessThan(markdown.indexOf("### C1"));
    expect(markdown.indexOf("**Hit-based SEG**")).toBeLessThan(markdown.indexOf("### C1"));
  });

  it("shows the best architectures found first: truth, standing in the space, the run that returned it, and the architecture", () => {
    const returned = records.map((r) => bestQuery(r)!).sort((a, b) => b.truth - a.truth)[0]!;
    const rank = 1 + Array.from(SYNTHETIC.truths).filter((t) => t > returned.truth).length;
    expect(markdown.indexOf("## The best architectures found")).toBeLessThan(markdown.indexOf("## Summary"));
    expect(markdown).toMatch(new RegExp(`\\| 1 \\| ${(100 * returned.truth).toFixed(3)}% \\| ${rank === 1 ? "the global optimum" : `the ${rank}\\w\\w best of 1,024`}.* \\| \\d+ runs? of \\d configurations? \\| [^|]+, seed \\d \\| \\d+ \\|`));
    expect(markdown).toContain(`**#1** (${(100 * returned.truth).toFixed(3)}%)\n\n\`\`\`\nbits  ${SYNTHETIC.space.key(SYNTHETIC.space.enumeration.at(SYNTHETIC.space.enumeration.indexOfKey(returned.key)))}\n\`\`\``);
    expect(html).toContain(`<pre>bits  ${returned.key}</pre>`);
  });

  it("writes summary.json: SEG at each budget, the returned truths, the hit-based figures and the verdicts", () => {
    const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as {
      budget: number;
      configurations: { label: string; method: string; pool?: string; poolSize?: number; runs: number; segAtBudget: Record<string, { seg: number; low: number; high: number }>; meanBestTruth: Record<string, number>; hitRate: Record<string, number> }[];
      verdicts: { claim: string; predictor: string; verdict: string; why: string }[];
    };
    expect(summary.budget).toBe(60);
    const full = summary.configurations.find((c) => c.pool === "full")!;
    expect(full).not.toHaveProperty("poolSize");
    expect(Object.keys(full.segAtBudget)).toEqual(["50", "60"]);
    expect(full.segAtBudget["60"]!.low).toBeLessThanOrEqual(full.segAtBudget["60"]!.seg);
    expect(summary.configurations.find((c) => c.pool === "random")!.poolSize).toBe(10);
    expect(Object.keys(full.hitRate)).toContain("top-0.1pct");
    expect(summary.verdicts.map((v) => v.claim)).toEqual(["C1", "C2", "C3"]);
    for (const v of summary.verdicts) expect(["holds", "fails", "inconclusive"]).toContain(v.verdict);
    expect(markdown).toContain("## SEG at a budget");
  });

  it("reports the best architecture per configuration after the study's budget (below 150), and says so in the heading", () => {
    expect(markdown).toContain("## Best architecture per configuration after 60 queries");
    expect(markdown).not.toMatch(/^#.*150 queries/m);
    expect(markdown).toContain("The literature compares searches after 150 queries; configurations with a smaller budget are judged at their budget.");
    expect(markdown).toContain("random search without replacement, uniform over the 1,024 unique architectures and observing the truth, returns after 60 queries");
    expect(markdown).toMatch(/\| random search \| 5 \| 60 \(budget\) \| [\d.]+% ± [\d.]+% \| [\d.]+% \| \d\/5 \| {2}\|/);
  });

  it("writes the figures as standalone SVG and inlines them in a self-contained HTML page", () => {
    expect(written.figures.map((f) => f.slice(dir.length + 1))).toEqual([
      "seg-vs-pool-size-budget.svg",
      "seg-vs-pool-size-optimum.svg",
      "seg-vs-pool-size-top-10.svg",
      "seg-vs-pool-size-top-0.01pct.svg",
      "seg-vs-pool-size-top-0.1pct.svg",
      "regret.svg",
    ]);
    for (const figure of written.figures) {
      expect(existsSync(figure)).toBe(true);
      expect(readFileSync(figure, "utf8")).toMatch(/^<svg[^>]*viewBox/);
    }
    expect(html.match(/<svg /g)).toHaveLength(6);
    expect(markdown).toMatch(/!\[SEG against pool size S: top 0\.1% \(\|T\| = [\d,]+\)\]\(seg-vs-pool-size-top-0\.1pct\.svg\)/);
    expect(markdown).toContain("![SEG against pool size S: SEG_60 (SEG at the budget)](seg-vs-pool-size-budget.svg)");
    // Nothing is fetched: no scripts, stylesheets, images or fonts from elsewhere (XML namespaces are names, not fetches).
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
  });

  it("works without a plan and with too few runs for any verdict", async () => {
    const small = writeStudy(records.filter((r) => r.method === "random").slice(0, 2));
    const report = await writeReport(small, { problem: SYNTHETIC, bootstrap: { resamples: 100 } });
    const text = readFileSync(report.markdown, "utf8");
    expect(report.warnings).toEqual([]);
    expect(text).toContain("plan not recorded (no study.json)");
    expect(text).toContain("No predictor-based runs yet: nothing to plot.");
    expect(text).toContain("**SEG_B** (SEG at the budget): compares the architectures the runs return after their B queries");
    expect(text).toContain("- **top 0.01% SEG** **inconclusive**: no predictor-based runs.");
  });

  it("says in words, instead of drawing only bounds, that no predictor-based run hit a target, and removes an earlier report's figure of it", async () => {
    const runs = await syntheticRuns("predictor", { ...RIDGE, pool: "random", poolSize: 10 }, SEEDS, 12);
    const optimum = Math.max(...SYNTHETIC.truths);
    expect(runs.some((run) => run.queries.some((q) => q.truth >= optimum))).toBe(false); // the premise: every run censored
    const censored = writeStudy(runs);
    writeFileSync(join(censored, "seg-vs-pool-size-optimum.svg"), "<svg/>");
    const report = await writeReport(censored, { problem: SYNTHETIC, bootstrap: { resamples: 100 } });
    expect(readFileSync(report.markdown, "utf8")).toMatch(/No figure for the global optimum(, [^:]+)? targets?: no predictor-based run hit (it|them) within its budget/);
    expect(report.figures.map((f) => f.slice(censored.length + 1))).not.toContain("seg-vs-pool-size-optimum.svg");
    expect(existsSync(join(censored, "seg-vs-pool-size-optimum.svg"))).toBe(false);
  });

  it("works on an empty journal", async () => {
    const empty = writeStudy([]);
    const report = await writeReport(empty, { problem: SYNTHETIC });
    expect(readFileSync(report.markdown, "utf8")).toContain("No complete runs were found");
  });

  it("refuses a directory without runs", async () => {
    await expect(writeReport(mkdtempSync(join(tmpdir(), "prednas-report-")), { problem: SYNTHETIC })).rejects.toThrow(/holds no runs\.jsonl/);
  });
});
