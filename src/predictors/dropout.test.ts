import { describe, expect, it } from "vitest";
import { seededRng } from "../util/rng.js";
import { fillDropoutMask } from "./dropout.js";

describe("dropout masks", () => {
  it("drop at the given rate and scale the kept entries by 1 / (1 - rate)", () => {
    const mask = fillDropoutMask(seededRng(1), new Float32Array(200_001), 0.1);
    const dropped = mask.filter((value) => value === 0).length;
    expect(dropped / mask.length).toBeCloseTo(0.1, 2);
    expect(new Set(mask)).toEqual(new Set([0, Math.fround(1 / 0.9)]));
  });

  it("are reproducible from the seed and differ between draws", () => {
    const a = seededRng(7);
    const b = seededRng(7);
    const first = fillDropoutMask(a, new Float32Array(1000), 0.5);
    expect(fillDropoutMask(b, new Float32Array(1000), 0.5)).toEqual(first);
    expect(fillDropoutMask(a, new Float32Array(1000), 0.5)).not.toEqual(first);
  });

  it("keep everything at rate 0", () => {
    expect(Array.from(fillDropoutMask(seededRng(0), new Float32Array(5), 0))).toEqual([1, 1, 1, 1, 1]);
  });
});
