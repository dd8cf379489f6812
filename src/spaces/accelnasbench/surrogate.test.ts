/**
 * The tree-ensemble evaluator against xgboost itself: the shipped surrogates must give, bit for
 * bit, the float32 predictions xgboost made for the fixtures' architectures (uniform draws of the
 * space and the authors' test split; scripts/accel_surrogates.py wrote both). And the evaluator's
 * own rules on hand-made trees: float32 sums, preorder layout, damaged models refused.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { QUANTITIES, readAccelData } from "./data.js";
import { CUTS, LEAF, TreeEnsemble } from "./surrogate.js";

interface Fixture {
  readonly xgboost: string;
  readonly seed: number;
  readonly archs: readonly string[];
  readonly predictions: Readonly<Record<string, string>>;
}

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", "xgboost_predictions.json"), "utf8")) as Fixture;

function float32s(base64: string): Float32Array {
  const bytes = Buffer.from(base64, "base64");
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

describe("the shipped surrogates", () => {
  const data = readAccelData();

  it("were fitted by the xgboost and seed the fixtures come from", () => {
    expect(data.meta.xgboost).toBe(fixture.xgboost);
    expect(data.meta.seed).toBe(fixture.seed);
    expect(fixture.archs.length).toBeGreaterThanOrEqual(2000);
  });

  it.each(QUANTITIES)("%s: xgboost's own predictions, exactly", (name) => {
    const expected = float32s(fixture.predictions[name]!);
    expect(expected).toHaveLength(fixture.archs.length);
    const surrogate = data.surrogates[name];
    const wrong = fixture.archs.flatMap((arch, i) => {
      const got = surrogate.predict([...arch].map(Number));
      return Object.is(got, expected[i]) ? [] : [`${arch}: ${got} for ${expected[i]}`];
    });
    expect(wrong.slice(0, 5)).toEqual([]);
  });
});

describe("the evaluator", () => {
  const split = (feature: number, cut: number) => feature * CUTS + cut;

  it("walks preorder trees, x < cut to the left, and sums the leaves in float32, in tree order", () => {
    // tree 0: feature 1 < 2 ? (feature 0 < 1 ? 0.1 : 0.2) : 0.3; tree 1: a single leaf 1e-8
    const nodes = Uint8Array.from([split(1, 2), split(0, 1), LEAF, LEAF, LEAF, LEAF]);
    const leaf = Float32Array.from([0.1, 0.2, 0.3, 1e-8]);
    const ensemble = new TreeEnsemble(nodes, leaf, 0.5, 2);
    expect(ensemble.trees).toBe(2);
    const f32 = Math.fround;
    expect(ensemble.predict([0, 0])).toBe(f32(f32(0.5 + leaf[0]!) + leaf[3]!));
    expect(ensemble.predict([1, 1])).toBe(f32(f32(0.5 + leaf[1]!) + leaf[3]!));
    expect(ensemble.predict([0, 2])).toBe(f32(f32(0.5 + leaf[2]!) + leaf[3]!));
    // 1e-8 is below half a float32 step at 0.6: the float32 sum drops it, a double sum would not.
    expect(ensemble.predict([0, 0])).toBe(f32(0.5 + leaf[0]!));
    expect(ensemble.predict([0, 0])).not.toBe(0.5 + leaf[0]! + leaf[3]!);
  });

  it("refuses a damaged model", () => {
    const leaf = Float32Array.from([1, 2]);
    expect(() => new TreeEnsemble(Uint8Array.from([split(0, 1), LEAF]), leaf, 0.5, 1)).toThrow(/ends inside a tree/);
    expect(() => new TreeEnsemble(Uint8Array.from([split(3, 1), LEAF, LEAF]), leaf, 0.5, 2)).toThrow(/tests feature 3, and there are 2/);
    expect(() => new TreeEnsemble(Uint8Array.from([LEAF]), leaf, 0.5, 1)).toThrow(/2 leaf values for 1 leaves/);
    expect(() => new TreeEnsemble(Uint8Array.from([LEAF, LEAF]), leaf, 0.1, 1)).toThrow(/not a float32/);
  });
});
