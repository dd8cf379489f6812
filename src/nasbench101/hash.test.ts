import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { FIXTURES } from "../test-support/data.js";
import { MersenneTwister } from "../util/rng.js";
import { hashModule } from "./hash.js";
import { randomSpec } from "./sample.js";
import { ModelSpec, SpecError } from "./spec.js";

interface Vector {
  name: string;
  matrix: number[][];
  ops: string[];
  hash: string | null;
}

const vectors = JSON.parse(readFileSync(`${FIXTURES}/hash_test_vectors.json`, "utf8")) as Vector[];

describe("hash", () => {
  it.each(vectors.map((v) => [v.name, v] as const))("matches the official hash: %s", (_name, vector) => {
    const spec = ModelSpec.from(vector.matrix, vector.ops);
    if (vector.hash === null) expect(() => spec.hash()).toThrow(SpecError);
    else expect(spec.hash()).toBe(vector.hash);
  });

  it("is invariant under any relabelling of the interior vertices (isomorphic cells)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 2 ** 31 }), (seed, permutationSeed) => {
        const spec = randomSpec(MersenneTwister.numpy(seed));
        const n = spec.vertices;
        const matrix = spec.matrix!;
        const ops = spec.ops!;
        // A random permutation of the interior vertices that keeps the edges pointing forward
        // is not always possible, so permute and re-sort topologically by hashing the relabelled
        // graph directly (hash_module does not need an upper-triangular matrix).
        const interior = MersenneTwister.python(permutationSeed).shuffle(Array.from({ length: n - 2 }, (_, i) => i + 1));
        const perm = [0, ...interior, n - 1];
        const permuted = new Uint8Array(n * n);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) permuted[perm[i]! * n + perm[j]!] = matrix[i * n + j]!;
        const labels = spec.labels();
        const permutedLabels = new Int8Array(n);
        for (let i = 0; i < n; i++) permutedLabels[perm[i]!] = labels[i]!;
        expect(hashModule(permuted, n, permutedLabels)).toBe(spec.hash());
        expect(ops).toHaveLength(n);
      }),
      { numRuns: 200 },
    );
  });

  it("tells different cells apart", () => {
    const a = ModelSpec.from([[0, 1, 0], [0, 0, 1], [0, 0, 0]], ["input", "conv3x3-bn-relu", "output"]);
    const b = ModelSpec.from([[0, 1, 0], [0, 0, 1], [0, 0, 0]], ["input", "conv1x1-bn-relu", "output"]);
    expect(a.hash()).not.toBe(b.hash());
  });

  it("rejects graphs it cannot hash", () => {
    expect(() => hashModule(new Uint8Array(32 * 32), 32, new Int8Array(32))).toThrow(/at most 31/);
    expect(() => hashModule(new Uint8Array(4), 2, [-1, 9])).toThrow(/label/);
  });
});
