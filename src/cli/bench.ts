/** `prednas bench ...`: a space's tabular benchmark: where the data comes from, queries, the best architectures, import. */
import { resolve } from "node:path";
import type { Command } from "commander";
import { InputError, PrednasError } from "../util/errors.js";
import { MetricColumn } from "../spaces/metricStats.js";
import { estimateExpectedBest, topQuantile } from "../statistics/sampledRandomSearch.js";
import { seededRng } from "../util/rng.js";
import { loadBenchmarkProblem, loadProblem, spaceDefinition } from "../spaces/registry.js";
import { isTabular, type Problem, type SurrogateProblem } from "../spaces/types.js";
import { forEachInputLine, integerOption, parseJsonLine, progressBar, writeOut } from "./io.js";
import { architectureFromFlags, problemSpec, withArchitectureOptions, withProblemOptions, type ProblemFlags } from "./problem.js";

interface BenchFlags extends ProblemFlags {
  json?: boolean;
}

/** The metric to rank by: the given one, or the first of the data (the space's main accuracy). */
function metricOf(problem: Problem<unknown>, name: string | undefined): string {
  const metric = name ?? problem.benchmark.metrics[0]!.name;
  problem.benchmark.values(metric);
  return metric;
}

function formatQuery(result: Record<string, unknown>): string {
  const width = Math.max(...Object.keys(result).map((key) => key.length));
  return `${Object.entries(result)
    .map(([key, value]) => `${key.padEnd(width)}  ${typeof value === "object" ? JSON.stringify(value) : String(value)}`)
    .join("\n")}\n`;
}

const SURROGATE_WARNING = "surrogates: every value above but the measured ones is a model's prediction, not a measurement";

/** The budgets at which `bench info --sample` estimates random search's expected best. */
const SAMPLED_BUDGETS = [1, 10, 50, 100, 150, 1000];

/**
 * What a uniform sample of the truth says of a space that cannot be listed (docs/study.md): its
 * mean and best, the thresholds of the top 0.01% and 0.1%, and E_RS(m) with standard errors.
 */
function sampledStatistics(problem: SurrogateProblem<unknown>, size: number, seed: number): Record<string, unknown> {
  const rng = seededRng(seed);
  const truths = new Float64Array(size);
  let best = { truth: -Infinity, key: "" };
  for (let i = 0; i < size; i++) {
    const arch = problem.space.sampleUniform(rng);
    truths[i] = problem.oracle.observe(arch).truth;
    if (truths[i]! > best.truth) best = { truth: truths[i]!, key: problem.space.key(arch) };
  }
  return {
    sample: { size, seed, truth: problem.truthLabel },
    sampleMean: truths.reduce((sum, value) => sum + value, 0) / size,
    sampleBest: best,
    top0_01PercentFrom: topQuantile(truths, 0.0001),
    top0_1PercentFrom: topQuantile(truths, 0.001),
    expectedBestOfRandomSearch: estimateExpectedBest(truths, SAMPLED_BUDGETS.filter((m) => m <= size), { replicates: 100, seed }),
  };
}

/** `bench info` of a space that cannot be listed: its surrogates, how they were made, how good they are. */
function surrogateInfo(problem: SurrogateProblem<unknown>, json: boolean, sampled: Record<string, unknown> | undefined): string {
  const { benchmark, space } = problem;
  const info = { space: space.name, ...benchmark.source, architectures: space.size, metrics: benchmark.metrics.map((m) => m.name), ...benchmark.info(), ...sampled };
  return json ? `${JSON.stringify(info)}\n` : `${formatQuery(info)}\n${SURROGATE_WARNING}\n`;
}

export function registerBenchCommands(program: Command): void {
  const bench = program.command("bench").description("a space's tabular benchmark (real data): info, query, top, import");

  withProblemOptions(bench.command("info"))
    .description("where the data came from, its size and metrics, the best architecture and the distribution")
    .option("--json", "print JSON")
    .option("--sample <N>", "for a space that cannot be listed: estimate its distribution, top quantiles and random search's expected best from N uniform draws", integerOption(1000, 100_000_000))
    .option("--seed <S>", "seeds the --sample draws and its bootstrap", integerOption(0, 2 ** 32 - 1), 0)
    .action(async (flags: BenchFlags & { sample?: number; seed: number }) => {
      const loaded = await loadBenchmarkProblem(problemSpec(flags));
      if (!isTabular(loaded)) return writeOut(surrogateInfo(loaded, flags.json === true, flags.sample === undefined ? undefined : sampledStatistics(loaded, flags.sample, flags.seed)));
      if (flags.sample !== undefined) throw new InputError(`--sample estimates the statistics of a space that cannot be listed; ${loaded.space.name} is listed whole, and bench info gives its statistics exactly`);
      const problem = loaded;
      const { benchmark, space } = problem;
      const metric = metricOf(problem, undefined);
      const stats = new MetricColumn(benchmark.values(metric)).summary();
      const best = space.enumeration.at(stats.best.index);
      const info = {
        space: space.name,
        ...benchmark.source,
        architectures: space.enumeration.size,
        metrics: benchmark.metrics.map((m) => m.name),
        missing: benchmark.missing.map((m) => m.name),
        metric,
        best: { ...stats.best, key: space.key(best), architecture: space.describe(best) },
        mean: stats.mean,
        min: stats.min,
        quantiles: stats.quantiles,
      };
      if (flags.json) return writeOut(`${JSON.stringify(info)}\n`);
      const source = Object.entries(benchmark.source)
        .filter(([key]) => key !== "table")
        .map(([key, value]) => `${key} ${String(value)}`)
        .join("; ");
      const quantiles = Object.entries(stats.quantiles)
        .map(([p, value]) => `${Number(p) * 100}%: ${value.toFixed(6)}`)
        .join(", ");
      await writeOut(
        [
          `space       ${space.name}`,
          `data        ${String(benchmark.source.table)} (${source})`,
          `size        ${info.architectures} architectures`,
          `metrics     ${info.metrics.join(", ")}`,
          `not present ${info.missing.join(", ") || "none"}`,
          `best        ${stats.best.value} ${metric}: ${info.best.key} (index ${stats.best.index})`,
          `mean        ${stats.mean}`,
          `min         ${stats.min}`,
          `quantiles   ${quantiles}`,
          "",
        ].join("\n"),
      );
    });

  withArchitectureOptions(withProblemOptions(bench.command("query")))
    .description("look an architecture up (in any form the space accepts: prednas spaces); without an architecture flag, one JSON object per input line")
    .option("--json", "print JSON")
    .action(async (flags: BenchFlags & Record<string, unknown>) => {
      const problem = await loadBenchmarkProblem(problemSpec(flags));
      const answer = (input: unknown) => {
        const arch = problem.parse(input);
        return problem.benchmark.query(arch);
      };
      const given = architectureFromFlags(spaceDefinition(flags.space), flags);
      if (given !== undefined) {
        const result = answer(given);
        if (flags.json) return writeOut(`${JSON.stringify(result)}\n`);
        if (!isTabular(problem)) return writeOut(formatQuery({ ...result, judgedBy: SURROGATE_WARNING }));
        const metric = metricOf(problem, undefined);
        const column = new MetricColumn(problem.benchmark.values(metric));
        const index = problem.space.enumeration.indexOf(problem.parse(given));
        await writeOut(formatQuery({ ...result, [`rank (${metric})`]: `${column.rank(index)} of ${column.values.length}` }));
        return;
      }
      const failed = await forEachInputLine(
        (line) => void process.stdout.write(`${JSON.stringify(answer(parseJsonLine(line)))}\n`),
        (message, lineNumber) => void process.stdout.write(`${JSON.stringify({ error: message, line: lineNumber })}\n`),
      );
      if (failed > 0) throw new PrednasError(`${failed} input line${failed === 1 ? " was" : "s were"} invalid`);
    });

  withProblemOptions(bench.command("top"))
    .description("the N best architectures")
    .requiredOption("--n <N>", "how many", integerOption(1))
    .option("--metric <NAME>", "ranking metric (default: the data's first; see bench info)")
    .option("--json", "print JSON")
    .action(async (flags: BenchFlags & { n: number; metric?: string }) => {
      const problem = await loadProblem(problemSpec(flags), "prednas bench top");
      const metric = metricOf(problem, flags.metric);
      const column = new MetricColumn(problem.benchmark.values(metric));
      const { space } = problem;
      const indices = column.top(flags.n);
      if (flags.json) {
        await writeOut(indices.map((index) => `${JSON.stringify({ rank: column.rank(index), ...problem.benchmark.query(space.enumeration.at(index)) })}\n`).join(""));
        return;
      }
      // The architecture as the space describes it: its key alone is a hash on NAS-Bench-101.
      const row = (index: number) => `${String(column.rank(index)).padStart(6)}  ${column.values[index]!.toFixed(6)}  ${JSON.stringify(space.describe(space.enumeration.at(index)))}`;
      await writeOut(`  rank  ${metric}  architecture\n${indices.map(row).join("\n")}\n`);
    });

  withProblemOptions(bench.command("import"), { data: false })
    .description("import the benchmark's official data file (where the space has one: prednas spaces) into a table the other commands read")
    .argument("<FILE>", "the official file")
    .option("--out <DIR>", "output directory (default: the user data directory, where the bench commands look before the built-in table)")
    .option("--quiet", "no progress bar")
    .option("--json", "print the summary as JSON")
    .action(async (file: string, flags: { space: string; out?: string; quiet?: boolean; json?: boolean }) => {
      const definition = spaceDefinition(flags.space);
      if (definition.importOfficial === undefined) throw new InputError(`${definition.title} has no official file to import: its data is built in`);
      const progress = progressBar("reading (MB)", flags.quiet);
      let imported;
      try {
        imported = await definition.importOfficial(file, flags.out === undefined ? undefined : resolve(flags.out), (bytesRead, totalBytes) =>
          progress.update(Math.round(bytesRead / 1e6), Math.round(totalBytes / 1e6)),
        );
      } finally {
        progress.stop();
      }
      await writeOut(flags.json ? `${JSON.stringify(imported.json)}\n` : imported.text);
    });
}
