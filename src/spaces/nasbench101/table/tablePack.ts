/**
 * The NAS-Bench-101 table that ships with prednas (data/nasbench101/nasbench101.bin): every
 * value of the shared table `nasbench101_108_test.csv.gz`, bit for bit, in a data pack
 * (util/dataPack.ts) of 8 MB instead of 20.
 *
 * Columns: the hashes as the deltas of their first 32-bit word (the rows are in hash order, so
 * these are small) plus the other three words; the canonical specs as a table of the 2,494 graph
 * shapes (vertex count and edge mask) with a 16-bit shape index and the packed labels per row;
 * both accuracies as tables of distinct values with a 16-bit index per row (15,171 means, 2,904
 * repeat-0 values). Parameters are not stored: they are computed from the cells, exactly
 * (nasbench101/parameters.ts). Hashes take 5.9 MB of the 8.3: MD5s do not compress.
 */
import { join } from "node:path";
import { fromDeltas, fromValueTable, readPack, toDeltas, toValueTable, writePack } from "../../../util/dataPack.js";
import type { Column } from "../../../util/columns.js";
import { projectRoot } from "../../../util/files.js";
import { Catalogue } from "../catalogue.js";
import { trainableParameterColumn } from "../parameters.js";
import type { Table } from "./tableFormat.js";
import type { MetricColumn } from "./tableFormat.js";

const FORMAT = { kind: "nasbench101-table", format: 1 };

/** The shipped table's file. */
export function builtinTablePath(): string {
  return join(projectRoot(), "data", "nasbench101", "nasbench101.bin");
}

export function packTable(table: Table): Record<string, Column> {
  const { keys, vertices, edgeMasks, labels } = table.catalogue.columns;
  const size = table.catalogue.size;
  const computed = trainableParameterColumn(table.catalogue.columns);
  const wrong = computed.findIndex((count, i) => count !== table.trainableParameters[i]);
  if (wrong >= 0) throw new Error(`row ${wrong}: the table's parameter count differs from the cell's (${table.trainableParameters[wrong]} against ${computed[wrong]})`);
  const head = new Uint32Array(size);
  const tail = new Uint32Array(3 * size);
  for (let i = 0; i < size; i++) {
    head[i] = keys[4 * i]!;
    tail.set(keys.subarray(4 * i + 1, 4 * i + 4), 3 * i);
  }
  const shapes = toValueTable(Float64Array.from(vertices, (n, i) => edgeMasks[i]! * 8 + n));
  const columns: Record<string, Column> = {
    keyHeadDeltas: toDeltas(head),
    keyTail: tail,
    shapeVertices: Uint8Array.from(shapes.values, (shape) => shape % 8),
    shapeEdgeMasks: Uint32Array.from(shapes.values, (shape) => Math.floor(shape / 8)),
    shapeIndex: shapes.index,
    labels,
  };
  for (const [name, values] of table.metrics) {
    const coded = toValueTable(values);
    columns[`${name}:values`] = coded.values;
    columns[`${name}:index`] = coded.index;
  }
  return columns;
}

export function unpackTable(columns: Record<string, Column>, where: string): Table {
  const { keyHeadDeltas, keyTail, shapeVertices, shapeEdgeMasks, shapeIndex, labels } = columns;
  if (
    !(keyHeadDeltas instanceof Uint8Array && keyTail instanceof Uint32Array && shapeVertices instanceof Uint8Array && shapeEdgeMasks instanceof Uint32Array) ||
    !(shapeIndex instanceof Uint16Array && labels instanceof Uint16Array) ||
    keyTail.length !== 3 * labels.length ||
    shapeIndex.length !== labels.length
  ) {
    throw new Error(`${where}: the columns of the table are missing or of the wrong type`);
  }
  const size = labels.length;
  const head = fromDeltas(keyHeadDeltas, size);
  const keys = new Uint32Array(4 * size);
  const vertices = new Uint8Array(size);
  const edgeMasks = new Uint32Array(size);
  for (let i = 0; i < size; i++) {
    keys[4 * i] = head[i]!;
    keys.set(keyTail.subarray(3 * i, 3 * i + 3), 4 * i + 1);
    const shape = shapeIndex[i]!;
    if (shape >= shapeVertices.length) throw new Error(`${where}: row ${i} points outside the shape table`);
    vertices[i] = shapeVertices[shape]!;
    edgeMasks[i] = shapeEdgeMasks[shape]!;
  }
  const metrics = new Map<MetricColumn, Float64Array>();
  for (const name of Object.keys(columns)) {
    if (!name.endsWith(":values")) continue;
    const metric = name.slice(0, -":values".length) as MetricColumn;
    const values = columns[name];
    const index = columns[`${metric}:index`];
    if (!(values instanceof Float64Array) || !(index instanceof Uint16Array) || index.length !== size) throw new Error(`${where}: the column ${metric} is damaged`);
    metrics.set(metric, fromValueTable(values, index));
  }
  const catalogue = new Catalogue({ keys, vertices, edgeMasks, labels });
  return { catalogue, trainableParameters: trainableParameterColumn(catalogue.columns), metrics };
}

export function writeTablePack(path: string, table: Table): void {
  writePack(path, FORMAT, packTable(table));
}

export function readTablePack(path = builtinTablePath()): Table {
  const { meta, columns } = readPack(path);
  if (JSON.stringify(meta) !== JSON.stringify(FORMAT)) throw new Error(`${path} is not a NAS-Bench-101 table of format ${FORMAT.format}`);
  return unpackTable(columns, path);
}
