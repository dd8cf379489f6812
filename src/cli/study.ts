/** `prednas study`: run (or resume) a study grid on both cores, then write its report. */
import type { Command } from "commander";
import { loadPreset, PRESET_NAMES } from "../study/presets.js";
import { runStudy } from "../study/runner.js";
import { integerOption, progressBar, writeOut } from "./io.js";

export function registerStudyCommand(program: Command): void {
  program
    .command("study")
    .description("run a study grid (methods x pools x pool sizes x seeds); resumes where it stopped; writes DIR/report.md and report.html")
    .requiredOption("--preset <NAME|FILE>", `a built-in preset (${PRESET_NAMES.join(", ")}) or a preset .json file`)
    .requiredOption("--out <DIR>", "study directory (runs.jsonl, study.json, report)")
    .option("--workers <N>", "worker threads (default: one per core)", integerOption(1, 64))
    .option("--data <PATH>", "a table file or directory to use instead of the built-in data of the preset's space")
    .option("--no-report", "do not write the report at the end")
    .action(async (flags: { preset: string; out: string; workers?: number; data?: string; report: boolean }) => {
      const preset = loadPreset(flags.preset);
      const progress = progressBar(`study ${preset.name}`);
      let outcome;
      try {
        outcome = await runStudy(preset, flags.out, {
          workers: flags.workers,
          data: flags.data,
          onProgress: (done, total) => progress.update(done, total),
          onWarning: (message) => process.stderr.write(`warning: ${message}\n`),
        });
      } finally {
        progress.stop();
      }
      await writeOut(`study ${preset.name}: ${outcome.total} runs (${outcome.resumed} already done, ${outcome.ran} run now) in ${flags.out}\n`);
      if (flags.report) {
        const { writeReport } = await import("../report/report.js");
        const written = await writeReport(flags.out, { data: flags.data });
        await writeOut(`report: ${written.markdown} and ${written.html}\n`);
      }
    });
}
