/**
 * `prednas study`: run (or resume) a study grid on both cores, then write its report. A study of a
 * space file evaluates with the user's training (study/evaluationJobs.ts): SIGINT and SIGTERM stop
 * it as they stop `prednas search --evaluate`, and it has no report (no benchmark, no truths).
 */
import type { Command } from "commander";
import { hideCredentialsFromTitle, parseQueueUrl, PASSWORD_VARIABLE, scrub } from "../queue/connection.js";
import { EVALUATIONS_FILE } from "../study/evaluationJobs.js";
import { InputError, PrednasError } from "../util/errors.js";
import { loadPreset, PRESET_NAMES } from "../study/presets.js";
import { runStudy } from "../study/runner.js";
import { integerOption, progressBar, writeOut } from "./io.js";
import { handleInterruptions } from "./signals.js";

export function registerStudyCommand(program: Command): void {
  program
    .command("study")
    .description("run a study grid (methods x pools x pool sizes x seeds); resumes where it stopped; writes DIR/report.md and report.html")
    .requiredOption("--preset <NAME|FILE>", `a built-in preset (${PRESET_NAMES.join(", ")}) or a preset .json file`)
    .requiredOption("--out <DIR>", "study directory (runs.jsonl, study.json, report)")
    .option("--workers <N>", "worker threads (default: one per core)", integerOption(1, 64))
    .option("--data <PATH>", "a table file or directory to use instead of the built-in data of the preset's space")
    .option("--no-report", "do not write the report at the end")
    .option("--queue <URL>", `a study of a space file: evaluate on prednas workers through Redis, redis://[user:password@]host:port[/db] (the password may come from ${PASSWORD_VARIABLE}); the preset then has no evaluate`)
    .action(async (flags: { preset: string; out: string; workers?: number; data?: string; report: boolean; queue?: string }) => {
      hideCredentialsFromTitle();
      const queue = flags.queue === undefined ? undefined : parseQueueUrl(flags.queue);
      const preset = loadPreset(flags.preset, { byWorkers: queue !== undefined });
      if (queue !== undefined && preset.spaceFile === undefined) throw new InputError(`--queue: the preset ${preset.name} is a benchmark's, whose table evaluates; --queue applies to a study of a space file of your own (spaceFile)`);
      const progress = progressBar(`study ${preset.name}`);
      const interruption = preset.spaceFile === undefined ? undefined : handleInterruptions((message) => void process.stderr.write(`prednas: ${message}\n`));
      let outcome;
      try {
        outcome = await runStudy(preset, flags.out, {
          workers: flags.workers,
          data: flags.data,
          onProgress: (done, total) => progress.update(done, total),
          onWarning: (message) => process.stderr.write(`warning: ${queue === undefined ? message : scrub(message, queue)}\n`),
          ...(flags.queue === undefined ? {} : { queue: flags.queue }),
          ...(interruption === undefined ? {} : { stop: interruption.stop, interrupt: interruption.interrupt }),
        });
      } finally {
        progress.stop();
        interruption?.dispose();
      }
      await writeOut(`study ${preset.name}: ${outcome.total} runs (${outcome.resumed} already done, ${outcome.ran} run now) in ${flags.out}\n`);
      const interrupted = interruption?.outcome();
      if (interrupted !== undefined) throw interrupted;
      if (preset.spaceFile !== undefined) {
        await writeOut(`runs: ${flags.out}/${EVALUATIONS_FILE} (and each run's directory in ${flags.out}/runs); no report: a space of your own has no benchmark for its statistics\n`);
        // As a search does: failed evaluations are a partial failure (status 1), said in numbers.
        const { total, failed } = outcome.evaluations ?? { total: 0, failed: 0 };
        if (failed > 0) {
          throw new PrednasError(`${failed === total ? `all ${total}` : `${failed} of ${total}`} evaluations of the study's ${outcome.total} runs failed (their errors are in ${flags.out}/runs/*/record.json and logs/)`);
        }
      } else if (flags.report) {
        const { writeReport } = await import("../report/report.js");
        const written = await writeReport(flags.out, { data: flags.data });
        await writeOut(`report: ${written.markdown} and ${written.html}\n`);
      }
    });
}
