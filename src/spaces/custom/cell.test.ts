import { describe, expect, it } from "vitest";
import { builtinBenchmark } from "../../test-support/data.js";
import { seededRng, MersenneTwister } from "../../util/rng.js";
import { hashModule } from "../cell/hash.js";
import { prune } from "../cell/spec.js";
import { AVAILABLE_OPS, NASBENCH101_RULES } from "../nasbench101/ops.js";
import { Nasbench101Space } from "../nasbench101/space.js";
import type { SearchSpace } from "../types.js";
import { CellSpace } from "./cell.js";

const nb101Like = new CellSpace("nb101-like", { vertices: 7, maxEdges: 9, ops: [...AVAILABLE_OPS] });

describe("a space file's cell with NAS-Bench-101's rules is NAS-Bench-101", () => {
  it("hashes every cell of the catalogue (a sample) to the official hash", async () => {
    const { catalogue } = await builtinBenchmark();
    const rng = seededRng(1);
    for (let i = 0; i < 5000; i++) {
      const index = rng.below(catalogue.size);
      const cell = nb101Like.parse(catalogue.cellSpec(index));
      expect(nb101Like.key(cell)).toBe(catalogue.hash(index));
    }
  });

  it("draws, mutates and edits as NAS-Bench-101 does, seed for seed, and its neighbourhoods are the same cells", async () => {
    const { catalogue } = await builtinBenchmark();
    const nb101 = new Nasbench101Space(catalogue);
    const [a, b] = [MersenneTwister.numpy(7), MersenneTwister.numpy(7)];
    for (let i = 0; i < 200; i++) {
      const mine = nb101Like.sampleNative(a);
      const theirs = nb101.sampleNative(b);
      expect(nb101Like.key(mine)).toBe(nb101.key(theirs));
      expect(nb101Like.key(nb101Like.mutate(mine, a))).toBe(nb101.key(nb101.mutate(theirs, b)));
    }
    const rng = seededRng(3);
    for (let i = 0; i < 100; i++) {
      const index = rng.below(catalogue.size);
      const cell = nb101Like.parse(catalogue.cellSpec(index));
      expect(nb101Like.neighbours(cell).map((n) => nb101Like.key(n)).sort()).toEqual(nb101.neighbours({ index }).map((n) => nb101.key(n)).sort());
      const [x, y] = [seededRng(i), seededRng(i)];
      expect(nb101Like.key(nb101Like.randomEdit(cell, x, 2)!)).toBe(nb101.key(nb101.randomEdit({ index }, y, 2)!));
    }
  });

  it("draws uniformly over the unique cells without listing them: every draw is a catalogue cell, in the catalogue's proportions", async () => {
    const { catalogue } = await builtinBenchmark();
    const shape = (n: number, edges: number) => `${n} vertices, ${edges} edges`;
    const expected = new Map<string, number>();
    for (let i = 0; i < catalogue.size; i++) {
      const edges = catalogue.matrix(i).reduce((sum, x) => sum + x, 0);
      const key = shape(catalogue.vertexCount(i), edges);
      expected.set(key, (expected.get(key) ?? 0) + 1 / catalogue.size);
    }
    const draws = 10_000;
    const observed = new Map<string, number>();
    const rng = seededRng(4);
    for (let i = 0; i < draws; i++) {
      const cell = nb101Like.sampleUniform(rng);
      expect(catalogue.indexOfHash(nb101Like.key(cell))).toBeGreaterThanOrEqual(0);
      const key = shape(cell.spec.vertices, cell.spec.edgeCount());
      observed.set(key, (observed.get(key) ?? 0) + 1);
    }
    // Pearson's chi-square over the shapes expected at least 5 times: far below its 0.999 quantile.
    let chi = 0;
    let cells = 0;
    for (const [key, p] of expected) {
      if (p * draws < 5) continue;
      chi += ((observed.get(key) ?? 0) - p * draws) ** 2 / (p * draws);
      cells++;
    }
    expect(cells).toBeGreaterThan(10);
    expect(chi).toBeLessThan(40);
  });
});

describe("a larger cell space", () => {
  it("draws exactly uniformly over the unique cells of a space small enough to list by brute force", () => {
    const rules = { vertices: 5, maxEdges: 6, ops: ["a", "b"] };
    const space = new CellSpace("small", rules);
    // Every pruned, valid labelled graph of up to 5 vertices, by hash.
    const cells = new Set<string>();
    for (let n = 2; n <= 5; n++) {
      const slots = (n * (n - 1)) / 2;
      for (let mask = 0; mask < 2 ** slots; mask++) {
        const matrix = new Uint8Array(n * n);
        let slot = 0;
        for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) matrix[i * n + j] = (mask >>> slot++) & 1;
        if (matrix.reduce((s, x) => s + x, 0) > rules.maxEdges || prune(matrix, n)?.length !== n) continue;
        for (let ops = 0; ops < 2 ** (n - 2); ops++) {
          const labels = Int8Array.from({ length: n }, (_, v) => (v === 0 ? -1 : v === n - 1 ? -2 : (ops >>> (v - 1)) & 1));
          cells.add(hashModule(matrix, n, labels));
        }
      }
    }
    const draws = 20_000;
    const counts = new Map<string, number>();
    const rng = seededRng(5);
    for (let i = 0; i < draws; i++) {
      const key = space.key(space.sampleUniform(rng));
      expect(cells.has(key)).toBe(true);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(cells.size);
    const mean = draws / cells.size;
    const chi = [...cells].reduce((sum, key) => sum + ((counts.get(key) ?? 0) - mean) ** 2 / mean, 0);
    // Degrees of freedom cells - 1; a biased sampler (e.g. uniform over representations) is far off.
    expect(chi).toBeLessThan(cells.size - 1 + 4.5 * Math.sqrt(2 * (cells.size - 1)));
  });

  it("is far too large to list, and still draws, mutates and encodes its cells within its limits", () => {
    const space = new CellSpace("big", { vertices: 9, maxEdges: 12, ops: ["conv3x3", "conv1x1", "maxpool", "sep5x5"] });
    expect((space as SearchSpace<unknown>).enumeration).toBeUndefined();
    // Its 21,845 possible paths are too many to encode: predictors learn from the adjacency.
    expect(space.encodings.path).toBeUndefined();
    expect(space.defaultEncoding).toBe("adjacency");
    expect(new CellSpace("three", { vertices: 9, maxEdges: 12, ops: ["a", "b", "c"] }).encodings.path!.width).toBe((3 ** 8 - 1) / 2);
    const rng = seededRng(6);
    const archs = Array.from({ length: 50 }, () => space.sampleUniform(rng));
    for (const arch of [...archs, ...archs.map((a) => space.mutate(a, rng)), ...archs.map(() => space.sampleNative(rng))]) {
      expect(arch.spec.vertices).toBeLessThanOrEqual(9);
      expect(arch.spec.edgeCount()).toBeLessThanOrEqual(12);
      expect(space.parse(space.describe(arch)).key).toBe(arch.key);
    }
    expect(archs.some((a) => a.spec.vertices === 9)).toBe(true);
    const adjacency = new Float32Array(archs.length * space.encodings.adjacency!.width);
    space.encodings.adjacency!.encode(archs, adjacency);
    expect(space.encodings.adjacency!.width).toBe(36 + 7 * 4);
    const V = 9;
    const [adj, features, counts] = [new Float32Array(archs.length * V * V), new Float32Array(archs.length * V * 6), new Float32Array(archs.length)];
    space.graph.encode(archs, adj, features, counts);
    expect([...counts]).toEqual(archs.map((a) => a.spec.vertices));
    expect(() => space.parse({ matrix: [[0, 1], [0, 0]], ops: ["input", "output"], extra: 1 })).not.toThrow();
    expect(() => space.parse({ matrix: [[0, 1, 0], [0, 0, 1], [0, 0, 0]], ops: ["input", "conv5x5", "output"] })).toThrow(/unsupported op 'conv5x5' at vertex 1 of the pruned cell \(interior ops are conv3x3, conv1x1, maxpool, sep5x5\)/);
  });
});

describe("NAS-Bench-101's own rules", () => {
  it("are the generic cell's with 7 vertices, 9 edges and the official ops", () => {
    expect(NASBENCH101_RULES).toEqual({ vertices: 7, maxEdges: 9, ops: ["conv3x3-bn-relu", "conv1x1-bn-relu", "maxpool3x3"] });
  });
});
