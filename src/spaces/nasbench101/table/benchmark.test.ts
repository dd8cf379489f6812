import { mkdtempSync, writeFileSync, readFileSync, mkdirSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { FIXTURES, builtinBenchmark } from "../../../test-support/data.js";
import { InputError } from "../../../util/errors.js";
import { ModelSpec } from "../../cell/spec.js";
import { DataNotFoundError, importedDataDirectory, locateTable } from "./locate.js";
import { builtinTablePath } from "./tablePack.js";
import { Nasbench101Benchmark } from "./benchmark.js";
import { loadTable, parseTable } from "./table.js";
import { NASBENCH101_RULES } from "../ops.js";

const HEADER = "index,hash,num_vertices,adjacency,ops,trainable_parameters,test_accuracy_mean_108,test_accuracy_repeat0_108";
const ROW0 =
  "0,00005c142e6f48ac74fdcf73e3439874,7,0100110001000000010010000010000001000000010000000,input|conv3x3-bn-relu|maxpool3x3|conv3x3-bn-relu|conv3x3-bn-relu|conv1x1-bn-relu|output,8555530,0.9206063151359558,0.9211738705635071";
const ROW1 = "1,043721b9c7fe8c5fad811d47d83132ec,2,0100,input|output,227274,0.1,0.1";

function table(...rows: string[]): Uint8Array {
  return gzipSync(`${[HEADER, ...rows].join("\n")}\n`);
}

describe("the NAS-Bench-101 benchmark on the built-in data", () => {
  it("reports the real space: 423,624 cells, best mean test accuracy 0.943175752957662", async () => {
    const benchmark = await builtinBenchmark();
    const stats = benchmark.stats();
    expect(benchmark.size).toBe(423_624);
    expect(stats.best).toEqual({ index: 4789, hash: "02e5a0247bbdcf2860b7e96f74961594", value: 0.943175752957662 });
    expect(stats.mean).toBeCloseTo(0.896798, 6);
    expect(stats.quantiles["0.5"]).toBeCloseTo(0.906384, 6);
    expect(benchmark.rank(4789)).toBe(1);
    expect(benchmark.top(3)[0]).toBe(4789);
    expect(benchmark.available()).toEqual(["test-mean", "test-repeat0"]);
  });

  it("answers for any form of a cell, as the official query does", async () => {
    const benchmark = await builtinBenchmark();
    const known = JSON.parse(readFileSync(`${FIXTURES}/known_records.json`, "utf8")) as {
      records: { hash: string; dataset_index_sorted_by_hash: number; module_adjacency: number[][]; module_operations: string[]; trainable_parameters: number; query_spec_from_official_README?: { matrix: number[][]; ops: string[] }; one_sampled_query_108?: { test_accuracy: number } }[];
    };
    for (const record of known.records) {
      const result = benchmark.query({ matrix: record.module_adjacency, ops: record.module_operations });
      expect(result.hash).toBe(record.hash);
      expect(result.index).toBe(record.dataset_index_sorted_by_hash);
      expect(result.trainableParameters).toBe(record.trainable_parameters);
      if (record.query_spec_from_official_README) {
        // The README's spec is another vertex order of the same cell.
        const readme = benchmark.query(ModelSpec.from(record.query_spec_from_official_README.matrix, record.query_spec_from_official_README.ops, NASBENCH101_RULES));
        expect(readme.index).toBe(result.index);
        expect(readme.testAccuracyRepeat0).toBe(record.one_sampled_query_108!.test_accuracy);
      }
    }
    expect(benchmark.query(ModelSpec.from([[0, 1], [0, 0]], ["input", "output"], NASBENCH101_RULES)).hash).toBe("043721b9c7fe8c5fad811d47d83132ec");
  });

  it("says clearly what is wrong with a bad query or a missing metric", async () => {
    const benchmark = await builtinBenchmark();
    expect(() => benchmark.query({ matrix: [[0, 1, 0], [0, 0, 0], [0, 0, 0]], ops: ["input", "conv3x3-bn-relu", "output"] })).toThrow(/disconnected/);
    expect(() => benchmark.values("validation-mean")).toThrow(/no mean validation accuracy.*test accuracy only.*bench import/);
    expect(() => benchmark.queryIndex(423_624)).toThrow(InputError);
  });

  it("ranks ties together", () => {
    const benchmark = new Nasbench101Benchmark(parseTable(table(ROW0, ROW1.replace(",0.1,0.1", ",0.9206063151359558,0.5")), "ties"));
    expect(benchmark.rank(0)).toBe(1);
    expect(benchmark.rank(1)).toBe(1);
  });
});

describe("locating the data", () => {
  it("takes the flag, then PREDNAS_DATA, then an imported table, then the built-in one", () => {
    const dir = mkdtempSync(join(tmpdir(), "prednas-locate-"));
    const file = join(dir, "t.csv.gz");
    writeFileSync(file, table(ROW0));
    expect(locateTable(file, { PREDNAS_DATA: "/elsewhere" })).toEqual({ tablePath: file, origin: "--data" });
    expect(locateTable(undefined, { PREDNAS_DATA: file })).toEqual({ tablePath: file, origin: "PREDNAS_DATA" });
    expect(locateTable(undefined, {})).toEqual({ tablePath: builtinTablePath(), origin: "built-in" });
    const imported = importedDataDirectory();
    mkdirSync(imported, { recursive: true });
    writeFileSync(join(imported, "nasbench101_108.csv.gz"), table(ROW0));
    try {
      expect(locateTable(undefined, {})).toEqual({ tablePath: join(imported, "nasbench101_108.csv.gz"), origin: "imported" });
    } finally {
      rmSync(join(imported, "nasbench101_108.csv.gz"));
    }
  });

  it("never falls back silently when the flag or PREDNAS_DATA names nothing usable", () => {
    expect(() => locateTable("/no/such/place")).toThrow(DataNotFoundError);
    expect(() => locateTable("/no/such/place")).toThrow(/--data names \/no\/such\/place, which does not exist/);
    expect(() => locateTable(undefined, { PREDNAS_DATA: "/no/such/place" })).toThrow(/PREDNAS_DATA names \/no\/such\/place[\s\S]*unset PREDNAS_DATA/);
    const empty = mkdtempSync(join(tmpdir(), "prednas-empty-"));
    expect(() => locateTable(empty)).toThrow(/holds no NAS-Bench-101 table/);
    expect(new DataNotFoundError("x")).toBeInstanceOf(InputError);
  });
});

describe("reading a table", () => {
  it.each([
    ["a missing column", gzipSync("index,hash\n0,00005c142e6f48ac74fdcf73e3439874\n"), /lacks the column/],
    ["rows out of order", table(ROW1.replace(/^1,/, "0,"), ROW0.replace(/^0,/, "1,")), /ascending hash order/],
    ["a wrong index", table(ROW0.replace(/^0,/, "5,")), /line 2: index is 5, expected 0/],
    ["an unknown op", table(ROW0.replace("maxpool3x3", "maxpool5x5")), /line 2: unknown op 'maxpool5x5'/],
    ["a bad number", table(ROW0.replace("0.9211738705635071", "n/a")), /line 2: test_accuracy_repeat0_108 'n\/a' is not a number/],
    ["a short row", table("0,abc"), /line 2: expected 8 fields/],
    ["a bad adjacency", table(ROW0.replace("0100110001", "0100110002")), /adjacency must be 49 characters of 0\/1/],
    ["damaged gzip", gzipSync("x").subarray(0, 8), /cannot decompress/],
  ])("rejects %s with the line and the reason", (_what, bytes, message) => {
    expect(() => parseTable(bytes, "t.csv.gz")).toThrow(message);
  });

  it("caches the parsed table and rebuilds a corrupt or stale cache", async () => {
    const dir = mkdtempSync(join(tmpdir(), "prednas-table-"));
    const path = join(dir, "nasbench101_108_test.csv.gz");
    writeFileSync(path, table(ROW0, ROW1));
    const previous = process.env.PREDNAS_CACHE_DIR;
    process.env.PREDNAS_CACHE_DIR = join(dir, "cache");
    try {
      expect((await loadTable(path)).cache).toBe("missing");
      expect((await loadTable(path)).cache).toBe("hit");
      const [cacheFile] = (await import("node:fs")).readdirSync(join(dir, "cache"));
      const cachePath = join(dir, "cache", cacheFile!);
      const bytes = readFileSync(cachePath);
      bytes[bytes.length - 10]! ^= 0xff;
      writeFileSync(cachePath, bytes);
      const rebuilt = await loadTable(path);
      expect(rebuilt.cache).toBe("corrupt");
      expect(rebuilt.table.catalogue.size).toBe(2);
      writeFileSync(path, table(ROW0));
      utimesSync(path, new Date(), new Date(Date.now() + 5000));
      const stale = await loadTable(path);
      expect(stale.cache).toBe("stale");
      expect(stale.table.catalogue.size).toBe(1);
    } finally {
      if (previous === undefined) delete process.env.PREDNAS_CACHE_DIR;
      else process.env.PREDNAS_CACHE_DIR = previous;
    }
  });

  it("finds a table in a directory, preferring an imported one", () => {
    const dir = mkdtempSync(join(tmpdir(), "prednas-locate-"));
    mkdirSync(join(dir, "d"));
    writeFileSync(join(dir, "d", "nasbench101_108_test.csv.gz"), table(ROW0, ROW1));
    expect(locateTable(join(dir, "d")).tablePath).toMatch(/_test\.csv\.gz$/);
    writeFileSync(join(dir, "d", "nasbench101_108.csv.gz"), table(ROW0));
    expect(locateTable(join(dir, "d")).tablePath).toMatch(/nasbench101_108\.csv\.gz$/);
  });
});
