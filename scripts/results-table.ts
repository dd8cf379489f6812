/**
 * The README's result tables, printed from a study's summary.json (written by `prednas report`),
 * so that every figure in the README comes from a committed report:
 *
 *   npx tsx scripts/results-table.ts docs/results/paper
 *
 * One row per configuration: R, SEG at 50, 100, 150 queries and at B with their 95% intervals,
 * the mean true accuracy of the best-observed architecture after 150 queries (and B), then the
 * verdicts with their reasons.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { formatAccuracy, formatInterval, formatValue } from "../src/statistics/format.js";

interface Interval {
  readonly seg: number;
  readonly low: number;
  readonly high: number;
}
interface Configuration {
  readonly label: string;
  readonly runs: number;
  readonly segAtBudget: Readonly<Record<string, Interval>>;
  readonly meanBestTruth: Readonly<Record<string, number>>;
}
interface Summary {
  readonly study: string;
  readonly budget: number;
  readonly configurations: readonly Configuration[];
  readonly verdicts: readonly { claim: string; predictor: string; verdict: string; why: string }[];
}

const dir = process.argv[2];
if (dir === undefined) {
  process.stderr.write("usage: npx tsx scripts/results-table.ts STUDY_DIR (a directory with summary.json: run prednas report STUDY_DIR first)\n");
  process.exit(2);
}
const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as Summary;
const budgets = [...new Set(["50", "100", "150", String(summary.budget)])];
// Written as the report writes them.
const interval = (i: Interval | undefined) => (i === undefined ? "" : `${formatValue(i.seg)} ${formatInterval(i)}`);
const accuracy = (x: number | undefined) => (x === undefined ? "" : formatAccuracy(x));
const bestAt = [...new Set(["150", String(summary.budget)])];

const lines = [
  `| configuration | R | ${budgets.map((n) => `SEG_${n}`).join(" | ")} | ${bestAt.map((n) => `best test acc. at ${n}`).join(" | ")} |`,
  `|---|---:|${budgets.map(() => "---:").join("|")}|${bestAt.map(() => "---:").join("|")}|`,
  ...summary.configurations.map(
    (c) => `| ${c.label} | ${c.runs} | ${budgets.map((n) => interval(c.segAtBudget[n])).join(" | ")} | ${bestAt.map((n) => accuracy(c.meanBestTruth[n])).join(" | ")} |`,
  ),
  "",
  ...summary.verdicts.map((v) => `- **${v.claim} ${v.verdict}** (${v.predictor}): ${v.why}`),
];
process.stdout.write(`${lines.join("\n")}\n`);
