/**
 * NAS-Bench-201 as a search space, over the shipped table: the enumeration and keys, the edit
 * neighbourhood, NATS-Bench's sampler and mutation (against a plain transcription of the Python
 * reference), and the three encodings on hand-computed cells.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MersenneTwister } from "../../util/rng.js";
import { formatArch, numberToCodes } from "./cell.js";
import { GRAPH_FEATURES, GRAPH_VERTICES, ONEHOT_WIDTH, PATH_WIDTH } from "./encodings.js";
import { type Nb201Cell, Nasbench201Space } from "./space.js";
import { CELL_COUNT, readNasbench201Table } from "./table.js";

const table = readNasbench201Table();
const space = new Nasbench201Space(table.opCodes);

const CELL_0 = "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|";
const ALL_CONV3 = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|";
const MIXED = "|none~0|+|skip_connect~0|nor_conv_1x1~1|+|nor_conv_3x3~0|avg_pool_3x3~1|skip_connect~2|";

/** The edges on which two cells differ. */
function differingEdges(a: Nb201Cell, b: Nb201Cell): number[] {
  const x = space.codes(a);
  const y = space.codes(b);
  return x.flatMap((code, edge) => (code === y[edge] ? [] : [edge]));
}

function cellOfKey(key: string): Nb201Cell {
  const index = space.enumeration.indexOfKey(key);
  expect(index).toBeGreaterThanOrEqual(0);
  return space.enumeration.at(index);
}

/** Indices of the ones among `width` features. */
function ones(values: Float32Array): number[] {
  return [...values.keys()].filter((i) => values[i] === 1);
}

describe("NATS-Bench's reference code, transcribed", () => {
  // exps/NATS-algos: op_names of the tss space, random_topology_func and mutate_arch_func.
  const OP_NAMES = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"];
  const randint = (rng: MersenneTwister, a: number, b: number) => a + rng.below(b - a + 1);
  type Nodes = [string, number][][];
  const toNodes = (arch: string): Nodes =>
    arch.split("+").map((group) =>
      group
        .slice(1, -1)
        .split("|")
        .map((edge) => [edge.split("~")[0]!, Number(edge.split("~")[1])] as [string, number]),
    );
  const toArch = (nodes: Nodes) => nodes.map((node) => `|${node.map(([op, source]) => `${op}~${source}`).join("|")}|`).join("+");

  function randomArchitecture(rng: MersenneTwister, maxNodes = 4): string {
    const genotypes: Nodes = [];
    for (let i = 1; i < maxNodes; i++) {
      const xlist: [string, number][] = [];
      for (let j = 0; j < i; j++) xlist.push([rng.choice(OP_NAMES), j]);
      genotypes.push(xlist);
    }
    return toArch(genotypes);
  }

  function mutateArch(parent: string, rng: MersenneTwister): string {
    const nodes = toNodes(parent);
    const nodeId = randint(rng, 0, nodes.length - 1);
    const nodeInfo = nodes[nodeId]!;
    const snodeId = randint(rng, 0, nodeInfo.length - 1);
    let xop = rng.choice(OP_NAMES);
    while (xop === nodeInfo[snodeId]![0]) xop = rng.choice(OP_NAMES);
    nodeInfo[snodeId] = [xop, nodeInfo[snodeId]![1]];
    return toArch(nodes);
  }

  it("samples the reference's random architectures", () => {
    for (let seed = 0; seed < 200; seed++) {
      const ours = MersenneTwister.python(seed);
      const theirs = MersenneTwister.python(seed);
      for (let draw = 0; draw < 5; draw++) expect(space.key(space.sampleNative(ours))).toBe(randomArchitecture(theirs));
    }
  });

  it("mutates as the reference's regularized evolution does", () => {
    for (let seed = 0; seed < 300; seed++) {
      const ours = MersenneTwister.python(seed);
      const theirs = MersenneTwister.python(seed);
      let cell = space.sampleUniform(ours);
      let arch = space.key(space.sampleUniform(theirs));
      for (let generation = 0; generation < 20; generation++) {
        cell = space.mutate(cell, ours);
        arch = mutateArch(arch, theirs);
        expect(space.key(cell)).toBe(arch);
      }
    }
  });
});

describe("the NAS-Bench-201 space", () => {
  it("enumerates the table's cells, keyed by their arch strings", () => {
    const { enumeration } = space;
    expect(enumeration.size).toBe(CELL_COUNT);
    for (let index = 0; index < CELL_COUNT; index++) {
      const cell = enumeration.at(index);
      expect(enumeration.indexOf(cell)).toBe(index);
      const key = space.key(cell);
      expect(key).toBe(formatArch(numberToCodes(table.opCodes[index]!)));
      expect(enumeration.indexOfKey(key)).toBe(index);
    }
    expect(space.key(enumeration.at(0))).toBe(CELL_0);
    expect(space.describe(enumeration.at(0))).toEqual({ arch: CELL_0, index: 0 });
  });

  it.each(["", "nasbench201", "|nor_conv_3x3~0|+|skip_connect~0|", CELL_0.replace("avg_pool_3x3", "conv"), ` ${CELL_0}`, `${CELL_0}\n`])(
    "has no cell for the key %j",
    (key) => expect(space.enumeration.indexOfKey(key)).toBe(-1),
  );

  it("refuses an operation column that is not the 15,625 cells once each", () => {
    expect(() => new Nasbench201Space(table.opCodes.slice(1))).toThrow(/15625 cells/);
    const repeated = table.opCodes.slice();
    repeated[1] = repeated[0]!;
    expect(() => new Nasbench201Space(repeated)).toThrow(/not a permutation/);
  });

  it("gives every cell 24 distinct neighbours, one op change each, edge-major then new op ascending", () => {
    // Checked in plain code with one expect at the end: 375,000 separate expects take half a minute.
    const order = JSON.stringify([0, 1, 2, 3, 4, 5].flatMap((edge) => [edge, edge, edge, edge]));
    const wrong: number[] = [];
    for (let index = 0; index < CELL_COUNT; index++) {
      const cell = space.enumeration.at(index);
      const found = space.neighbours(cell);
      const changed = found.map((n) => differingEdges(cell, n));
      const edges = changed.map((edges) => edges[0]!);
      const newOps = found.map((n, at) => space.codes(n)[edges[at]!]!);
      const ok =
        found.length === 24 &&
        new Set(found.map((n) => n.index)).size === 24 &&
        changed.every((edges) => edges.length === 1) &&
        JSON.stringify(edges) === order &&
        newOps.every((op, at) => at % 4 === 0 || op > newOps[at - 1]!);
      if (!ok) wrong.push(index);
    }
    expect(wrong).toEqual([]);
  });

  it("has a symmetric neighbourhood", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: CELL_COUNT - 1 }), fc.integer({ min: 0, max: CELL_COUNT - 1 }), (a, b) => {
        const inA = space.neighbours({ index: a }).some((n) => n.index === b);
        const inB = space.neighbours({ index: b }).some((n) => n.index === a);
        expect(inA).toBe(inB);
        for (const n of space.neighbours({ index: a })) expect(space.neighbours(n).some((m) => m.index === a)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("makes a single random edit to a neighbour, and several to anything but the cell itself", () => {
    const rng = MersenneTwister.python(7);
    const seen = new Set<number>();
    const start = space.enumeration.at(4242);
    const neighbours = new Set(space.neighbours(start).map((n) => n.index));
    for (let draw = 0; draw < 2000; draw++) {
      const edited = space.randomEdit(start, rng);
      expect(neighbours.has(edited.index)).toBe(true);
      seen.add(edited.index);
    }
    expect(seen.size).toBe(24);
    for (let draw = 0; draw < 2000; draw++) {
      const cell = space.sampleUniform(rng);
      const edited = space.randomEdit(cell, rng, 1 + (draw % 4));
      expect(edited.index).not.toBe(cell.index);
      expect(differingEdges(cell, edited).length).toBeLessThanOrEqual(1 + (draw % 4));
    }
  });

  it("mutates exactly one edge", () => {
    const rng = MersenneTwister.python(11);
    for (let draw = 0; draw < 2000; draw++) {
      const cell = space.sampleUniform(rng);
      expect(differingEdges(cell, space.mutate(cell, rng))).toHaveLength(1);
    }
  });

  it("samples in range, and the same seed draws the same cells", () => {
    const run = (seed: number) => {
      const rng = MersenneTwister.python(seed);
      const cells: Nb201Cell[] = [];
      for (let draw = 0; draw < 200; draw++) {
        const uniform = space.sampleUniform(rng);
        const native = space.sampleNative(rng);
        cells.push(uniform, native, space.mutate(native, rng), space.randomEdit(uniform, rng, 2));
      }
      return cells.map((cell) => cell.index);
    };
    const first = run(3);
    for (const index of first) expect(Number.isInteger(index) && index >= 0 && index < CELL_COUNT).toBe(true);
    expect(run(3)).toEqual(first);
    expect(run(4)).not.toEqual(first);
  });
});

describe("NAS-Bench-201 encodings", () => {
  /** The hand-computed encodings of three cells, as codes: edge e's op is at 5e + code; paths below. */
  const CASES = [
    // codes [4, 2, 1, 2, 1, 1]: paths [e3] 2; [e0, e4] 5 + 4 + 1*5; [e1, e5] 5 + 2 + 1*5; [e0, e2, e5] 30 + 4 + 1*5 + 1*25
    { arch: CELL_0, onehot: [4, 7, 11, 17, 21, 26], path: [2, 12, 14, 64], ops: [4, 2, 1, 2, 1, 1] },
    // codes [0, 1, 2, 3, 4, 1]: paths 3; 5 + 0 + 4*5; 5 + 1 + 1*5; 30 + 0 + 2*5 + 1*25
    { arch: MIXED, onehot: [0, 6, 12, 18, 24, 26], path: [3, 11, 25, 65], ops: [0, 1, 2, 3, 4, 1] },
    // all 3: the two length-2 paths coincide at 5 + 3 + 3*5 = 23, so 3 bits; 30 + 3 + 15 + 75 = 123
    { arch: ALL_CONV3, onehot: [3, 8, 13, 18, 23, 28], path: [3, 23, 123], ops: [3, 3, 3, 3, 3, 3] },
  ];
  const ADJACENCY = [
    [0, 1, 1, 0, 1, 0, 0, 0],
    [0, 0, 0, 1, 0, 1, 0, 0],
    [0, 0, 0, 0, 0, 0, 1, 0],
    [0, 0, 0, 0, 0, 0, 1, 0],
    [0, 0, 0, 0, 0, 0, 0, 1],
    [0, 0, 0, 0, 0, 0, 0, 1],
    [0, 0, 0, 0, 0, 0, 0, 1],
    [0, 0, 0, 0, 0, 0, 0, 0],
  ].flat();

  it("has the published widths", () => {
    expect([ONEHOT_WIDTH, PATH_WIDTH, GRAPH_VERTICES, GRAPH_FEATURES]).toEqual([30, 155, 8, 7]);
    expect(space.encodings.onehot!.width).toBe(30);
    expect(space.encodings.path!.width).toBe(155);
    expect([space.graph.vertices, space.graph.features]).toEqual([8, 7]);
  });

  it("encodes hand-computed cells, row by row", () => {
    const cells = CASES.map(({ arch }) => cellOfKey(arch));
    const onehot = new Float32Array(cells.length * 30).fill(9);
    const path = new Float32Array(cells.length * 155).fill(9);
    space.encodings.onehot!.encode(cells, onehot);
    space.encodings.path!.encode(cells, path);
    const V = 8;
    const adjacency = new Float32Array(cells.length * V * V).fill(9);
    const features = new Float32Array(cells.length * V * 7).fill(9);
    const counts = new Float32Array(cells.length);
    space.graph.encode(cells, adjacency, features, counts);
    CASES.forEach((expected, row) => {
      const rowOf = (values: Float32Array, width: number) => values.subarray(row * width, (row + 1) * width);
      expect(ones(rowOf(onehot, 30))).toEqual(expected.onehot);
      expect(ones(rowOf(path, 155))).toEqual(expected.path);
      expect(Array.from(rowOf(adjacency, V * V))).toEqual(ADJACENCY);
      // vertex features: input (5), the edges' ops, output (6)
      const vertexFeatures = [5, ...expected.ops, 6];
      const rowFeatures = rowOf(features, V * 7);
      expect(ones(rowFeatures)).toEqual(vertexFeatures.map((feature, vertex) => vertex * 7 + feature));
      expect(counts[row]).toBe(8);
    });
  });

  it("sets 6 one-hot bits and a path bit per distinct path, in its length's range, for any cell", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: CELL_COUNT - 1 }), (index) => {
        const cell = space.enumeration.at(index);
        const c = space.codes(cell);
        const onehot = new Float32Array(30);
        space.encodings.onehot!.encode([cell], onehot);
        expect(ones(onehot).map((feature) => feature % 5)).toEqual(c);
        const pathBits = new Float32Array(155);
        space.encodings.path!.encode([cell], pathBits);
        const path = ones(pathBits);
        const lengthTwoCoincide = c[0] === c[1] && c[4] === c[5];
        expect(path).toHaveLength(lengthTwoCoincide ? 3 : 4);
        expect(path.filter((bit) => bit < 5)).toHaveLength(1);
        expect(path.filter((bit) => bit >= 5 && bit < 30)).toHaveLength(lengthTwoCoincide ? 1 : 2);
        expect(path.filter((bit) => bit >= 30 && bit < 155)).toHaveLength(1);
      }),
      { numRuns: 500 },
    );
  });
});
