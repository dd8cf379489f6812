import { describe, expect, it } from "vitest";
import { builtinBenchmark } from "../../test-support/data.js";
import { enumerateChunk, enumerateSpace, enumerationChunks, isFullDag, mergeChunks } from "./enumerate.js";
import { edgeBit } from "./catalogue.js";

describe("enumeration", () => {
  it("keeps only graphs with every vertex on an input-output path", () => {
    expect(isFullDag(1 << edgeBit(0, 1), 2)).toBe(true);
    expect(isFullDag(0, 2)).toBe(false);
    expect(isFullDag((1 << edgeBit(0, 1)) | (1 << edgeBit(1, 2)), 3)).toBe(true);
    expect(isFullDag((1 << edgeBit(0, 1)) | (1 << edgeBit(0, 2)), 3)).toBe(false); // vertex 1 has no out-edge
  });

  it("finds the official number of cells for each vertex count up to 6", () => {
    const chunks = enumerationChunks().filter((chunk) => chunk.vertices <= 6);
    const { catalogue } = mergeChunks(chunks.map(enumerateChunk), chunks);
    const counts = [2, 3, 4, 5, 6].map((n) => catalogue.columns.vertices.filter((v) => v === n).length);
    expect(counts).toEqual([1, 6, 84, 2441, 62010]);
  });

  it("yields exactly the 423,624 cells of the data table, each in its canonical form", async () => {
    const [{ catalogue, visited }, benchmark] = await Promise.all([enumerateSpace({ workers: 2 }), builtinBenchmark()]);
    const table = benchmark.catalogue.columns;
    expect(visited).toBe(1_293_208);
    expect(catalogue.size).toBe(423_624);
    expect(catalogue.columns.keys).toEqual(table.keys);
    expect(catalogue.columns.vertices).toEqual(table.vertices);
    expect(catalogue.columns.edgeMasks).toEqual(table.edgeMasks);
    expect(catalogue.columns.labels).toEqual(table.labels);
  }, 300_000);
});
