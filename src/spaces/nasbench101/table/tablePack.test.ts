/**
 * The NAS-Bench-101 table shipped with prednas holds the shared table's values bit for bit: its
 * rendering in the shared CSV's format has that file's sha256 (always checked), and, where the
 * shared data is present (CI), every row equals the shared CSV's.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { SHARED_DATA, SHARED_PRESENT } from "../../../test-support/data.js";
import { parseTable } from "./table.js";
import { readTablePack } from "./tablePack.js";
import { REQUIRED_COLUMNS } from "./tableFormat.js";

/** sha256 of the uncompressed shared nasbench101_108_test.csv.gz (data/nasbench101/PROVENANCE.md). */
const SHARED_CSV_SHA256 = "2a28a95b30fab0dafacc934fdace57f42a26ac0f063e265698d626c10cee1e87";

describe("the built-in NAS-Bench-101 table", () => {
  const table = readTablePack();

  it("renders to the shared CSV byte for byte", () => {
    const { catalogue, trainableParameters, metrics } = table;
    const mean = metrics.get("test_accuracy_mean_108")!;
    const repeat0 = metrics.get("test_accuracy_repeat0_108")!;
    const hash = createHash("sha256").update(`${REQUIRED_COLUMNS.join(",")}\n`);
    let rows = "";
    for (let i = 0; i < catalogue.size; i++) {
      rows += `${i},${catalogue.hash(i)},${catalogue.vertexCount(i)},${catalogue.matrix(i).join("")},${catalogue.ops(i).join("|")},${trainableParameters[i]},${mean[i]},${repeat0[i]}\n`;
      if (rows.length > 1 << 20) {
        hash.update(rows);
        rows = "";
      }
    }
    expect(catalogue.size).toBe(423_624);
    expect(hash.update(rows).digest("hex")).toBe(SHARED_CSV_SHA256);
  }, 120_000);

  it.runIf(SHARED_PRESENT)("equals the shared table in every column of every row", () => {
    const path = join(SHARED_DATA, "nasbench101", "nasbench101_108_test.csv.gz");
    const shared = parseTable(readFileSync(path), path);
    expect(isDeepStrictEqual(table.catalogue.columns, shared.catalogue.columns)).toBe(true);
    expect(isDeepStrictEqual(table.trainableParameters, shared.trainableParameters)).toBe(true);
    expect([...table.metrics.keys()]).toEqual([...shared.metrics.keys()]);
    for (const [name, values] of shared.metrics) expect(isDeepStrictEqual(table.metrics.get(name), values)).toBe(true);
  }, 120_000);

  it.skipIf(SHARED_PRESENT)("is compared row by row with the shared data where it is present (not here)", () => {
    expect(SHARED_PRESENT).toBe(false);
  });
});
