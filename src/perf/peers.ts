/**
 * prednas's TPE beside Optuna's own TPESampler (scripts/optuna_reference.py under /usr/bin/python3
 * with Debian's python3-optuna), in the same run, on the shipped NAS-Bench-201 tables (three
 * datasets), with one protocol: the validation accuracy observed, 150 distinct cells, repeated
 * cells not counted, runs seeded 0..R-1. Figures: the mean best validation accuracy after 50, 100
 * and 150 queries with 95% percentile bootstrap intervals over the runs, and the mean test
 * accuracy of the cell each returns after 150 (its best by validation), for each variant.
 *
 * R is PREDNAS_PEERS_RUNS (default 30: the studies' R). Without optuna it says how to install it.
 * Time: R = 3 took 10.9 min on a loaded 2-core machine (PREDNAS_PEERS_RUNS=3 npm run bench -- peers),
 * most of it Optuna's; it grows linearly with R.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { percentileBootstrap } from "../statistics/bootstrap.js";
import { resolveMethodOptions, runSearch } from "../search/methods.js";
import { loadProblem } from "../spaces/registry.js";
import { DATASETS } from "../spaces/nasbench201/table.js";
import type { Problem } from "../spaces/types.js";
import { InputError } from "../util/errors.js";
import { projectRoot } from "../util/files.js";
import type { Figure, Section } from "./harness.js";

export const PYTHON = "/usr/bin/python3";
export const OPTUNA_SCRIPT = join(projectRoot(), "scripts", "optuna_reference.py");
const VARIANTS = ["multivariate", "univariate"] as const;
const CHECKPOINTS = [50, 100, 150] as const;
const BUDGET = 150;

/** Optuna's version under /usr/bin/python3, or undefined when it has none. */
export function optunaVersion(): string | undefined {
  const probe = spawnSync(PYTHON, ["-c", "import optuna; print(optuna.__version__)"], { encoding: "utf8" });
  return probe.status === 0 ? probe.stdout.trim() : undefined;
}

/** A NAS-Bench-201 problem's table as the script reads it: each cell's six operation codes and its observed value. */
export function writeTable(problem: Problem<unknown>, file: string): void {
  const { space, oracle } = problem;
  const cells = Array.from({ length: space.enumeration.size }, (_, i) => space.enumeration.at(i));
  writeFileSync(file, JSON.stringify({ codes: cells.map((cell) => space.categorical!.valuesOf(cell)), values: cells.map((cell) => oracle.observe(cell).value) }));
}

export interface OptunaRun {
  readonly variant: (typeof VARIANTS)[number];
  readonly seed: number;
  readonly trials: number;
  /** Enumeration indices of the distinct cells, in the order first seen. */
  readonly cells: readonly number[];
}

/** Runs the script (asynchronously: a long run leaves the event loop free) and returns its runs. */
export async function runOptuna(table: string, runs: number, budget: number, variants: readonly string[]): Promise<OptunaRun[]> {
  const child = spawn(PYTHON, [OPTUNA_SCRIPT, table, String(runs), String(budget), variants.join(",")], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (status !== 0) throw new InputError(`${OPTUNA_SCRIPT} exited with status ${status}: ${stderr.trim()}`);
  return stdout.trim().split("\n").map((line) => JSON.parse(line) as OptunaRun);
}

interface Curve {
  /** Best value after each checkpoint, and the test accuracy of the best after the last. */
  readonly best: readonly number[];
  readonly returnedTest: number;
}

function curveOf(values: readonly number[], tests: readonly number[]): Curve {
  let bestAt = 0;
  const best = CHECKPOINTS.map((k) => {
    for (let i = 0; i < Math.min(k, values.length); i++) if (values[i]! > values[bestAt]!) bestAt = i;
    return values[bestAt]!;
  });
  return { best, returnedTest: tests[bestAt]! };
}

function figures(label: string, curves: readonly Curve[]): Figure[] {
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const statistics = (sample: readonly Curve[]) => [...CHECKPOINTS.map((_, c) => mean(sample.map((curve) => curve.best[c]!))), mean(sample.map((curve) => curve.returnedTest))];
  const intervals = percentileBootstrap(curves, statistics);
  // Short enough for the figure's column: best validation after k, test accuracy of the returned cell.
  const names = [...CHECKPOINTS.map((k) => `best val @${k}`), `test @${BUDGET}`];
  return statistics(curves).map((value, i) => ({
    name: `${label}: ${names[i]}`,
    value: 100 * value,
    unit: "%",
    note: `95% CI [${(100 * intervals[i]!.low).toFixed(3)}, ${(100 * intervals[i]!.high).toFixed(3)}], R = ${curves.length}`,
  }));
}

export const peersSection: Section = {
  name: "peers",
  description: `prednas's TPE beside Optuna's TPESampler on NAS-Bench-201 (validation observed, ${BUDGET} distinct cells, repeats not counted): mean best with bootstrap intervals`,
  optIn: true,
  async run(): Promise<Figure[]> {
    const version = optunaVersion();
    if (version === undefined) {
      process.stderr.write(`  ${PYTHON} has no optuna: install it with 'apt-get install python3-optuna' to compare with Optuna\n`);
      return [];
    }
    const runs = Number(process.env.PREDNAS_PEERS_RUNS ?? 30);
    if (!Number.isInteger(runs) || runs < 2) throw new InputError(`PREDNAS_PEERS_RUNS must be an integer >= 2 (the runs per configuration), got '${process.env.PREDNAS_PEERS_RUNS}'`);
    const dir = mkdtempSync(join(tmpdir(), "prednas-optuna-"));
    const out: Figure[] = [];
    try {
      for (const dataset of DATASETS) {
        const problem = await loadProblem({ space: "nasbench201", dataset });
        const table = join(dir, `${dataset}.json`);
        writeTable(problem, table);
        const observe = (index: number) => problem.oracle.observe(problem.space.enumeration.at(index));
        const optuna = await runOptuna(table, runs, BUDGET, VARIANTS);
        for (const variant of VARIANTS) {
          const ours: Curve[] = [];
          for (let seed = 0; seed < runs; seed++) {
            const record = await runSearch(problem, { method: "tpe", seed, budget: BUDGET, options: resolveMethodOptions("tpe", { variant }) });
            ours.push(curveOf(record.queries.map((q) => q.value), record.queries.map((q) => q.test!)));
          }
          const theirs = optuna.filter((run) => run.variant === variant).map((run) => curveOf(run.cells.map((i) => observe(i).value), run.cells.map((i) => observe(i).test!)));
          out.push(...figures(`${dataset} ${variant} prednas`, ours), ...figures(`${dataset} ${variant} Optuna ${version}`, theirs));
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return out;
  },
};
