/**
 * Importing the official NAS-Bench-101 file (`nasbench_only108.tfrecord` or
 * `nasbench_full.tfrecord`) into the table format of tableFormat.ts, with every optional column.
 *
 * Each official record is one training run: UTF-8 JSON
 *   [module_hash, epochs, raw_adjacency, raw_operations, base64(ModelMetrics)]
 * and a cell has three runs (repeats) per budget. Only the 108-epoch runs are kept; the table
 * gets one row per cell with the three repeats' end-of-training metrics and their means.
 *
 * The import is all-or-nothing. Everything is read and checked first (framing, JSON, protobuf,
 * the official hash recomputed from the spec, the repeat count); only then is the table written,
 * to a temporary file renamed into place, so a damaged or wrong input leaves the previous table
 * untouched. Memory holds one small aggregate per cell, never the file.
 */
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync, readFileSync } from "node:fs";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { InputError } from "../../../util/errors.js";
import { ensureWritableDirectory, writeFileAtomic } from "../../../util/files.js";
import { ModelSpec } from "../../cell/spec.js";
import { decodeModelMetrics, type ModelMetrics } from "./modelMetrics.js";
import { OPTIONAL_COLUMNS, REQUIRED_COLUMNS, TABLE_FILES, type OptionalColumn, type RequiredColumn } from "./tableFormat.js";
import { readTfRecords, TfRecordError } from "./tfrecord.js";
import { NASBENCH101_RULES } from "../ops.js";

export const IMPORT_TABLE_FILE = TABLE_FILES[0];
export const PROVENANCE_FILE = "PROVENANCE.md";
const EPOCHS = 108;
const REPEATS = 3;
/** evaluation_data[FINAL] is the end-of-training evaluation (0: start, 1: halfway). */
const FINAL = 2;

export interface ImportOptions {
  /** Called after each chunk read, with the bytes read so far and the file size. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

export interface ImportSummary {
  /** The input file (absolute path), its size and SHA-256. */
  readonly source: string;
  readonly sourceBytes: number;
  readonly sha256: string;
  /** Records in the file, of every budget. */
  readonly recordsRead: number;
  /** Records at 108 epochs: the ones the table is made of. */
  readonly recordsUsed: number;
  /** Records skipped, by their epoch budget. */
  readonly recordsSkipped: Readonly<Record<number, number>>;
  readonly cells: number;
  readonly tablePath: string;
  readonly provenancePath: string;
  readonly columns: readonly string[];
}

/** Per-repeat metrics kept per cell, in this order, REPEATS values each. */
const TEST = 0;
const VALIDATION = 1;
const TRAIN = 2;
const TIME = 3;
const SLOT_FLOATS = 4 * REPEATS;

/**
 * Per-cell aggregates in flat growable columns: for 423,624 cells, a few typed arrays cost a few
 * tens of MB where one object (with arrays) per cell would cost several times that.
 */
class Cells {
  readonly slots = new Map<string, number>();
  adjacency: string[] = [];
  ops: string[] = [];
  params = new Int32Array(1024);
  repeats = new Uint8Array(1024);
  firstOffset = new Float64Array(1024);
  values = new Float64Array(1024 * SLOT_FLOATS);
  /** The official files repeat a few hundred op lists and adjacency strings many times over. */
  private readonly interned = new Map<string, string>();

  get size(): number {
    return this.slots.size;
  }

  add(hash: string, adjacency: string, ops: string, params: number, offset: number): number {
    const slot = this.slots.size;
    if (slot === this.params.length) this.grow();
    this.slots.set(hash, slot);
    this.adjacency.push(this.intern(adjacency));
    this.ops.push(this.intern(ops));
    this.params[slot] = params;
    this.firstOffset[slot] = offset;
    return slot;
  }

  private intern(text: string): string {
    const known = this.interned.get(text);
    if (known !== undefined) return known;
    this.interned.set(text, text);
    return text;
  }

  private grow(): void {
    const capacity = this.params.length * 2;
    const widen = <T extends Int32Array | Uint8Array | Float64Array>(old: T, make: (n: number) => T, per = 1): T => {
      const next = make(capacity * per);
      next.set(old);
      return next;
    };
    this.params = widen(this.params, (n) => new Int32Array(n));
    this.repeats = widen(this.repeats, (n) => new Uint8Array(n));
    this.firstOffset = widen(this.firstOffset, (n) => new Float64Array(n));
    this.values = widen(this.values, (n) => new Float64Array(n), SLOT_FLOATS);
  }

  value(slot: number, metric: number, repeat: number): number {
    return this.values[slot * SLOT_FLOATS + metric * REPEATS + repeat]!;
  }

  mean(slot: number, metric: number): number {
    const at = slot * SLOT_FLOATS + metric * REPEATS;
    return (this.values[at]! + this.values[at + 1]! + this.values[at + 2]!) / 3;
  }
}

interface ParsedRecord {
  hash: string;
  epochs: number;
  adjacency: string;
  operations: string;
  metrics: string;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
const HASH_PATTERN = /^[0-9a-f]{32}$/;

function parseRecord(data: Uint8Array, fail: (problem: string) => never): ParsedRecord {
  let text: string;
  try {
    text = utf8.decode(data);
  } catch {
    return fail("the data is not valid UTF-8");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return fail(`the data is not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(value) || value.length !== 5) {
    return fail("the JSON must be an array [module_hash, epochs, raw_adjacency, raw_operations, raw_metrics]");
  }
  const [hash, epochs, adjacency, operations, metrics] = value as unknown[];
  if (typeof hash !== "string" || !HASH_PATTERN.test(hash)) fail(`module_hash must be 32 lowercase hex digits, got ${JSON.stringify(hash)}`);
  if (typeof epochs !== "number" || !Number.isSafeInteger(epochs) || epochs <= 0) fail(`epochs must be a positive integer, got ${JSON.stringify(epochs)}`);
  if (typeof adjacency !== "string") fail("raw_adjacency must be a string");
  if (typeof operations !== "string") fail("raw_operations must be a string");
  if (typeof metrics !== "string") fail("raw_metrics must be a base64 string");
  return { hash, epochs, adjacency, operations, metrics } as ParsedRecord;
}

/** The end-of-training metrics of one 108-epoch record, checked. */
function finalMetrics(record: ParsedRecord, fail: (problem: string) => never): { params: number; values: number[] } {
  // Node's base64 decoder silently skips characters outside the alphabet, so a damaged string
  // would decode to other bytes without complaint. Re-encoding must give the text back exactly
  // (what a standard padded encoder, as the official writer's, produces); this is ~3x cheaper
  // than a validating regular expression on 1.3 million records.
  const bytes = Buffer.from(record.metrics, "base64");
  if (bytes.toString("base64") !== record.metrics) fail("raw_metrics is not valid (padded, standard-alphabet) base64");
  let metrics: ModelMetrics;
  try {
    metrics = decodeModelMetrics(bytes);
  } catch (error) {
    return fail(`raw_metrics is not a valid ModelMetrics protobuf (${(error as Error).message})`);
  }
  const final = metrics.evaluationData[FINAL];
  if (final === undefined) fail(`ModelMetrics has ${metrics.evaluationData.length} evaluation_data entries; evaluation_data[${FINAL}] (end of training) is missing`);
  if (metrics.trainableParameters === undefined) fail("ModelMetrics has no trainable_parameters");
  if (metrics.trainableParameters! < 0) fail(`trainable_parameters is negative (${metrics.trainableParameters})`);
  const values = [final!.testAccuracy, final!.validationAccuracy, final!.trainAccuracy, final!.trainingTime];
  const names = ["test_accuracy", "validation_accuracy", "train_accuracy", "training_time"];
  values.forEach((value, i) => {
    if (value === undefined || !Number.isFinite(value)) fail(`evaluation_data[${FINAL}].${names[i]} is ${value === undefined ? "missing" : value}`);
  });
  return { params: metrics.trainableParameters!, values: values as number[] };
}

function checkShape(record: ParsedRecord, ops: readonly string[], fail: (problem: string) => never): void {
  const n = Math.round(Math.sqrt(record.adjacency.length));
  if (n * n !== record.adjacency.length || n < 2) fail(`raw_adjacency has ${record.adjacency.length} characters, not the square of a vertex count`);
  if (ops.length !== n) fail(`raw_operations has ${ops.length} ops for ${n} vertices`);
}

/**
 * Throws unless `hash` is the official hash of the cell, which must be stored pruned as the
 * official records store it (otherwise ops of pruned vertices would go unchecked into the table).
 */
function checkHash(hash: string, adjacency: string, ops: readonly string[], fail: (problem: string) => never): void {
  let computed: string;
  try {
    const spec = ModelSpec.from(adjacency, ops, NASBENCH101_RULES);
    computed = spec.hash();
    if (spec.vertices !== ops.length) fail(`the cell is not stored pruned: only ${spec.vertices} of its ${ops.length} vertices lie on an input-output path`);
  } catch (error) {
    if (error instanceof TfRecordError) throw error;
    return fail(`the cell (raw_adjacency, raw_operations) is invalid: ${(error as Error).message}`);
  }
  if (computed !== hash) fail(`module_hash ${hash} does not match the hash of the cell's adjacency and ops (${computed}): the record is corrupted`);
}

/** Reads and checks every record; returns the 108-epoch cells. */
async function readCells(
  file: string,
  name: string,
  size: number,
  sha256: ReturnType<typeof createHash>,
  onProgress?: (bytesRead: number, totalBytes: number) => void,
): Promise<{ cells: Cells; recordsRead: number; recordsUsed: number; skipped: Record<number, number> }> {
  let bytesRead = 0;
  async function* bytes(): AsyncGenerator<Uint8Array> {
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      sha256.update(chunk);
      bytesRead += chunk.length;
      onProgress?.(bytesRead, size);
      yield chunk;
    }
  }

  const cells = new Cells();
  const skipped: Record<number, number> = {};
  let recordsRead = 0;
  let recordsUsed = 0;
  for await (const { offset, data } of readTfRecords(bytes(), { name })) {
    recordsRead++;
    const fail = (problem: string): never => {
      throw new TfRecordError(name, offset, problem);
    };
    const record = parseRecord(data, fail);
    if (record.epochs !== EPOCHS) {
      skipped[record.epochs] = (skipped[record.epochs] ?? 0) + 1;
      continue;
    }
    recordsUsed++;
    const { params, values } = finalMetrics(record, fail);
    let slot = cells.slots.get(record.hash);
    if (slot === undefined) {
      const ops = record.operations.split(",");
      checkShape(record, ops, fail);
      checkHash(record.hash, record.adjacency, ops, fail);
      slot = cells.add(record.hash, record.adjacency, ops.join("|"), params, offset);
    } else {
      // Same adjacency and ops as the first repeat imply the same hash, checked once per cell.
      const first = cells.firstOffset[slot]!;
      if (record.adjacency !== cells.adjacency[slot] || record.operations.split(",").join("|") !== cells.ops[slot]) {
        fail(`raw_adjacency/raw_operations differ from the first record of cell ${record.hash} (at byte ${first})`);
      }
      if (params !== cells.params[slot]) {
        fail(`trainable_parameters ${params} differs from ${cells.params[slot]} in the first record of cell ${record.hash} (at byte ${first})`);
      }
      if (cells.repeats[slot]! >= REPEATS) {
        fail(`cell ${record.hash} has more than ${REPEATS} records at ${EPOCHS} epochs (the first is at byte ${first})`);
      }
    }
    const repeat = cells.repeats[slot]!++;
    for (let metric = 0; metric < values.length; metric++) cells.values[slot * SLOT_FLOATS + metric * REPEATS + repeat] = values[metric]!;
  }
  for (const [hash, slot] of cells.slots) {
    const count = cells.repeats[slot]!;
    if (count !== REPEATS) {
      throw new TfRecordError(
        name,
        cells.firstOffset[slot]!,
        `cell ${hash} has ${count} record(s) at ${EPOCHS} epochs, expected ${REPEATS} (the file is incomplete or not an official NAS-Bench-101 file)`,
      );
    }
  }
  if (cells.size === 0) throw new InputError(`${name}: no records at ${EPOCHS} epochs (${recordsRead} records read)`);
  return { cells, recordsRead, recordsUsed, skipped };
}

type Column = RequiredColumn | OptionalColumn;
/** Every column's text for a cell (slot) at a row; a Record so that a new column is a type error. */
const COLUMN_TEXT: Record<Column, (cells: Cells, slot: number, row: number, hash: string) => string> = {
  index: (_c, _s, row) => String(row),
  hash: (_c, _s, _r, hash) => hash,
  num_vertices: (c, s) => String(Math.round(Math.sqrt(c.adjacency[s]!.length))),
  adjacency: (c, s) => c.adjacency[s]!,
  ops: (c, s) => c.ops[s]!,
  trainable_parameters: (c, s) => String(c.params[s]),
  test_accuracy_mean_108: (c, s) => String(c.mean(s, TEST)),
  test_accuracy_repeat0_108: (c, s) => String(c.value(s, TEST, 0)),
  test_accuracy_repeat1_108: (c, s) => String(c.value(s, TEST, 1)),
  test_accuracy_repeat2_108: (c, s) => String(c.value(s, TEST, 2)),
  validation_accuracy_mean_108: (c, s) => String(c.mean(s, VALIDATION)),
  validation_accuracy_repeat0_108: (c, s) => String(c.value(s, VALIDATION, 0)),
  validation_accuracy_repeat1_108: (c, s) => String(c.value(s, VALIDATION, 1)),
  validation_accuracy_repeat2_108: (c, s) => String(c.value(s, VALIDATION, 2)),
  train_accuracy_mean_108: (c, s) => String(c.mean(s, TRAIN)),
  training_time_mean_108: (c, s) => String(c.mean(s, TIME)),
  training_time_repeat0_108: (c, s) => String(c.value(s, TIME, 0)),
  training_time_repeat1_108: (c, s) => String(c.value(s, TIME, 1)),
  training_time_repeat2_108: (c, s) => String(c.value(s, TIME, 2)),
};
const COLUMNS: readonly Column[] = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS];

function* csvText(cells: Cells): Generator<string> {
  yield `${COLUMNS.join(",")}\n`;
  const hashes = [...cells.slots.keys()].sort();
  const text = COLUMNS.map((column) => COLUMN_TEXT[column]);
  // Rows go to gzip in batches: one write per row would make the stream overhead dominate.
  const BATCH = 4096;
  for (let first = 0; first < hashes.length; first += BATCH) {
    let lines = "";
    const last = Math.min(first + BATCH, hashes.length);
    for (let row = first; row < last; row++) {
      const hash = hashes[row]!;
      const slot = cells.slots.get(hash)!;
      lines += `${text.map((cell) => cell(cells, slot, row, hash)).join(",")}\n`;
    }
    yield lines;
  }
}

/**
 * Writes the gzip table beside `path` and renames it over `path` when complete and flushed; on
 * any failure the temporary file is removed (same temp + fsync + rename scheme as
 * writeFileAtomic, which takes whole buffers while this one streams).
 */
async function writeTableAtomic(path: string, cells: Cells): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    await pipeline(Readable.from(csvText(cells)), createGzip(), createWriteStream(temporary));
    const handle = await open(temporary, "r+");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** The first line of the provenance an import writes: how a later import knows the files as its own. */
export const PROVENANCE_TITLE = "# NAS-Bench-101 table: provenance (written by prednas bench import)";

/**
 * Refuses, before the (long) read, a destination that cannot be written or that holds files an
 * import did not write: an import replaces only its own table and provenance.
 */
function checkDestination(directory: string): void {
  ensureWritableDirectory(directory, "the import directory");
  const provenance = join(directory, PROVENANCE_FILE);
  const ours = existsSync(provenance) && readFileSync(provenance, "utf8").startsWith(PROVENANCE_TITLE);
  for (const name of [PROVENANCE_FILE, IMPORT_TABLE_FILE]) {
    if (existsSync(join(directory, name)) && !ours) {
      throw new InputError(`${join(directory, name)} was not written by prednas bench import, which will not replace it: import into another directory (--out DIR)`);
    }
  }
}

function provenanceText(summary: Omit<ImportSummary, "provenancePath">, name: string, importedAt: Date): string {
  const skipped = Object.entries(summary.recordsSkipped)
    .map(([epochs, count]) => `${count} at ${epochs} epochs`)
    .join(", ");
  return [
    PROVENANCE_TITLE,
    "",
    `Imported by \`prednas bench import\` on ${importedAt.toISOString()}.`,
    "",
    `- Source: \`${name}\`, ${summary.sourceBytes} bytes, sha256 \`${summary.sha256}\``,
    `- Records read: ${summary.recordsRead}; used (${EPOCHS} epochs): ${summary.recordsUsed}; skipped: ${skipped || "none"}`,
    `- Cells written: ${summary.cells}, one row each in ascending hash order, to \`${basename(summary.tablePath)}\``,
    `- Metrics: end of training (evaluation_data[${FINAL}]) of each of the ${REPEATS} repeats at ${EPOCHS} epochs; means are (r0 + r1 + r2) / 3 in float64`,
    `- Columns: ${summary.columns.map((column) => `\`${column}\``).join(", ")}`,
    "",
  ].join("\n");
}

/**
 * Imports an official NAS-Bench-101 .tfrecord into `outDir/nasbench101_108.csv.gz` (and
 * `outDir/PROVENANCE.md`). Throws {@link InputError} (a {@link TfRecordError} naming the
 * record's byte offset where there is one) when the file is unreadable, damaged or not in the
 * official format; the output directory is then left as it was.
 */
export async function importOfficialTfrecord(file: string, outDir: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const directory = resolve(outDir);
  checkDestination(directory);
  const source = resolve(file);
  const name = basename(source);
  let size: number;
  try {
    const info = await stat(source);
    if (!info.isFile()) throw new InputError(`${file} is not a file`);
    size = info.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read ${file}: ${(error as Error).message}`);
  }
  const sha256 = createHash("sha256");
  let read: Awaited<ReturnType<typeof readCells>>;
  try {
    read = await readCells(source, name, size, sha256, options.onProgress);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read ${file}: ${(error as Error).message}`);
  }

  const tablePath = join(directory, IMPORT_TABLE_FILE);
  const provenancePath = join(directory, PROVENANCE_FILE);
  await mkdir(directory, { recursive: true });
  await writeTableAtomic(tablePath, read.cells);
  const summary: ImportSummary = {
    source,
    sourceBytes: size,
    sha256: sha256.digest("hex"),
    recordsRead: read.recordsRead,
    recordsUsed: read.recordsUsed,
    recordsSkipped: read.skipped,
    cells: read.cells.size,
    tablePath,
    provenancePath,
    columns: COLUMNS,
  };
  writeFileAtomic(provenancePath, provenanceText(summary, name, new Date()));
  return summary;
}
