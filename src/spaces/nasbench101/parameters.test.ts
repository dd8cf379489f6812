import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FIXTURES } from "../../test-support/data.js";
import { MersenneTwister } from "../../util/rng.js";
import { readTablePack } from "./table/tablePack.js";
import { trainableParameterColumn, trainableParameters, vertexChannels } from "./parameters.js";
import { randomSpec } from "../cell/sample.js";
import { NASBENCH101_RULES } from "./ops.js";

describe("trainable parameters of a NAS-Bench-101 network", () => {
  it("equal the official counts of the published cells", () => {
    const known = JSON.parse(readFileSync(`${FIXTURES}/known_records.json`, "utf8")) as {
      records: { module_adjacency: number[][]; module_operations: string[]; trainable_parameters: number }[];
    };
    for (const record of known.records) expect(trainableParameters(record.module_adjacency.flat(), record.module_operations)).toBe(record.trainable_parameters);
    // input -> output only: a 1x1 projection per module.
    expect(trainableParameters([0, 1, 0, 0], ["input", "output"])).toBe(882_570);
  });

  it("split channels as compute_vertex_channels does", () => {
    // Three interior vertices all feeding the output: 128 channels shared out as 43, 43, 42.
    const n = 5;
    const matrix = [0, 1, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0];
    expect(vertexChannels(128, 128, matrix, n)).toEqual([128, 43, 43, 42, 128]);
    // A chain: the vertex not feeding the output takes the largest of its successors.
    expect(vertexChannels(128, 256, [0, 1, 0, 0, 0, 1, 0, 0, 0], 3)).toEqual([128, 256, 256]);
  });

  it("give the same counts cell by cell and for the whole catalogue at once", () => {
    // (That the column equals the official counts of all 423,624 cells is checked by the
    // built-in table's test: its rendering, parameters included, has the shared CSV's sha256.)
    const { catalogue } = readTablePack();
    const column = trainableParameterColumn(catalogue.columns);
    const rng = MersenneTwister.numpy(7);
    for (let i = 0; i < 300; i++) {
      const index = catalogue.indexOfSpec(randomSpec(rng, NASBENCH101_RULES));
      expect(trainableParameters(catalogue.matrix(index), catalogue.ops(index))).toBe(column[index]);
    }
  });
});
