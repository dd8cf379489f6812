/**
 * `prednas bench import FILE.tfrecord`: turns the official NAS-Bench-101 file into the table the
 * other bench commands read. Kept apart from bench.ts so that the import (and its protobuf
 * dependency) stays out of the query commands' module graph until the group wires it in.
 */
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { InputError } from "../util/errors.js";
import { importOfficialTfrecord } from "../benchmark/importOfficial.js";
import { importedDataDirectory } from "../benchmark/locate.js";
import { progressBar, writeOut } from "./io.js";


/** --out's default: $PREDNAS_DATA when set (it must be a directory then), else the user data directory the bench commands look in. */
function defaultOut(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.PREDNAS_DATA;
  if (configured === undefined || configured === "") return importedDataDirectory();
  // PREDNAS_DATA may name a table file for the query commands; the import needs a directory.
  if (existsSync(configured) && !statSync(configured).isDirectory()) {
    throw new InputError(`PREDNAS_DATA (${configured}) names a file, not a directory; give the output directory with --out <DIR>`);
  }
  return configured;
}

export function registerImportCommand(bench: Command): void {
  bench
    .command("import")
    .description("import the official nasbench_only108.tfrecord or nasbench_full.tfrecord into a table (108-epoch results, all repeats)")
    .argument("<FILE.tfrecord>", "the official NAS-Bench-101 file")
    .option("--out <DIR>", `output directory (default: $PREDNAS_DATA if set, else ${importedDataDirectory()}, where the bench commands look)`)
    .option("--quiet", "no progress bar")
    .option("--json", "print the summary as JSON")
    .action(async (file: string, options: { out?: string; quiet?: boolean; json?: boolean }) => {
      const out = resolve(options.out ?? defaultOut());
      const progress = progressBar("reading (MB)", options.quiet);
      let summary;
      try {
        summary = await importOfficialTfrecord(file, out, {
          onProgress: (bytesRead, totalBytes) => progress.update(Math.round(bytesRead / 1e6), Math.round(totalBytes / 1e6)),
        });
      } finally {
        progress.stop();
      }
      if (options.json) return writeOut(`${JSON.stringify(summary)}\n`);
      const skipped = Object.entries(summary.recordsSkipped).map(([epochs, count]) => `${count} at ${epochs} epochs`);
      await writeOut(
        [
          `source          ${summary.source} (${summary.sourceBytes} bytes, sha256 ${summary.sha256})`,
          `records read    ${summary.recordsRead}`,
          `records used    ${summary.recordsUsed} (108 epochs)${skipped.length > 0 ? `; skipped ${skipped.join(", ")}` : ""}`,
          `cells written   ${summary.cells}`,
          `table           ${summary.tablePath}`,
          `provenance      ${summary.provenancePath}`,
          "",
        ].join("\n"),
      );
    });
}
