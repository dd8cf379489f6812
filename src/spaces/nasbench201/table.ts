/**
 * The NAS-Bench-201 table that ships with prednas (data/nasbench201/nasbench201.bin): for each of
 * the 15,625 cells in the official index order, its operations and, per dataset, the 200-epoch
 * validation and test accuracy (mean over the benchmark's trials, in percent), the parameter
 * count (millions) and the benchmark's simulated training time (seconds), bit for bit as in the
 * shared `nasbench201_all.csv.gz`.
 *
 * One release throughout: NATS-Bench tss (NATS-tss-v1_0-3ffb9), as papers since 2021 query it.
 * Validation and test follow NASLib's convention: CIFAR-10 validation is cifar10-valid x-valid
 * (trained on the 25k train half) and its test is cifar10 ori-test (trained on train+valid);
 * CIFAR-100 and ImageNet16-120 use x-valid and x-test (NATS derives x-valid exactly as
 * 2 x valtest - x-test: the two halves are evaluated on the same weights). Parameters are counted
 * on the built network (`params_M_*_counted`, which 150 cells' stored figures disagree with; see
 * the data's PROVENANCE.md).
 */
import { join } from "node:path";
import { readPack } from "../../util/dataPack.js";
import { projectRoot } from "../../util/files.js";

export const DATASETS = ["cifar10", "cifar100", "imagenet16-120"] as const;
export type Dataset = (typeof DATASETS)[number];

export const CELL_COUNT = 15_625;

/** The per-dataset quantities of the table. */
export const QUANTITIES = ["validation", "test", "parameters", "train-time"] as const;
export type Quantity = (typeof QUANTITIES)[number];

/** Where each shipped column comes from in the shared `nasbench201_all.csv.gz`. */
export const SOURCE_COLUMNS: Readonly<Record<Dataset, Readonly<Record<Quantity, string>>>> = {
  cifar10: {
    validation: "nats_cifar10valid_xvalid_acc_200ep_mean",
    test: "nats_cifar10_oritest_acc_200ep_mean",
    parameters: "params_M_cifar10_counted",
    "train-time": "nats_cifar10valid_train_time_200ep_s",
  },
  cifar100: {
    validation: "nats_cifar100_xvalid_acc_200ep_mean_derived",
    test: "nats_cifar100_xtest_acc_200ep_mean",
    parameters: "params_M_cifar100_counted",
    "train-time": "nats_cifar100_train_time_200ep_s",
  },
  "imagenet16-120": {
    validation: "nats_imagenet16_xvalid_acc_200ep_mean_derived",
    test: "nats_imagenet16_xtest_acc_200ep_mean",
    parameters: "params_M_imagenet16_counted",
    "train-time": "nats_imagenet16_train_time_200ep_s",
  },
};

export const TABLE_FORMAT = { kind: "nasbench201-table", format: 1 };

export interface Nasbench201Table {
  /** Per cell, its six operation codes in arch-string edge order as one base-5 number (first edge most significant). */
  readonly opCodes: Uint16Array;
  readonly values: Readonly<Record<Dataset, Readonly<Record<Quantity, Float64Array>>>>;
}

/** The shipped table's file. */
export function builtinTablePath(): string {
  return join(projectRoot(), "data", "nasbench201", "nasbench201.bin");
}

export function columnName(dataset: Dataset, quantity: Quantity): string {
  return `${dataset}:${quantity}`;
}

export function readNasbench201Table(path = builtinTablePath()): Nasbench201Table {
  const { meta, columns } = readPack(path);
  if (JSON.stringify(meta) !== JSON.stringify(TABLE_FORMAT)) throw new Error(`${path} is not a NAS-Bench-201 table of format ${TABLE_FORMAT.format}`);
  const { opCodes } = columns;
  if (!(opCodes instanceof Uint16Array) || opCodes.length !== CELL_COUNT) throw new Error(`${path}: the operation column is damaged`);
  const values = Object.fromEntries(
    DATASETS.map((dataset) => [
      dataset,
      Object.fromEntries(
        QUANTITIES.map((quantity) => {
          const column = columns[columnName(dataset, quantity)];
          if (!(column instanceof Float64Array) || column.length !== CELL_COUNT) throw new Error(`${path}: the column ${columnName(dataset, quantity)} is damaged`);
          return [quantity, column];
        }),
      ),
    ]),
  ) as Nasbench201Table["values"];
  return { opCodes, values };
}
