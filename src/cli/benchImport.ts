/**
 * `prednas bench import FILE.tfrecord`: turns the official NAS-Bench-101 file into the table the
 * other bench commands read. Kept apart from bench.ts so that the import (and its protobuf
 * dependency) stays out of the query commands' module graph until the group wires it in.
 */
import { resolve } from "node:path";
import type { Command } from "commander";
import { importOfficialTfrecord } from "../spaces/nasbench101/table/importOfficial.js";
import { importedDataDirectory } from "../spaces/nasbench101/table/locate.js";
import { progressBar, writeOut } from "./io.js";


export function registerImportCommand(bench: Command): void {
  bench
    .command("import")
    .description("import the official nasbench_only108.tfrecord or nasbench_full.tfrecord into a table (108-epoch results, all repeats)")
    .argument("<FILE.tfrecord>", "the official NAS-Bench-101 file")
    .option("--out <DIR>", `output directory (default: ${importedDataDirectory()}, where the bench commands look before the built-in table)`)
    .option("--quiet", "no progress bar")
    .option("--json", "print the summary as JSON")
    .action(async (file: string, options: { out?: string; quiet?: boolean; json?: boolean }) => {
      const out = resolve(options.out ?? importedDataDirectory());
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
