/**
 * The Accel-NASBench space: its size and choices, the blocks key and every input form, and the
 * distributions of its sampler, mutation and edits (Pearson's chi-square against the exact laws).
 */
import { describe, expect, it } from "vitest";
import { InputError } from "../../util/errors.js";
import { seededRng } from "../../util/rng.js";
import type { SearchSpace } from "../types.js";
import { AccelNasbenchSpace, EXAMPLE } from "./space.js";

const space = new AccelNasbenchSpace();

/** Pearson's chi-square of observed counts against expected ones. */
function chiSquare(observed: readonly number[], expected: readonly number[]): number {
  return observed.reduce((sum, count, i) => sum + (count - expected[i]!) ** 2 / expected[i]!, 0);
}

/** A bound the chi-square of `df` degrees of freedom exceeds with probability below about 1e-4. */
function chiBound(df: number): number {
  return df + 4.5 * Math.sqrt(2 * df);
}

function changedChoices(a: readonly number[], b: readonly number[]): number[] {
  return a.flatMap((value, c) => (value === b[c] ? [] : [c]));
}

describe("the space", () => {
  it("has the 28 choices of configspace.json, 104,485,552,128 architectures, and no list", () => {
    expect(space.names).toHaveLength(28);
    expect(space.names.slice(0, 5)).toEqual(["block0_e", "block0_k", "block0_l", "block0_se", "block1_e"]);
    expect(space.values[space.names.indexOf("block5_l")]).toEqual([1, 2, 3, 4]);
    expect(space.values[space.names.indexOf("block3_se")]).toEqual([true, false]);
    expect(space.size).toBe(104_485_552_128);
    expect((space as SearchSpace<unknown>).enumeration).toBeUndefined();
    // one bit per value: 7 x 3 + 7 x 2 + 6 x 3 + 4 + 7 x 2
    expect(space.encodings.onehot!.width).toBe(71);
    // e, k and l by rank, squeeze-excite one-hot
    expect(space.encodings.ordinal!.width).toBe(21 + 14);
  });

  it("writes an architecture as its blocks and reads every form back", () => {
    const arch = space.parse(EXAMPLE);
    expect(space.key(arch)).toBe(EXAMPLE);
    expect(space.describe(arch)).toEqual({ arch: EXAMPLE });
    const choices = space.describeChoices(arch);
    expect(choices).toMatchObject({ block0_e: 1, block0_k: 3, block0_l: 1, block0_se: false, block1_se: true, block5_l: 4 });
    for (const form of [{ arch: EXAMPLE }, choices, { architecture: choices }]) expect(space.parse(form)).toEqual(arch);
    const rng = seededRng(4);
    for (let i = 0; i < 200; i++) {
      const drawn = space.sampleUniform(rng);
      expect(space.parse(space.key(drawn))).toEqual(drawn);
    }
  });

  it("refuses malformed architectures with a message that says what is wrong", () => {
    expect(() => space.parse("e1k3l1")).toThrow(/7 blocks joined by '-'.*got 1/);
    expect(() => space.parse(EXAMPLE.replace("e6k5l4", "e6k5l5"))).toThrow(/'block5_l' must be one of 1, 2, 3, 4, got 5/);
    expect(() => space.parse(EXAMPLE.replace("e6k3l2se", "e6k3l2SE"))).toThrow(/block 1 .* is 'e6k3l2SE'/);
    expect(() => space.parse(EXAMPLE.replace("e1k3l1", "e2k3l1"))).toThrow(/'block0_e' must be one of 1, 4, 6, got 2/);
    expect(() => space.parse({ arch: 3 })).toThrow(InputError);
    expect(() => space.parse({ block0_e: 1 })).toThrow(/gives no value for the choice 'block0_k'/);
  });
});

describe("distributions", () => {
  it("draws every choice uniformly and independently, all distinct", () => {
    const rng = seededRng(11);
    const draws = Array.from({ length: 30_000 }, () => space.sampleUniform(rng));
    let chi = 0;
    let df = 0;
    space.values.forEach((values, c) => {
      const counts = values.map((_, v) => draws.filter((arch) => arch[c] === v).length);
      chi += chiSquare(counts, values.map(() => draws.length / values.length));
      df += values.length - 1;
    });
    expect(chi).toBeLessThan(chiBound(df));
    // Independence: the joint law of two choices of different blocks is the product.
    const [e0, l5] = [space.names.indexOf("block0_e"), space.names.indexOf("block5_l")];
    const joint = Array.from({ length: 12 }, (_, cell) => draws.filter((arch) => arch[e0] === Math.floor(cell / 4) && arch[l5] === cell % 4).length);
    expect(chiSquare(joint, joint.map(() => draws.length / 12))).toBeLessThan(chiBound(11));
    // 30,000 draws from 1e11 architectures collide with probability below 0.5%.
    expect(new Set(draws.map((arch) => space.key(arch))).size).toBe(draws.length);
    expect(space.sampleNative(seededRng(5))).toEqual(space.sampleUniform(seededRng(5)));
  });

  it("mutates each choice with probability 1/28 (at least one), to another value uniformly", () => {
    const rng = seededRng(12);
    const parent = space.parse(EXAMPLE);
    const draws = 40_000;
    const changes = [0, 0, 0, 0];
    const l5 = space.names.indexOf("block5_l");
    const newLayers = [0, 0, 0, 0];
    for (let i = 0; i < draws; i++) {
      const child = space.mutate(parent, rng);
      const changed = changedChoices(parent, child);
      changes[Math.min(changed.length, 4) - 1]!++;
      if (changed.includes(l5)) newLayers[child[l5]!]!++;
    }
    // Binomial(28, 1/28) conditioned on at least one change.
    const binomial = (k: number) => [...Array(k).keys()].reduce((p, j) => (p * (28 - j)) / (j + 1), 1) * (1 / 28) ** k * (27 / 28) ** (28 - k);
    const atLeastOne = 1 - binomial(0);
    const law = [1, 2, 3].map((k) => binomial(k) / atLeastOne);
    law.push(1 - law[0]! - law[1]! - law[2]!);
    expect(chiSquare(changes, law.map((p) => p * draws))).toBeLessThan(chiBound(3));
    // EXAMPLE has 4 layers in block 5: a change goes to 1, 2 or 3, each a third of the time.
    expect(newLayers[3]).toBe(0);
    const moved = newLayers[0]! + newLayers[1]! + newLayers[2]!;
    expect(chiSquare(newLayers.slice(0, 3), [moved / 3, moved / 3, moved / 3])).toBeLessThan(chiBound(2));
  });

  it("edits one choice, uniform over the choices, into a neighbour; the 43 neighbours are the one-choice changes", () => {
    const rng = seededRng(13);
    const parent = space.sampleUniform(rng);
    const neighbours = space.neighbours(parent);
    expect(neighbours).toHaveLength(43);
    const keys = new Set(neighbours.map((arch) => space.key(arch)));
    expect(keys.size).toBe(43);
    for (const neighbour of neighbours) expect(changedChoices(parent, neighbour)).toHaveLength(1);
    const counts = new Array<number>(28).fill(0);
    const draws = 28_000;
    for (let i = 0; i < draws; i++) {
      const child = space.randomEdit(parent, rng)!;
      expect(keys.has(space.key(child))).toBe(true);
      counts[changedChoices(parent, child)[0]!]!++;
    }
    expect(chiSquare(counts, counts.map(() => draws / 28))).toBeLessThan(chiBound(27));
  });
});
