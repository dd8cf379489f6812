import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MersenneTwister } from "../../util/rng.js";
import { mutateSpec, padToMaxVertices } from "../cell/mutate.js";
import { randomSpec } from "../cell/sample.js";
import { isValid, ModelSpec, type CellSpec } from "../cell/spec.js";
import { NASBENCH101_RULES } from "./ops.js";

interface Drawn extends CellSpec {
  hash: string;
}
const reference = JSON.parse(readFileSync(new URL("./fixtures/reference_draws.json", import.meta.url), "utf8")) as {
  samples: { seed: number; specs: Drawn[] }[];
  mutations: { seed: number; rate: number; parent: CellSpec; chain: Drawn[] }[];
};

describe("randomSpec (official generator)", () => {
  it.each(reference.samples.map((s) => [s.seed, s] as const))("draws what np.random.seed(%i) makes the official random_spec draw", (_seed, sample) => {
    const rng = MersenneTwister.numpy(sample.seed);
    for (const expected of sample.specs) {
      const spec = randomSpec(rng, NASBENCH101_RULES);
      expect(spec.original()).toEqual({ matrix: expected.matrix, ops: expected.ops });
      expect(spec.hash()).toBe(expected.hash);
    }
  });

  it("only returns valid specs with 7 original vertices", () => {
    const rng = MersenneTwister.numpy(123);
    for (let i = 0; i < 200; i++) {
      const spec = randomSpec(rng, NASBENCH101_RULES);
      expect(isValid(spec)).toBe(true);
      expect(spec.originalVertices).toBe(7);
    }
  });
});

describe("mutateSpec (official mutation)", () => {
  it.each(reference.mutations.map((m) => [m.seed, m.rate, m] as const))(
    "draws what random.seed(%i) makes the official mutate_spec draw at rate %f",
    (_seed, _rate, mutation) => {
      const rng = MersenneTwister.python(mutation.seed);
      let spec = ModelSpec.from(mutation.parent.matrix, mutation.parent.ops, NASBENCH101_RULES);
      for (const expected of mutation.chain) {
        spec = mutateSpec(spec, rng, { rate: mutation.rate });
        expect(spec.original()).toEqual({ matrix: expected.matrix, ops: expected.ops });
        expect(spec.hash()).toBe(expected.hash);
      }
    },
  );

  it("pads a smaller cell to 7 vertices without changing it", () => {
    const small = ModelSpec.from([[0, 1, 1], [0, 0, 1], [0, 0, 0]], ["input", "maxpool3x3", "output"], NASBENCH101_RULES);
    const padded = padToMaxVertices(small);
    expect(ModelSpec.fromTrusted(padded.matrix, padded.ops, NASBENCH101_RULES).hash()).toBe(small.hash());
    expect(padded.ops).toEqual(["input", "maxpool3x3", "conv3x3-bn-relu", "conv3x3-bn-relu", "conv3x3-bn-relu", "conv3x3-bn-relu", "output"]);
    const mutated = mutateSpec(small, MersenneTwister.python(1));
    expect(isValid(mutated)).toBe(true);
  });

  it("rejects a nonsensical rate", () => {
    const spec = randomSpec(MersenneTwister.numpy(0), NASBENCH101_RULES);
    expect(() => mutateSpec(spec, MersenneTwister.python(0), { rate: 0 })).toThrow(/rate/);
  });
});
