/**
 * The NAS-Bench-101 table format: gzip-compressed UTF-8 CSV, one row per unique cell in ascending
 * hash order, no quoting (no field contains a comma). The shared data file has the required
 * columns; a table imported from an official .tfrecord adds the optional ones.
 *
 * Floats are written as shortest round-trip decimals (Python's repr, JavaScript's String), so
 * they parse back to the exact float64.
 */

import type { Catalogue } from "../catalogue.js";

/** A table in memory, whichever form it was read from (the CSV, a data pack, the binary cache). */
export interface Table {
  readonly catalogue: Catalogue;
  readonly trainableParameters: Int32Array;
  /** Every metric column the file has (the required test accuracies, plus imported ones). */
  readonly metrics: ReadonlyMap<MetricColumn, Float64Array>;
}

/** File names looked for in a data directory, best first: an imported table, the shared CSV, a data pack. */
export const TABLE_FILES = ["nasbench101_108.csv.gz", "nasbench101_108_test.csv.gz", "nasbench101.bin"] as const;

/** Data packs (util/dataPack.ts) are told from CSV tables by their extension. */
export const PACK_EXTENSION = ".bin";

export const REQUIRED_COLUMNS = [
  "index",
  "hash",
  "num_vertices",
  /** Row-major V x V 0/1 string of the canonical matrix (the tfrecord's raw_adjacency). */
  "adjacency",
  /** V op names joined by "|". */
  "ops",
  "trainable_parameters",
  "test_accuracy_mean_108",
  "test_accuracy_repeat0_108",
] as const;

/** Columns only an official import provides (per repeat and mean over the 3 repeats). */
export const OPTIONAL_COLUMNS = [
  "test_accuracy_repeat1_108",
  "test_accuracy_repeat2_108",
  "validation_accuracy_mean_108",
  "validation_accuracy_repeat0_108",
  "validation_accuracy_repeat1_108",
  "validation_accuracy_repeat2_108",
  "train_accuracy_mean_108",
  "training_time_mean_108",
  "training_time_repeat0_108",
  "training_time_repeat1_108",
  "training_time_repeat2_108",
] as const;

export type RequiredColumn = (typeof REQUIRED_COLUMNS)[number];
export type OptionalColumn = (typeof OPTIONAL_COLUMNS)[number];
/** The required columns that hold per-cell metrics. */
export const REQUIRED_METRIC_COLUMNS = ["test_accuracy_mean_108", "test_accuracy_repeat0_108"] as const satisfies readonly RequiredColumn[];
export type MetricColumn = (typeof REQUIRED_METRIC_COLUMNS)[number] | OptionalColumn;
