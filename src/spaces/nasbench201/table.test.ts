/**
 * The NAS-Bench-201 table shipped with prednas: the shared table's chosen columns bit for bit
 * (a rendering checked against their sha256 always, value by value where the shared data is
 * present), in the official index order, and the cell string form it is keyed by.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SHARED_DATA, SHARED_PRESENT } from "../../test-support/data.js";
import { InputError } from "../../util/errors.js";
import { codesToNumber, formatArch, numberToCodes, opCodeNumber, parseArch } from "./cell.js";
import { CELL_COUNT, DATASETS, QUANTITIES, readNasbench201Table, SOURCE_COLUMNS } from "./table.js";

/** sha256 of the columns index, arch and SOURCE_COLUMNS cut from the shared nasbench201_all.csv.gz (data/nasbench201/PROVENANCE.md). */
const SHIPPED_COLUMNS_SHA256 = "fba3dc38c34cb2385fe130f0bfb82a0150e8a26664226d2b5af04ef90eacaf94";
const COLUMNS = ["index", "arch", ...DATASETS.flatMap((dataset) => QUANTITIES.map((quantity) => SOURCE_COLUMNS[dataset][quantity]))];

/** A float as Python's repr writes it (the shared CSV's format). */
function pythonRepr(value: number): string {
  const text = String(value);
  return /[.eEn]/.test(text) ? text : `${text}.0`;
}

describe("the built-in NAS-Bench-201 table", () => {
  const table = readNasbench201Table();

  it("renders to the shared table's columns byte for byte", () => {
    const hash = createHash("sha256").update(`${COLUMNS.join(",")}\n`);
    for (let i = 0; i < CELL_COUNT; i++) {
      const values = DATASETS.flatMap((dataset) => QUANTITIES.map((quantity) => pythonRepr(table.values[dataset][quantity][i]!)));
      hash.update(`${[String(i), formatArch(numberToCodes(table.opCodes[i]!)), ...values].join(",")}\n`);
    }
    expect(hash.digest("hex")).toBe(SHIPPED_COLUMNS_SHA256);
  });

  it("holds every cell of the space once, with the published optima", () => {
    expect(new Set(table.opCodes).size).toBe(CELL_COUNT);
    expect(formatArch(numberToCodes(table.opCodes[0]!))).toBe("|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|");
    const best = (values: Float64Array) => values.indexOf(Math.max(...values));
    expect(best(table.values.cifar10.test)).toBe(6111);
    expect(table.values.cifar10.test[6111]).toBeCloseTo(94.3733, 4);
    expect(best(table.values.cifar100.test)).toBe(9930);
    expect(table.values.cifar100.validation[9930]).toBeCloseTo(73.4933, 4);
    expect(best(table.values["imagenet16-120"].test)).toBe(857);
  });

  it("agrees with the hand-copied spot checks", () => {
    const spots = JSON.parse(readFileSync(new URL("./fixtures/spot_checks.json", import.meta.url), "utf8")) as {
      records: { index: number; arch: string; values: Record<string, number> }[];
    };
    const checked = spots.records.filter((record) => record.values["cifar10/ori-test"] !== undefined);
    expect(checked.length).toBeGreaterThan(0);
    for (const record of checked) {
      expect(formatArch(numberToCodes(table.opCodes[record.index]!))).toBe(record.arch);
      // NATS's CIFAR-10 test column is the one the fixtures copy bit for bit.
      expect(table.values.cifar10.test[record.index]).toBe(record.values["cifar10/ori-test"]);
      expect(table.values.cifar100.test[record.index]).toBeCloseTo(record.values["cifar100/x-test"]!, 6);
    }
  });

  it.runIf(SHARED_PRESENT)("equals the shared table in every shipped column", () => {
    const lines = gunzipSync(readFileSync(join(SHARED_DATA, "nasbench201", "nasbench201_all.csv.gz"))).toString("utf8").trimEnd().split("\n");
    const header = lines[0]!.split(",");
    const rows = lines.slice(1).map((line) => line.split(","));
    expect(rows.map((row) => opCodeNumber(row[header.indexOf("arch")]!))).toEqual(Array.from(table.opCodes));
    for (const dataset of DATASETS) {
      for (const quantity of QUANTITIES) {
        const at = header.indexOf(SOURCE_COLUMNS[dataset][quantity]);
        expect(Array.from(table.values[dataset][quantity])).toEqual(rows.map((row) => Number(row[at])));
      }
    }
  });
});

describe("NAS-Bench-201 cell strings", () => {
  it("round-trip every cell through its string and its number", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: CELL_COUNT - 1 }), (number) => {
        const codes = numberToCodes(number);
        expect(codesToNumber(codes)).toBe(number);
        expect(parseArch(formatArch(codes))).toEqual(codes);
      }),
    );
  });

  it.each([
    ["|nor_conv_3x3~0|+|skip_connect~0|", /needs 3 groups/],
    ["|nor_conv_3x3~0|+|skip_connect~0|none~1|+|none~0|none~1|conv~2|", /unknown operation 'conv'/],
    ["|nor_conv_3x3~0|+|skip_connect~0|none~2|+|none~0|none~1|none~2|", /must be written op~1/],
    ["|nor_conv_3x3~0|+|skip_connect~0|+|none~0|none~1|none~2|", /node 2 takes 2 input edge/],
    ["nor_conv_3x3~0|+|skip_connect~0|none~1|+|none~0|none~1|none~2|", /must start and end with/],
  ])("refuses %s, saying why", (text, message) => {
    expect(() => parseArch(text)).toThrow(InputError);
    expect(() => parseArch(text)).toThrow(message);
  });
});
