/**
 * Reading a NAS-Bench-101 table (see tableFormat.ts) into columns, with a binary cache.
 *
 * The CSV is parsed by hand rather than with a CSV library: the format has no quoting by
 * construction, and a split on commas is both exact and the difference between ~1.5 s and
 * several seconds for 423,624 rows on the first load.
 */
import { createHash } from "node:crypto";
import { readFileSync, realpathSync, statSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { loadOrBuild } from "../../../util/cache.js";
import type { Column } from "../../../util/columns.js";
import { InputError } from "../../../util/errors.js";
import { cachePath } from "../../../util/files.js";
import { Catalogue, edgeMaskFromMatrix, packLabels } from "../catalogue.js";
import { hexToHash } from "../../cell/hash.js";
import { MAX_VERTICES, opLabel } from "../ops.js";
import { readTablePack } from "./tablePack.js";
import { OPTIONAL_COLUMNS, PACK_EXTENSION, REQUIRED_COLUMNS, REQUIRED_METRIC_COLUMNS, type MetricColumn, type Table } from "./tableFormat.js";

export interface LoadedTable {
  readonly table: Table;
  /** How it was obtained: read from the cache, or parsed from the CSV (and why). */
  readonly cache: "hit" | "missing" | "corrupt" | "stale";
}

const FORMAT = 1;

/** Loads a table, from the binary cache when it is valid for this exact source file. */
export async function loadTable(tablePath: string): Promise<LoadedTable> {
  const real = realpathSync(tablePath);
  const { size, mtimeMs } = statSync(real);
  const identity = { kind: "nasbench101-table", format: FORMAT, source: real, size, mtimeMs };
  const name = createHash("sha1").update(real).digest("hex").slice(0, 16);
  const outcome = await loadOrBuild({
    path: cachePath(`nasbench101-table-${name}.cols`),
    identity,
    decode: decodeTable,
    build: () => encodeTable(real.endsWith(PACK_EXTENSION) ? readPackedTable(real) : parseTable(readFileSync(real), tablePath)),
  });
  return { table: outcome.value, cache: outcome.rebuilt ?? "hit" };
}

/** A table from a data pack; a damaged pack is a user error naming the file. */
function readPackedTable(path: string): Table {
  try {
    return readTablePack(path);
  } catch (error) {
    throw new InputError(`${path} cannot be read as a NAS-Bench-101 data pack (${(error as Error).message}); reinstall prednas if it is the built-in table`);
  }
}

function encodeTable(table: Table): Record<string, Column> {
  const columns: Record<string, Column> = { ...table.catalogue.columns, trainable_parameters: table.trainableParameters };
  for (const [name, values] of table.metrics) columns[name] = values;
  return columns;
}

function decodeTable(columns: Record<string, Column>): Table {
  const catalogue = Catalogue.fromColumnRecord(columns);
  const params = columns.trainable_parameters;
  if (!(params instanceof Int32Array) || params.length !== catalogue.size) throw new Error("bad parameter column");
  const metrics = new Map<MetricColumn, Float64Array>();
  for (const name of [...REQUIRED_METRIC_COLUMNS, ...OPTIONAL_COLUMNS]) {
    const column = columns[name];
    if (column === undefined) continue;
    if (!(column instanceof Float64Array) || column.length !== catalogue.size) throw new Error(`bad column ${name}`);
    metrics.set(name, column);
  }
  if (!metrics.has("test_accuracy_mean_108")) throw new Error("the cache has no test accuracy");
  return { catalogue, trainableParameters: params, metrics };
}

/** The values a metric column can take: accuracies are fractions, times are not negative. */
function metricRange(column: MetricColumn): readonly [number, number] {
  return column.includes("accuracy") ? [0, 1] : [0, Number.POSITIVE_INFINITY];
}

/** Parses gzip-compressed (or plain) CSV bytes; `where` names the file in error messages. */
export function parseTable(bytes: Uint8Array, where: string): Table {
  const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
  let text: string;
  try {
    text = (gzipped ? gunzipSync(bytes) : Buffer.from(bytes)).toString("utf8");
  } catch (error) {
    throw new InputError(`${where}: cannot decompress the table (${(error as Error).message}); the file is damaged or not gzip`);
  }
  let end = text.indexOf("\n");
  if (end < 0) end = text.length;
  const header = text.slice(0, end).trim().split(",");
  const position = new Map(header.map((name, i) => [name, i]));
  const missing = REQUIRED_COLUMNS.filter((name) => !position.has(name));
  if (missing.length > 0) throw new InputError(`${where}: the header lacks the column(s) ${missing.join(", ")}`);
  const metricNames = [...REQUIRED_METRIC_COLUMNS, ...OPTIONAL_COLUMNS].filter((name) => position.has(name)) as MetricColumn[];
  const metricPositions = metricNames.map((name) => position.get(name)!);
  const paramsAt = position.get("trainable_parameters")!;
  const [indexAt, hashAt, verticesAt, adjacencyAt, opsAt] = ["index", "hash", "num_vertices", "adjacency", "ops"].map((name) => position.get(name)!) as [
    number,
    number,
    number,
    number,
    number,
  ];

  const keys: number[] = [];
  const vertices: number[] = [];
  const masks: number[] = [];
  const labels: number[] = [];
  const params: number[] = [];
  const metrics = metricNames.map(() => [] as number[]);
  const labelBuffer = new Int8Array(MAX_VERTICES);
  const key = new Uint32Array(4);
  let line = 1;
  let start = end + 1;
  while (start < text.length) {
    end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    line++;
    const row = text.slice(start, end).replace(/\r$/, "");
    start = end + 1;
    if (row === "") continue;
    const fields = row.split(",");
    const fail = (what: string): never => {
      throw new InputError(`${where}, line ${line}: ${what}`);
    };
    if (fields.length !== header.length) fail(`expected ${header.length} fields, found ${fields.length}`);
    const rowIndex = vertices.length;
    if (Number(fields[indexAt]) !== rowIndex) fail(`index is ${fields[indexAt]}, expected ${rowIndex} (rows must be in order)`);
    if (hexToHash(fields[hashAt]!, key) === undefined) fail(`hash '${fields[hashAt]}' is not 32 hex digits`);
    const n = Number(fields[verticesAt]);
    if (!Number.isInteger(n) || n < 2 || n > MAX_VERTICES) fail(`num_vertices '${fields[verticesAt]}' is not in 2..${MAX_VERTICES}`);
    const adjacency = fields[adjacencyAt]!;
    if (adjacency.length !== n * n || !/^[01]+$/.test(adjacency)) fail(`adjacency must be ${n * n} characters of 0/1`);
    const ops = fields[opsAt]!.split("|");
    if (ops.length !== n) fail(`ops has ${ops.length} names for ${n} vertices`);
    ops.forEach((op, v) => {
      const label = opLabel(op);
      if (label === undefined) fail(`unknown op '${op}'`);
      labelBuffer[v] = label!;
    });
    if (labelBuffer[0] !== -1 || labelBuffer[n - 1] !== -2) fail("ops must start with input and end with output");
    keys.push(key[0]!, key[1]!, key[2]!, key[3]!);
    vertices.push(n);
    masks.push(edgeMaskFromMatrix(Array.from(adjacency, (ch) => (ch === "1" ? 1 : 0)), n));
    labels.push(packLabels(labelBuffer, n));
    const paramCount = Number(fields[paramsAt]);
    if (!Number.isInteger(paramCount) || paramCount < 0) fail(`trainable_parameters '${fields[paramsAt]}' is not a count`);
    params.push(paramCount);
    metricPositions.forEach((at, m) => {
      const value = Number(fields[at]);
      if (fields[at] === "" || !Number.isFinite(value)) fail(`${metricNames[m]} '${fields[at]}' is not a number`);
      const [low, high] = metricRange(metricNames[m]!);
      if (value < low || value > high) fail(`${metricNames[m]} ${fields[at]} is outside [${low}, ${high}]${high === 1 ? " (accuracies are fractions)" : ""}`);
      metrics[m]!.push(value);
    });
  }
  if (vertices.length === 0) throw new InputError(`${where}: the table has no rows`);
  let catalogue: Catalogue;
  try {
    catalogue = new Catalogue({
      keys: Uint32Array.from(keys),
      vertices: Uint8Array.from(vertices),
      edgeMasks: Uint32Array.from(masks),
      labels: Uint16Array.from(labels),
    });
  } catch (error) {
    throw new InputError(`${where}: ${(error as Error).message} (rows must be in strictly ascending hash order)`);
  }
  return {
    catalogue,
    trainableParameters: Int32Array.from(params),
    metrics: new Map(metricNames.map((name, m) => [name, Float64Array.from(metrics[m]!)])),
  };
}
