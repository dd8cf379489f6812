/**
 * The Accel-NASBench data that ships with prednas (data/accel-nasbench/accel-nasbench.bin, a data
 * pack): the ten XGBoost surrogates fitted by scripts/accel_surrogates.py (ImageNet validation
 * top-1, train time, throughput on six accelerators, latency on the two FPGAs), with their
 * hyperparameters and their fidelity on the authors' splits, and the 5,138 measured records (5,125
 * architectures, 13 measured twice), for `bench query` to set beside the surrogates.
 */
import { join } from "node:path";
import { z } from "zod";
import { readPack } from "../../util/dataPack.js";
import { projectRoot } from "../../util/files.js";
import type { Column } from "../../util/columns.js";
import { CHOICES } from "./space.js";
import { TreeEnsemble } from "./surrogate.js";

export const DATA_FORMAT = { kind: "accel-nasbench", format: 1 } as const;

/** The surrogates' quantities, named as the result files name them (`metric_device`). */
export const QUANTITIES = [
  "val_top1",
  "train_time",
  "throughput_a100",
  "throughput_3090",
  "throughput_tpuv2",
  "throughput_tpuv3",
  "throughput_zcu102",
  "throughput_vck190",
  "latency_zcu102",
  "latency_vck190",
] as const;
export type Quantity = (typeof QUANTITIES)[number];

/** Measured figures the benchmark has no surrogate for. */
export const EXTRA_MEASURES = ["val_top5", "macs", "params"] as const;

/** The authors' split a record belongs to, by its stored code. */
export const SPLITS = ["train", "val", "test", "none"] as const;

const FIDELITY = z.strictObject({ r2: z.number(), kendall_tau: z.number(), spearman: z.number(), mae: z.number() });

const SURROGATE = z.strictObject({
  name: z.enum(QUANTITIES),
  source: z.array(z.string()),
  hyperparameters: z.record(z.string(), z.union([z.number(), z.string()])),
  trees: z.number().int().positive(),
  examples: z.strictObject({ train: z.number().int(), val: z.number().int(), test: z.number().int() }),
  bestIteration: z.number().int().nonnegative(),
  fidelity: z.strictObject({ train: FIDELITY, val: FIDELITY, test: FIDELITY }),
  baseScore: z.number(),
});
export type SurrogateInfo = z.infer<typeof SURROGATE>;

const META = z.strictObject({
  kind: z.literal(DATA_FORMAT.kind),
  format: z.literal(DATA_FORMAT.format),
  xgboost: z.string(),
  seed: z.number().int(),
  choices: z.array(z.tuple([z.string(), z.array(z.union([z.number(), z.boolean()]))])),
  authorsAccuracy: FIDELITY,
  surrogates: z.array(SURROGATE).length(QUANTITIES.length),
  records: z.number().int().positive(),
});
export type AccelMeta = z.infer<typeof META>;

export interface Measured {
  /** N of each record's result_N.json. */
  readonly files: Uint16Array;
  /** Each record's architecture, 28 choice indices a row. */
  readonly archs: Uint8Array;
  /** Each record's split, an index of SPLITS. */
  readonly split: Uint8Array;
  readonly values: Readonly<Record<Quantity | (typeof EXTRA_MEASURES)[number], Float64Array>>;
}

export interface AccelData {
  readonly meta: AccelMeta;
  readonly surrogates: Readonly<Record<Quantity, TreeEnsemble>>;
  readonly measured: Measured;
}

export const CHOICE_COUNT = Object.keys(CHOICES).length;

export function builtinDataPath(): string {
  return join(projectRoot(), "data", "accel-nasbench", "accel-nasbench.bin");
}

/** The columns of a pack, by name. */
export function treeColumns(name: Quantity): { nodes: string; leaf: string } {
  return { nodes: `tree:${name}:nodes`, leaf: `tree:${name}:leaf` };
}

export function measuredColumn(name: string): string {
  return `measured:${name}`;
}

function column<T extends Column>(columns: Record<string, Column>, name: string, type: abstract new (...args: never[]) => T, length: number | undefined, path: string): T {
  const found = columns[name];
  if (!(found instanceof type) || (length !== undefined && found.length !== length)) throw new Error(`${path}: the column ${name} is missing or damaged`);
  return found;
}

/** Reads the data; throws (Error) naming what is wrong when the file is not this format. */
export function readAccelData(path = builtinDataPath()): AccelData {
  const { meta: rawMeta, columns } = readPack(path);
  const parsed = META.safeParse(rawMeta);
  if (!parsed.success) throw new Error(`${path} is not Accel-NASBench data of format ${DATA_FORMAT.format} (${parsed.error.issues[0]?.message ?? "bad header"})`);
  const meta = parsed.data;
  const expected = Object.entries(CHOICES).sort(([a], [b]) => (a < b ? -1 : 1));
  if (JSON.stringify(meta.choices) !== JSON.stringify(expected)) throw new Error(`${path}: its surrogates were fitted on other choices than the space's`);
  const surrogates = Object.fromEntries(
    meta.surrogates.map((info) => {
      const names = treeColumns(info.name);
      const ensemble = new TreeEnsemble(column(columns, names.nodes, Uint8Array, undefined, path), column(columns, names.leaf, Float32Array, undefined, path), info.baseScore, CHOICE_COUNT);
      if (ensemble.trees !== info.trees) throw new Error(`${path}: the ${info.name} surrogate has ${ensemble.trees} trees, its header says ${info.trees}`);
      return [info.name, ensemble];
    }),
  ) as Record<Quantity, TreeEnsemble>;
  if (Object.keys(surrogates).length !== QUANTITIES.length) throw new Error(`${path}: a surrogate is listed twice`);
  const records = meta.records;
  const measured: Measured = {
    files: column(columns, measuredColumn("file"), Uint16Array, records, path),
    archs: column(columns, measuredColumn("arch"), Uint8Array, records * CHOICE_COUNT, path),
    split: column(columns, measuredColumn("split"), Uint8Array, records, path),
    values: Object.fromEntries([...QUANTITIES, ...EXTRA_MEASURES].map((name) => [name, column(columns, measuredColumn(name), Float64Array, records, path)])) as Measured["values"],
  };
  return { meta, surrogates, measured };
}
