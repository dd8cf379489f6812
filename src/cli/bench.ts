/** `prednas bench ...`: the NAS-Bench-101 tabular benchmark. */
import type { Command } from "commander";
import { PrednasError } from "../util/errors.js";
import { Nasbench101Benchmark, type QueryResult } from "../spaces/nasbench101/table/benchmark.js";
import { METRICS, METRIC_NAMES, type MetricName } from "../spaces/nasbench101/table/metrics.js";
import { registerImportCommand } from "./benchImport.js";
import { choiceOption, forEachInputLine, integerOption, parseJsonLine, specFromJson, specFromOptions, writeOut } from "./io.js";

interface DataOptions {
  data?: string;
  json?: boolean;
}

function formatResult(result: QueryResult, benchmark: Nasbench101Benchmark): string {
  const lines = [
    `hash                  ${result.hash} (index ${result.index})`,
    `matrix                ${JSON.stringify(result.spec.matrix)}`,
    `ops                   ${result.spec.ops.join(",")}`,
    `trainable parameters  ${result.trainableParameters}`,
    `test accuracy (mean)  ${result.testAccuracyMean}  rank ${benchmark.rank(result.index, "test-mean")} of ${benchmark.size}`,
    `test accuracy (rep 0) ${result.testAccuracyRepeat0}`,
  ];
  if (result.validationAccuracyMean !== undefined) lines.push(`validation (mean)     ${result.validationAccuracyMean}`);
  if (result.trainingTimeMean !== undefined) lines.push(`training time (mean)  ${result.trainingTimeMean} s`);
  return `${lines.join("\n")}\n`;
}

export function registerBenchCommands(program: Command): void {
  const bench = program.command("bench").description("the NAS-Bench-101 tabular benchmark (real data)");
  const dataOption = (command: Command) =>
    command
      .option("--data <PATH>", "table file or directory (default: $PREDNAS_DATA, then a table imported with `bench import`, then the built-in table)")
      .option("--json", "print JSON");

  dataOption(bench.command("info"))
    .description("where the data came from, its size and metrics, the best cell and the distribution")
    .action(async (options: DataOptions) => {
      const benchmark = await Nasbench101Benchmark.load(options);
      const stats = benchmark.stats("test-mean");
      const info = {
        table: benchmark.source!.tablePath,
        origin: benchmark.source!.origin,
        cache: benchmark.source!.cache,
        cells: benchmark.size,
        metrics: benchmark.available(),
        missing: METRIC_NAMES.filter((name) => !benchmark.has(name)),
        best: { ...stats.best, ...benchmark.catalogue.cellSpec(stats.best.index) },
        mean: stats.mean,
        min: stats.min,
        quantiles: stats.quantiles,
      };
      if (options.json) return writeOut(`${JSON.stringify(info)}\n`);
      const quantiles = Object.entries(stats.quantiles)
        .map(([p, value]) => `${Number(p) * 100}%: ${value.toFixed(6)}`)
        .join(", ");
      await writeOut(
        [
          `data        ${info.table} (${info.origin}; cache ${info.cache === "hit" ? "hit" : `rebuilt: ${info.cache}`})`,
          `cells       ${info.cells}`,
          `metrics     ${info.metrics.join(", ")}`,
          `not present ${info.missing.map((name) => `${name}`).join(", ") || "none"}`,
          `best        ${stats.best.value} mean test accuracy: ${stats.best.hash} (index ${stats.best.index})`,
          `mean        ${stats.mean}`,
          `min         ${stats.min}`,
          `quantiles   ${quantiles}`,
          "",
        ].join("\n"),
      );
    });

  dataOption(bench.command("query"))
    .description("look a cell up (any isomorphic or unpruned form); without --matrix, one JSON object per input line")
    .option("--matrix <M>", "adjacency matrix (JSON or row-major 0/1 string)")
    .option("--ops <O>", "operations, comma-separated")
    .action(async (options: DataOptions & { matrix?: string; ops?: string }) => {
      const benchmark = await Nasbench101Benchmark.load(options);
      if (options.matrix !== undefined || options.ops !== undefined) {
        const result = benchmark.query(specFromOptions(options));
        await writeOut(options.json ? `${JSON.stringify(result)}\n` : formatResult(result, benchmark));
        return;
      }
      const failed = await forEachInputLine(
        (line) => void process.stdout.write(`${JSON.stringify(benchmark.query(specFromJson(parseJsonLine(line))))}\n`),
        (message, lineNumber) => void process.stdout.write(`${JSON.stringify({ error: message, line: lineNumber })}\n`),
      );
      if (failed > 0) throw new PrednasError(`${failed} input line${failed === 1 ? " was" : "s were"} invalid`);
    });

  dataOption(bench.command("top"))
    .description("the N best cells")
    .requiredOption("--n <N>", "how many", integerOption(1, 423_624))
    .option("--metric <NAME>", `ranking metric: ${METRIC_NAMES.join(", ")}`, choiceOption(METRIC_NAMES), "test-mean")
    .action(async (options: DataOptions & { n: number; metric: MetricName }) => {
      const benchmark = await Nasbench101Benchmark.load(options);
      const indices = benchmark.top(options.n, options.metric);
      if (options.json) {
        await writeOut(indices.map((index) => `${JSON.stringify({ rank: benchmark.rank(index, options.metric), ...benchmark.queryIndex(index) })}\n`).join(""));
        return;
      }
      const rows = indices.map((index) => {
        const value = benchmark.value(index, options.metric);
        return `${String(benchmark.rank(index, options.metric)).padStart(6)}  ${value.toFixed(6)}  ${benchmark.catalogue.hash(index)}  ${benchmark.catalogue.ops(index).slice(1, -1).join(",")}`;
      });
      await writeOut(`  rank  ${METRICS[options.metric].label}\n${rows.join("\n")}\n`);
    });

  registerImportCommand(bench);
}
