import fc from "fast-check";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fromDeltas, fromValueTable, readPack, toDeltas, toValueTable, writePack } from "./dataPack.js";

describe("data packs", () => {
  it("code ascending words as deltas and back", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { maxLength: 300 }), (words) => {
        const sorted = Uint32Array.from(words).sort();
        expect(fromDeltas(toDeltas(sorted), sorted.length)).toEqual(sorted);
      }),
    );
    expect(() => toDeltas([3, 2])).toThrow(/not ascending at 1/);
    expect(() => fromDeltas(toDeltas([1, 2]), 3)).toThrow(/end after 2 of 3/);
  });

  it("code a column as a value table and back, exactly", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(0.1, 0.9206063151359558, 1 / 3, 0, -0, 5e-324), { maxLength: 200 }), (values) => {
        const column = Float64Array.from(values);
        const coded = toValueTable(column);
        // Exact means the same float64 values, bits included (-0 is not 0).
        const back = fromValueTable(coded.values, coded.index);
        expect(Array.from(back, (value, i) => Object.is(value, column[i]))).toEqual(Array.from(column, () => true));
      }),
    );
    expect(() => fromValueTable(new Float64Array([1]), Uint16Array.from([0, 1]))).toThrow(/row 1 points outside/);
  });

  it("round-trips columns through a file and rejects a damaged one", () => {
    const dir = mkdtempSync(join(tmpdir(), "prednas-pack-"));
    const path = join(dir, "t.bin");
    const columns = { a: Float64Array.from([1.5, 2.5]), b: Uint16Array.from([7]), c: Uint8Array.from([1, 2, 3]) };
    writePack(path, { kind: "test" }, columns);
    const back = readPack(path);
    expect(back.meta).toEqual({ kind: "test" });
    expect(back.columns).toEqual(columns);
    writeFileSync(path, "not brotli");
    expect(() => readPack(path)).toThrow();
  });
});
