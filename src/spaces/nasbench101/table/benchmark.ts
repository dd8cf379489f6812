/**
 * The NAS-Bench-101 tabular benchmark: "how good is this cell?" answered from the real data.
 *
 * Cells are rows of the table in hash order (the catalogue index). `query` accepts any form of a
 * cell (unpruned, any vertex order) since it prunes and hashes it first, as the official API does.
 */
import { InputError } from "../../../util/errors.js";
import { SPACE_SIZE, type Catalogue } from "../catalogue.js";
import { warn } from "../../../util/warnings.js";
import { MetricColumn } from "../../metricStats.js";
import { ModelSpec, type CellSpec } from "../../cell/spec.js";
import { locateTable, type DataLocation } from "./locate.js";
import { METRICS, METRIC_NAMES, type MetricName } from "./metrics.js";
import { loadTable, type LoadedTable } from "./table.js";
import type { Table } from "./tableFormat.js";
import { NASBENCH101_RULES } from "../ops.js";

export interface QueryResult {
  readonly index: number;
  readonly hash: string;
  /** The canonical (data table) form of the cell. */
  readonly spec: CellSpec;
  readonly trainableParameters: number;
  readonly testAccuracyMean: number;
  readonly testAccuracyRepeat0: number;
  /** Present only in data imported from the official file. */
  readonly validationAccuracyMean?: number;
  readonly validationAccuracyRepeat0?: number;
  readonly trainingTimeMean?: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface MetricStats {
  readonly metric: MetricName;
  readonly count: number;
  readonly best: { readonly index: number; readonly hash: string; readonly value: number };
  readonly mean: number;
  readonly min: number;
  /** Linear-interpolation quantiles (NumPy's default) at 1%, 10%, 25%, 50%, 75%, 90%, 99%. */
  readonly quantiles: Readonly<Record<string, number>>;
}

export interface BenchmarkSource extends DataLocation {
  readonly cache: LoadedTable["cache"];
}

export class Nasbench101Benchmark {
  readonly catalogue: Catalogue;
  private readonly columns = new Map<MetricName, MetricColumn>();

  constructor(
    readonly table: Table,
    readonly source?: BenchmarkSource,
  ) {
    this.catalogue = table.catalogue;
  }

  /** Locates (see locate.ts) and loads the table, through the binary cache. */
  static async load(options: { data?: string } = {}): Promise<Nasbench101Benchmark> {
    const location = locateTable(options.data);
    const { table, cache } = await loadTable(location.tablePath);
    if (table.catalogue.size !== SPACE_SIZE) {
      warn(
        `the table ${location.tablePath} holds ${table.catalogue.size.toLocaleString("en")} cells, not the whole space of ${SPACE_SIZE.toLocaleString("en")}: ` +
          "searches, samples and statistics cover only its cells",
      );
    }
    return new Nasbench101Benchmark(table, { ...location, cache });
  }

  get size(): number {
    return this.catalogue.size;
  }

  has(metric: MetricName): boolean {
    return this.table.metrics.has(METRICS[metric].column);
  }

  /** The metrics this data has. */
  available(): MetricName[] {
    return METRIC_NAMES.filter((name) => this.has(name));
  }

  /** All values of a metric, by cell index. */
  values(metric: MetricName): Float64Array {
    const column = this.table.metrics.get(METRICS[metric].column);
    if (column === undefined) {
      throw new InputError(
        `this data has no ${METRICS[metric].label}: the NAS-Bench-101 table in use holds test accuracy only ` +
          `(available: ${this.available().join(", ")}). Import the official nasbench_only108.tfrecord with ` +
          "'prednas bench import' to get validation accuracy and training time.",
      );
    }
    return column;
  }

  value(index: number, metric: MetricName): number {
    this.checkIndex(index);
    return this.values(metric)[index]!;
  }

  /** The index of a cell given in any form; throws for an invalid spec or a cell not in the data. */
  indexOf(spec: ModelSpec | CellSpec): number {
    const index = this.catalogue.indexOfSpec(spec instanceof ModelSpec ? spec : ModelSpec.from(spec.matrix, spec.ops, NASBENCH101_RULES));
    if (index < 0) throw new InputError("the cell is valid but not in this data (the table does not cover the whole space)");
    return index;
  }

  query(spec: ModelSpec | CellSpec): QueryResult {
    return this.queryIndex(this.indexOf(spec));
  }

  queryIndex(index: number): QueryResult {
    this.checkIndex(index);
    const result: Mutable<QueryResult> = {
      index,
      hash: this.catalogue.hash(index),
      spec: this.catalogue.cellSpec(index),
      trainableParameters: this.table.trainableParameters[index]!,
      testAccuracyMean: this.values("test-mean")[index]!,
      testAccuracyRepeat0: this.values("test-repeat0")[index]!,
    };
    if (this.has("validation-mean")) result.validationAccuracyMean = this.values("validation-mean")[index]!;
    if (this.has("validation-repeat0")) result.validationAccuracyRepeat0 = this.values("validation-repeat0")[index]!;
    if (this.has("training-time-mean")) result.trainingTimeMean = this.values("training-time-mean")[index]!;
    return result;
  }

  /** A metric's column, with its statistics (sorted once). */
  column(metric: MetricName): MetricColumn {
    let column = this.columns.get(metric);
    if (column === undefined) {
      column = new MetricColumn(this.values(metric));
      this.columns.set(metric, column);
    }
    return column;
  }

  /** 1 + the number of cells strictly better than this one (ties share the better rank). */
  rank(index: number, metric: MetricName = "test-mean"): number {
    this.checkIndex(index);
    return this.column(metric).rank(index);
  }

  /** The indices of the n best cells, best first (ties in index order). */
  top(n: number, metric: MetricName = "test-mean"): number[] {
    return this.column(metric).top(n);
  }

  stats(metric: MetricName = "test-mean"): MetricStats {
    const summary = this.column(metric).summary();
    return { metric, ...summary, best: { ...summary.best, hash: this.catalogue.hash(summary.best.index) } };
  }

  private checkIndex(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) {
      throw new InputError(`cell index ${index} is outside the data (0..${this.size - 1})`);
    }
  }
}
