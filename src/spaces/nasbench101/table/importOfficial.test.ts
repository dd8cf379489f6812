/**
 * The official-file import end to end: the real-values fixture, a many-cell file written here in
 * the official format, and one damaged or wrong record at a time (each must name its byte offset
 * and leave the output directory exactly as it was).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { Command } from "commander";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { InputError } from "../../../util/errors.js";
import { seededRng } from "../../../util/rng.js";
import { randomSpec } from "../../cell/sample.js";
import { matrixToString, ModelSpec } from "../../cell/spec.js";
import { registerBenchCommands } from "../../../cli/bench.js";
import { importOfficialTfrecord, IMPORT_TABLE_FILE, PROVENANCE_FILE, PROVENANCE_TITLE } from "./importOfficial.js";
import { importedDataDirectory } from "./locate.js";
import { encodeModelMetrics, type EvaluationData } from "./modelMetrics.js";
import { parseTable } from "./table.js";
import { OPTIONAL_COLUMNS, REQUIRED_COLUMNS } from "./tableFormat.js";
import { encodeTfRecord, TfRecordError } from "./tfrecord.js";
import { NASBENCH101_RULES } from "../ops.js";

const FIXTURES = new URL("../fixtures/", import.meta.url);
const FIXTURE = fileURLToPath(new URL("synthetic_official_format_00005c14_108.tfrecord", FIXTURES));
const scratch = mkdtempSync(join(tmpdir(), "prednas-import-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;
const fresh = (name: string): string => join(scratch, `${name}-${counter++}`);

interface Cell {
  hash: string;
  adjacency: string;
  ops: string[];
  params: number;
}

interface Run {
  test: number;
  validation: number;
  train: number;
  time: number;
}

/** Distinct real cells (pruned, as the official records store them), from the official sampler. */
function realCells(count: number, seed: number): Cell[] {
  const rng = seededRng(seed);
  const cells = new Map<string, Cell>();
  while (cells.size < count) {
    const spec = randomSpec(rng, NASBENCH101_RULES);
    const hash = spec.hash();
    cells.set(hash, { hash, adjacency: matrixToString(spec.matrix!), ops: [...spec.ops!], params: 200_000 + cells.size * 7919 });
  }
  return [...cells.values()];
}

/** Float32-rounded values, as NAS-Bench-101 stores them, different for every (cell, repeat). */
function runOf(cell: number, repeat: number): Run {
  const x = (cell * 3 + repeat + 1) / 1000;
  return { test: Math.fround(0.8 + x / 7), validation: Math.fround(0.81 + x / 9), train: Math.fround(0.99 + x / 1e4), time: Math.fround(1500 + x * 97) };
}

function metricsOf(cell: Cell, run: Run, evaluations = 3): string {
  const data: EvaluationData[] = [
    { currentEpoch: 0, trainingTime: 0 },
    { currentEpoch: 54, trainingTime: run.time / 2, trainAccuracy: 0.5, validationAccuracy: 0.5, testAccuracy: 0.5 },
    { currentEpoch: 108, trainingTime: run.time, trainAccuracy: run.train, validationAccuracy: run.validation, testAccuracy: run.test },
  ];
  return Buffer.from(encodeModelMetrics({ evaluationData: data.slice(0, evaluations), trainableParameters: cell.params, totalTime: run.time + 10 })).toString("base64");
}

/** The JSON text of an official record (Python's json.dumps layout). */
function recordJson(cell: Cell, epochs: number, metrics: string, overrides: Partial<{ hash: string; adjacency: string }> = {}): string {
  return JSON.stringify([overrides.hash ?? cell.hash, epochs, overrides.adjacency ?? cell.adjacency, cell.ops.join(","), metrics]).replaceAll('","', '", "').replace(/,(\d)/, ", $1");
}

/** Writes records (payload text or bytes) as a TFRecord file; returns the path and each record's offset. */
function writeRecords(payloads: readonly (string | Uint8Array)[], name = "records"): { path: string; offsets: number[] } {
  const path = `${fresh(name)}.tfrecord`;
  const offsets: number[] = [];
  let at = 0;
  const framed = payloads.map((payload) => {
    offsets.push(at);
    const bytes = encodeTfRecord(typeof payload === "string" ? Buffer.from(payload, "utf8") : payload);
    at += bytes.length;
    return bytes;
  });
  writeFileSync(path, Buffer.concat(framed));
  return { path, offsets };
}

function readCsv(dir: string): { header: string[]; rows: Record<string, string>[] } {
  const lines = gunzipSync(readFileSync(join(dir, IMPORT_TABLE_FILE))).toString("utf8").trimEnd().split("\n");
  const header = lines[0]!.split(",");
  const rows = lines.slice(1).map((line) => Object.fromEntries(line.split(",").map((value, i) => [header[i]!, value])));
  return { header, rows };
}

describe("importOfficialTfrecord", () => {
  it("imports the official-format fixture to one row with the known repeats", async () => {
    const known = JSON.parse(readFileSync(new URL("known_records.json", FIXTURES), "utf8")) as {
      records: { hash: string; module_operations: string[]; trainable_parameters: number; computed_stats?: Record<string, Record<string, number>[]> }[];
    };
    const record = known.records.find((r) => r.hash === "00005c142e6f48ac74fdcf73e3439874")!;
    const runs = record.computed_stats!["108"]!;
    const out = fresh("fixture");
    const progress: number[][] = [];
    const summary = await importOfficialTfrecord(FIXTURE, out, { onProgress: (done, total) => progress.push([done, total]) });
    expect(summary).toMatchObject({ recordsRead: 3, recordsUsed: 3, cells: 1, sourceBytes: 1095, tablePath: join(out, IMPORT_TABLE_FILE) });
    expect(summary.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(progress.at(-1)).toEqual([1095, 1095]);

    const { header, rows } = readCsv(out);
    expect(header).toEqual([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS]);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    const repeats = (metric: string): number[] => [0, 1, 2].map((r) => Number(row[`${metric}_repeat${r}_108`]));
    expect(repeats("test_accuracy")).toEqual([0.9211738705635071, 0.9190705418586731, 0.9215745329856873]);
    expect(repeats("test_accuracy")).toEqual(runs.map((run) => run.final_test_accuracy));
    expect(repeats("validation_accuracy")).toEqual(runs.map((run) => run.final_validation_accuracy));
    expect(repeats("training_time")).toEqual(runs.map((run) => run.final_training_time));
    const mean = (values: number[]): string => String((values[0]! + values[1]! + values[2]!) / 3);
    expect(row.test_accuracy_mean_108).toBe(mean(runs.map((run) => run.final_test_accuracy!)));
    // The same mean the shared test-accuracy table has for this cell (FreeREA's, computed in Python).
    expect(row.test_accuracy_mean_108).toBe("0.9206063151359558");
    expect(row.validation_accuracy_mean_108).toBe(mean(runs.map((run) => run.final_validation_accuracy!)));
    expect(row.train_accuracy_mean_108).toBe(mean(runs.map((run) => run.final_train_accuracy!)));
    expect(row).toMatchObject({
      index: "0",
      hash: record.hash,
      num_vertices: "7",
      adjacency: "0100110001000000010010000010000001000000010000000",
      ops: record.module_operations.join("|"),
      trainable_parameters: String(record.trainable_parameters),
    });
    const provenance = readFileSync(join(out, PROVENANCE_FILE), "utf8");
    expect(provenance).toContain("synthetic_official_format_00005c14_108.tfrecord");
    expect(provenance).toContain(summary.sha256);
    expect(readdirSync(out).sort()).toEqual([IMPORT_TABLE_FILE, PROVENANCE_FILE].sort());
  });

  it("imports many cells in hash order, skipping other budgets, into a table the loader reads", async () => {
    const cells = realCells(200, 7);
    const payloads: string[] = [];
    // Repeat-major and not in hash order, with 4-epoch runs interleaved, as a full file has.
    for (let repeat = 0; repeat < 3; repeat++) {
      cells.forEach((cell, i) => {
        payloads.push(recordJson(cell, 4, metricsOf(cell, { test: 0.1, validation: 0.1, train: 0.1, time: 1 })));
        payloads.push(recordJson(cell, 108, metricsOf(cell, runOf(i, repeat))));
      });
    }
    const { path } = writeRecords(payloads, "many");
    const out = fresh("many-out");
    const summary = await importOfficialTfrecord(path, out);
    expect(summary).toMatchObject({ recordsRead: 1200, recordsUsed: 600, recordsSkipped: { 4: 600 }, cells: 200 });

    const { rows } = readCsv(out);
    const order = cells.map((cell, i) => ({ cell, i })).sort((a, b) => (a.cell.hash < b.cell.hash ? -1 : 1));
    expect(rows.map((row) => row.hash)).toEqual(order.map(({ cell }) => cell.hash));
    rows.forEach((row, index) => {
      const { cell, i } = order[index]!;
      const runs = [0, 1, 2].map((repeat) => runOf(i, repeat));
      expect(row.index).toBe(String(index));
      expect(row.adjacency).toBe(cell.adjacency);
      expect(row.ops).toBe(cell.ops.join("|"));
      expect(row.num_vertices).toBe(String(cell.ops.length));
      expect(row.trainable_parameters).toBe(String(cell.params));
      expect(row.test_accuracy_repeat2_108).toBe(String(runs[2]!.test));
      expect(row.test_accuracy_mean_108).toBe(String((runs[0]!.test + runs[1]!.test + runs[2]!.test) / 3));
      expect(row.training_time_mean_108).toBe(String((runs[0]!.time + runs[1]!.time + runs[2]!.time) / 3));
    });

    const table = parseTable(readFileSync(join(out, IMPORT_TABLE_FILE)), "imported");
    expect(table.catalogue.size).toBe(200);
    expect([...table.metrics.keys()].sort()).toEqual(["test_accuracy_mean_108", "test_accuracy_repeat0_108", ...OPTIONAL_COLUMNS].sort());
  });

  describe("rejects a damaged or wrong file, naming the record, and leaves the output as it was", () => {
    const cells = realCells(4, 11);
    const good = (): string[] => cells.flatMap((cell, i) => [0, 1, 2].map((repeat) => recordJson(cell, 108, metricsOf(cell, runOf(i, repeat)))));
    const cell = cells[1]!;
    const run = runOf(1, 0);
    /** Index of the record replaced in `good()` by the cases below: the first of cells[1]. */
    const AT = 3;
    const out = fresh("existing");
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, IMPORT_TABLE_FILE), "previous table");
    // An earlier import's files: a failed import must leave them as they were.
    const previousProvenance = `${PROVENANCE_TITLE}\nprevious provenance`;
    writeFileSync(join(out, PROVENANCE_FILE), previousProvenance);

    afterEach(() => {
      expect(readdirSync(out).sort()).toEqual([IMPORT_TABLE_FILE, PROVENANCE_FILE].sort());
      expect(readFileSync(join(out, IMPORT_TABLE_FILE), "utf8")).toBe("previous table");
      expect(readFileSync(join(out, PROVENANCE_FILE), "utf8")).toBe(previousProvenance);
    });

    async function expectFailure(path: string, offset: number, problem: RegExp): Promise<void> {
      const error = await importOfficialTfrecord(path, out).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(TfRecordError);
      expect((error as TfRecordError).offset).toBe(offset);
      expect((error as Error).message).toContain(`record at byte ${offset}:`);
      expect((error as Error).message).toMatch(problem);
    }

    function withRecord(payload: string | Uint8Array): { path: string; offset: number } {
      const payloads: (string | Uint8Array)[] = good();
      payloads[AT] = payload;
      const { path, offsets } = writeRecords(payloads);
      return { path, offset: offsets[AT]! };
    }

    function damagedByte(position: (offset: number, next: number) => number): { path: string; offset: number } {
      const { path, offsets } = writeRecords(good());
      const bytes = readFileSync(path);
      bytes[position(offsets[AT]!, offsets[AT + 1]!)]! ^= 0x10;
      writeFileSync(path, bytes);
      return { path, offset: offsets[AT]! };
    }

    it.each([
      ["a length byte", (offset: number) => offset + 1, /length CRC mismatch/],
      ["the length CRC", (offset: number) => offset + 10, /length CRC mismatch/],
      ["a data byte", (offset: number) => offset + 40, /data CRC mismatch/],
      ["the data CRC", (_offset: number, next: number) => next - 2, /data CRC mismatch/],
    ])("corrupted %s", async (_what, position, problem) => {
      const { path, offset } = damagedByte(position);
      await expectFailure(path, offset, problem);
    });

    it("a truncated final record", async () => {
      const { path, offsets } = writeRecords(good());
      const bytes = readFileSync(path);
      writeFileSync(path, bytes.subarray(0, bytes.length - 5));
      await expectFailure(path, offsets.at(-1)!, /truncated data/);
      writeFileSync(path, Buffer.concat([bytes, bytes.subarray(0, 7)]));
      await expectFailure(path, bytes.length, /truncated length header/);
      // Nothing at all is created when there was no output before.
      const absent = fresh("never-created");
      await expect(importOfficialTfrecord(path, absent)).rejects.toThrow(TfRecordError);
      expect(existsSync(absent)).toBe(false);
    });

    it.each([
      ["JSON text", () => recordJson(cell, 108, metricsOf(cell, run)).slice(0, -3), /not valid JSON/],
      ["UTF-8", () => Buffer.from([0x5b, 0xff, 0xfe, 0x5d]), /not valid UTF-8/],
      ["JSON shape", () => JSON.stringify({ hash: cell.hash }), /must be an array/],
      ["hash text", () => recordJson(cell, 108, metricsOf(cell, run), { hash: "xyz" }), /32 lowercase hex/],
      ["base64", () => recordJson(cell, 108, `${metricsOf(cell, run).slice(0, 10)}*${metricsOf(cell, run).slice(11)}`), /base64/],
      ["protobuf bytes", () => recordJson(cell, 108, Buffer.from(metricsOf(cell, run), "base64").subarray(0, 30).toString("base64")), /not a valid ModelMetrics protobuf \(index out of range\)/],
      ["evaluation_data[2]", () => recordJson(cell, 108, metricsOf(cell, run, 2)), /evaluation_data\[2\] \(end of training\) is missing/],
      ["adjacency", () => recordJson(cell, 108, metricsOf(cell, run), { adjacency: cell.adjacency.slice(1) }), /not the square/],
      ["hash", () => recordJson(cell, 108, metricsOf(cell, run), { hash: cells[2]!.hash }), /does not match the hash/],
    ])("wrong %s", async (_what, payload, problem) => {
      const { path, offset } = withRecord(payload());
      await expectFailure(path, offset, problem);
    });

    it("a cell not stored pruned (its extra vertex's op would go unchecked)", async () => {
      // input -> conv -> output, plus vertex 2 fed by the input but leading nowhere.
      const adjacency = "0110000100000000";
      const ops = ["input", "conv3x3-bn-relu", "no-such-op", "output"];
      const unpruned = { hash: ModelSpec.from(adjacency, ops, NASBENCH101_RULES).hash(), adjacency, ops, params: 1 };
      const { path, offset } = withRecord(recordJson(unpruned, 108, metricsOf(unpruned, run)));
      await expectFailure(path, offset, /not stored pruned: only 3 of its 4 vertices/);
    });

    it("a cell without exactly 3 repeats at 108 epochs", async () => {
      const payloads = good();
      const missing = writeRecords([...payloads.slice(0, 5), ...payloads.slice(6)]);
      await expectFailure(missing.path, missing.offsets[3]!, /cell [0-9a-f]{32} has 2 record\(s\) at 108 epochs, expected 3/);
      const changed = [...payloads];
      changed[AT + 1] = recordJson({ ...cell, params: cell.params + 1 }, 108, metricsOf({ ...cell, params: cell.params + 1 }, runOf(1, 1)));
      const inconsistent = writeRecords(changed);
      await expectFailure(inconsistent.path, inconsistent.offsets[AT + 1]!, new RegExp(`differs from ${cell.params} in the first record of cell ${cell.hash} \\(at byte ${inconsistent.offsets[AT]}\\)`));
      const extra = writeRecords([...payloads, payloads[0]!]);
      await expectFailure(extra.path, extra.offsets.at(-1)!, /more than 3 records at 108 epochs \(the first is at byte 0\)/);
    });

    it("a missing file", async () => {
      await expect(importOfficialTfrecord(join(scratch, "absent.tfrecord"), out)).rejects.toThrow(InputError);
    });
  });
});

describe("bench import command", () => {
  it("imports into the user data directory by default, never into $PREDNAS_DATA, and prints the summary", async () => {
    const out = importedDataDirectory();
    const elsewhere = fresh("cli-data");
    mkdirSync(elsewhere);
    const previous = process.env.PREDNAS_DATA;
    process.env.PREDNAS_DATA = elsewhere;
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      const program = new Command("prednas").exitOverride();
      registerBenchCommands(program);
      await program.parseAsync(["bench", "import", FIXTURE, "--quiet"], { from: "user" });
      const printed = write.mock.calls.map((call) => String(call[0])).join("");
      expect(printed).toMatch(/records read +3\n/);
      expect(printed).toMatch(/records used +3 \(108 epochs\)\n/);
      expect(printed).toMatch(/cells written +1\n/);
      expect(printed).toContain(join(out, IMPORT_TABLE_FILE));
      expect(existsSync(join(out, IMPORT_TABLE_FILE))).toBe(true);
      expect(readdirSync(elsewhere)).toEqual([]);
      // A second import replaces its own files.
      await program.parseAsync(["bench", "import", FIXTURE, "--quiet"], { from: "user" });
    } finally {
      write.mockRestore();
      rmSync(out, { recursive: true, force: true });
      if (previous === undefined) delete process.env.PREDNAS_DATA;
      else process.env.PREDNAS_DATA = previous;
    }
  });

  it("refuses, before reading, a directory holding files it did not write", async () => {
    const out = fresh("foreign");
    mkdirSync(out);
    writeFileSync(join(out, PROVENANCE_FILE), "# someone else's notes\n");
    await expect(importOfficialTfrecord(FIXTURE, out)).rejects.toThrow(/PROVENANCE\.md was not written by prednas bench import/);
    expect(readFileSync(join(out, PROVENANCE_FILE), "utf8")).toBe("# someone else's notes\n");
    expect(readdirSync(out)).toEqual([PROVENANCE_FILE]);
    const file = fresh("file");
    writeFileSync(file, "x");
    await expect(importOfficialTfrecord(FIXTURE, file)).rejects.toThrow(/is a file, not a directory/);
  });
});
