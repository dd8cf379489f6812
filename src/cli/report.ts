/** `prednas report DIR`: the study report (Markdown, self-contained HTML, SVG figures) from DIR/runs.jsonl. */
import type { Command } from "commander";
import { BOOTSTRAP_DEFAULTS } from "../statistics/bootstrap.js";
import { writeReport } from "../report/report.js";
import { integerOption, writeOut } from "./io.js";

export function registerReportCommand(program: Command): void {
  program
    .command("report")
    .description("write DIR/report.md, DIR/report.html and the figures (SVG) from the runs in DIR/runs.jsonl")
    .argument("<DIR>", "study directory (holds runs.jsonl, and study.json when written by 'prednas study')")
    .option("--data <PATH>", "the table file or directory the study's runs used instead of the built-in data")
    .option("--resamples <N>", "bootstrap resamples per interval", integerOption(100, 1_000_000), BOOTSTRAP_DEFAULTS.resamples)
    .option("--seed <S>", "bootstrap seed (the same seed gives the same intervals)", integerOption(0, 2 ** 32 - 1), BOOTSTRAP_DEFAULTS.seed)
    .action(async (dir: string, flags: { data?: string; resamples: number; seed: number }) => {
      const written = await writeReport(dir, { data: flags.data, bootstrap: { resamples: flags.resamples, seed: flags.seed } });
      for (const warning of written.warnings) process.stderr.write(`warning: ${warning}\n`);
      await writeOut(`report: ${written.markdown} and ${written.html}\nfigures: ${written.figures.join(", ")}\n`);
    });
}
