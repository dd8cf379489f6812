import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { builtinBenchmark } from "../../test-support/data.js";
import { MersenneTwister } from "../../util/rng.js";
import { hashModuleInto } from "../cell/hash.js";
import { randomSpec } from "../cell/sample.js";
import { ModelSpec } from "../cell/spec.js";
import { edgeMaskFromMatrix, matrixFromEdgeMask, packLabels, unpackLabels } from "./catalogue.js";
import { NASBENCH101_RULES } from "./ops.js";

describe("catalogue of the data table", () => {
  it("reproduces the hash column of every one of the 423,624 rows from its adjacency and ops", async () => {
    const { catalogue } = await builtinBenchmark();
    expect(catalogue.size).toBe(423_624);
    const { keys, vertices, edgeMasks, labels } = catalogue.columns;
    const key = new Uint32Array(4);
    const mismatches: number[] = [];
    for (let i = 0; i < catalogue.size; i++) {
      const n = vertices[i]!;
      hashModuleInto(matrixFromEdgeMask(edgeMasks[i]!, n), n, unpackLabels(labels[i]!, n), key);
      if (key[0] !== keys[4 * i] || key[1] !== keys[4 * i + 1] || key[2] !== keys[4 * i + 2] || key[3] !== keys[4 * i + 3]) mismatches.push(i);
    }
    expect(mismatches).toEqual([]);
  }, 300_000);

  it("finds any form of a cell by its spec, and round-trips indices and hashes", async () => {
    const { catalogue } = await builtinBenchmark();
    expect(catalogue.hash(0)).toBe("00005c142e6f48ac74fdcf73e3439874");
    expect(catalogue.indexOfHash("02e5a0247bbdcf2860b7e96f74961594")).toBe(4789);
    expect(catalogue.indexOfHash("not a hash")).toBe(-1);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
        const spec = randomSpec(MersenneTwister.numpy(seed), NASBENCH101_RULES);
        const index = catalogue.indexOfSpec(spec);
        expect(catalogue.hash(index)).toBe(spec.hash());
        expect(catalogue.spec(index).hash()).toBe(spec.hash());
        // The plain-array form agrees with the typed one, and is itself a spec of the same cell.
        const cell = catalogue.cellSpec(index);
        expect(cell).toEqual(catalogue.spec(index).pruned());
        expect(ModelSpec.from(cell.matrix, cell.ops, NASBENCH101_RULES).hash()).toBe(spec.hash());
      }),
      { numRuns: 100 },
    );
    const rng = MersenneTwister.python(3);
    for (let i = 0; i < 100; i++) {
      const index = catalogue.sampleUniform(rng);
      expect(catalogue.indexOfSpec(catalogue.spec(index))).toBe(index);
    }
  });

  it("packs matrices and labels losslessly", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
        const spec = randomSpec(MersenneTwister.numpy(seed), NASBENCH101_RULES);
        const n = spec.vertices;
        expect(matrixFromEdgeMask(edgeMaskFromMatrix(spec.matrix!, n), n)).toEqual(spec.matrix);
        expect(unpackLabels(packLabels(spec.labels(), n), n)).toEqual(spec.labels());
      }),
    );
  });
});
