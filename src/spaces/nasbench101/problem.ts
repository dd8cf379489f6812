/**
 * NAS-Bench-101 as the registry knows it: the cell space over the tabular benchmark (the table
 * built into prednas, or one given with --data, or imported from the official file). Queries
 * observe the chosen objective; the search is judged by the mean test accuracy over the 3
 * training repeats, the only per-cell accuracy the built-in data has.
 */
import { resolve } from "node:path";
import { InputError } from "../../util/errors.js";
import type { Benchmark, Problem, ProblemSpec, SpaceDefinition } from "../types.js";
import { SPACE_SIZE } from "./catalogue.js";
import { enumerateSpace } from "./enumerate.js";
import { Nasbench101Space, type Nb101Cell } from "./space.js";
import { ModelSpec } from "../cell/spec.js";
import { Nasbench101Benchmark } from "./table/benchmark.js";
import { importOfficialTfrecord } from "./table/importOfficial.js";
import { importedDataDirectory } from "./table/locate.js";
import { NASBENCH101_PEERS } from "./peers.js";
import { METRICS, METRIC_NAMES, OBJECTIVES, type MetricName } from "./table/metrics.js";
import { NASBENCH101_RULES } from "./ops.js";

const NAME = "nasbench101";

function metric(name: string): MetricName {
  if (!(METRIC_NAMES as readonly string[]).includes(name)) throw new InputError(`NAS-Bench-101 has no metric '${name}' (metrics: ${METRIC_NAMES.join(", ")})`);
  return name as MetricName;
}

/** A cell from its JSON form: {"matrix": ..., "ops": ...} in any vertex order, pruned or not, or {"hash": ...}. */
function parseCell(space: Nasbench101Space, input: unknown): Nb101Cell {
  if (typeof input === "object" && input !== null && "hash" in input && !("matrix" in input)) {
    const index = space.catalogue.indexOfHash(String(input.hash));
    if (index < 0) throw new InputError(`no NAS-Bench-101 cell has the hash '${String(input.hash)}'`);
    return { index };
  }
  if (typeof input !== "object" || input === null || !("matrix" in input) || !("ops" in input)) {
    throw new InputError('expected a NAS-Bench-101 cell as {"matrix": ..., "ops": ...} (or {"hash": ...})');
  }
  return space.cellOf(ModelSpec.from(input.matrix, input.ops, NASBENCH101_RULES));
}

function benchmarkOf(table: Nasbench101Benchmark): Benchmark<Nb101Cell> {
  const info = (name: MetricName) => ({ name, label: METRICS[name].label });
  return {
    source: { table: table.source!.tablePath, origin: table.source!.origin, cache: table.source!.cache },
    metrics: table.available().map(info),
    missing: METRIC_NAMES.filter((name) => !table.has(name)).map(info),
    values: (name) => table.values(metric(name)),
    query: (cell) => ({ ...table.queryIndex(cell.index) }),
  };
}

export const NASBENCH101: SpaceDefinition = {
  name: NAME,
  title: "NAS-Bench-101",
  description: "the NAS-Bench-101 cell space (423,624 unique cells, CIFAR-10, 108 epochs), exact to google-research/nasbench",
  size: SPACE_SIZE,
  objectives: OBJECTIVES.map((name) => ({ name, label: METRICS[name].label })),
  input: {
    flags: [
      { flag: "--matrix <M>", description: "NAS-Bench-101 cell: adjacency matrix, JSON ([[0,1],[0,0]]) or the row-major 0/1 string of the data table" },
      { flag: "--ops <O>", description: "NAS-Bench-101 cell: operations, comma-separated (input,conv3x3-bn-relu,...,output)" },
    ],
    fromFlags: ({ matrix, ops }) => {
      if (matrix === undefined && ops === undefined) return undefined;
      if (matrix === undefined || ops === undefined) throw new InputError("give both --matrix and --ops");
      return { matrix, ops };
    },
    jsonForm: '{"matrix": [[0,1],[0,0]], "ops": ["input","output"]}',
  },
  nativeStream: "numpy",
  peers: NASBENCH101_PEERS,

  async load(spec: ProblemSpec): Promise<Problem<Nb101Cell>> {
    if (spec.dataset !== undefined) throw new InputError(`NAS-Bench-101 has one dataset (CIFAR-10): --dataset does not apply to it (got '${spec.dataset}')`);
    const objective = spec.objective ?? OBJECTIVES[0];
    if (!(OBJECTIVES as readonly string[]).includes(objective)) throw new InputError(`unknown objective '${objective}' for NAS-Bench-101 (known: ${OBJECTIVES.join(", ")})`);
    const table = await Nasbench101Benchmark.load({ data: spec.data });
    const observed = table.values(objective as MetricName);
    const truths = table.values("test-mean");
    const space = new Nasbench101Space(table.catalogue);
    return {
      spec: { space: NAME, objective, ...(spec.data === undefined ? {} : { data: resolve(spec.data) }) },
      space,
      objective,
      truths,
      truthLabel: METRICS["test-mean"].label,
      oracle: { observe: ({ index }) => ({ value: observed[index]!, truth: truths[index]! }) },
      benchmark: benchmarkOf(table),
      parse: (input) => parseCell(space, input),
    };
  },

  async regenerate(options) {
    const { catalogue, visited } = await enumerateSpace(options);
    return {
      archs: Array.from({ length: catalogue.size }, (_, i) => ({ hash: catalogue.hash(i), ...catalogue.cellSpec(i) })),
      summary: `${catalogue.size} unique cells (${visited} labelled graphs visited)`,
    };
  },

  async importOfficial(file, out, onProgress) {
    const summary = await importOfficialTfrecord(file, resolve(out ?? importedDataDirectory()), { onProgress });
    const skipped = Object.entries(summary.recordsSkipped).map(([epochs, count]) => `${count} at ${epochs} epochs`);
    const text = [
      `source          ${summary.source} (${summary.sourceBytes} bytes, sha256 ${summary.sha256})`,
      `records read    ${summary.recordsRead}`,
      `records used    ${summary.recordsUsed} (108 epochs)${skipped.length > 0 ? `; skipped ${skipped.join(", ")}` : ""}`,
      `cells written   ${summary.cells}`,
      `table           ${summary.tablePath}`,
      `provenance      ${summary.provenancePath}`,
      "",
    ].join("\n");
    return { json: summary, text };
  },
};
