import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { seededRng } from "../../util/rng.js";
import { resolveMethodOptions } from "../../search/methods.js";
import { sourceOf } from "../../options/schema.js";
import { loadSearchProblem } from "../registry.js";
import { ChoicesSpace } from "./choices.js";
import { readSpaceFile, spaceFileProblem } from "./file.js";

const dir = mkdtempSync(join(tmpdir(), "prednas-space-file-"));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe("space files", () => {
  it.each([
    ["not JSON", '{"type": "choices",', /not valid JSON at line 1, column 20/],
    ["no type", '{"choices": {"a": [1, 2]}}', /at \/type: is required: "choices" or "cell"/],
    ["an unknown type", '{"type": "graph"}', /at \/type: must be "choices" or "cell", got "graph"/],
    ["a misspelt field", '{"type": "cell", "vertices": 7, "maxEdge": 9, "ops": ["a"]}', /at \/maxEdge: unknown field 'maxEdge' \(a cell space has the fields type, name, description, vertices, maxEdges, ops\)/],
    ["a value that is neither number nor string", '{"type": "choices", "choices": {"width": [16, 32, true]}}', /at \/choices\/width\/2: must be a number or a non-empty string, got true/],
    ["an empty choice", '{"type": "choices", "choices": {"width": []}}', /at \/choices\/width: must be a non-empty list of distinct values, got \[\]/],
    ["a repeated value", '{"type": "choices", "choices": {"act": ["relu", "gelu", "relu"]}}', /at \/choices\/act\/2: repeats the value "relu"/],
    ["one architecture", '{"type": "choices", "choices": {"a": [1], "b": ["x"]}}', /at \/choices: gives every choice a single value/],
    ["a pointer that needs escaping", '{"type": "choices", "choices": {"a/b~c": [1, null]}}', /at \/choices\/a~1b~0c\/1: must be a number/],
    ["too many vertices", '{"type": "cell", "vertices": 11, "maxEdges": 9, "ops": ["a"]}', /at \/vertices: must be an integer from 2 to 10, got 11/],
    ["a fractional edge count", '{"type": "cell", "vertices": 7, "maxEdges": 9.5, "ops": ["a"]}', /at \/maxEdges: must be an integer >= 1 \(at most 21 for 7 vertices\), got 9\.5/],
    ["more edges than slots", '{"type": "cell", "vertices": 4, "maxEdges": 7, "ops": ["a"]}', /at \/maxEdges: must be at most 6/],
    ["an op named input", '{"type": "cell", "vertices": 4, "maxEdges": 5, "ops": ["conv", "input"]}', /at \/ops\/1: 'input' is the name of the cell's input vertex/],
    ["a repeated op", '{"type": "cell", "vertices": 4, "maxEdges": 5, "ops": ["conv", "conv"]}', /at \/ops\/1: repeats the operation 'conv'/],
    ["no ops", '{"type": "cell", "vertices": 4, "maxEdges": 5, "ops": []}', /at \/ops: must be a non-empty list of at most 30 distinct operation names, got \[\]/],
    ["a bad name", '{"type": "choices", "name": "my space", "choices": {"a": [1, 2]}}', /at \/name: must be a name of letters/],
  ])("refuses %s, naming the file and the JSON pointer", (_what, text, message) => {
    const path = file("broken.json", text);
    expect(() => readSpaceFile(path)).toThrow(message);
    expect(() => readSpaceFile(path)).toThrow(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: `));
  });

  it("refuses a missing file and a built-in space's name", async () => {
    expect(() => readSpaceFile(join(dir, "nope.json"))).toThrow(/cannot read the space file .*nope\.json: ENOENT/);
    const path = file("clash.json", '{"type": "choices", "name": "nasbench101", "choices": {"a": [1, 2]}}');
    await expect(loadSearchProblem({ space: "nasbench101", spaceFile: path })).rejects.toThrow(/at \/name: 'nasbench101' is the name of a built-in space/);
  });

  it("gives the same fingerprint and keys whatever the order and layout of the file", () => {
    const a = spaceFileProblem(file("a.json", '{"type": "choices", "choices": {"width": [16, 32], "act": ["relu", "gelu"]}}'));
    const b = spaceFileProblem(file("b.json", '{\n  "type": "choices",\n  "choices": {"act": ["relu", "gelu"], "width": [16, 32]}\n}\n'));
    expect(a.spaceFile.fingerprint).toBe(b.spaceFile.fingerprint);
    const arch = a.parse({ width: 32, act: "gelu" });
    expect(a.space.key(arch)).toBe('{"act":"gelu","width":32}');
    expect(b.space.key(b.parse({ act: "gelu", width: 32 }))).toBe(a.space.key(arch));
    expect(a.space.name).toBe("a");
  });

  it("refuses the full pool on a space that cannot be listed, naming the pools that work", () => {
    const problem = spaceFileProblem(file("huge.json", JSON.stringify({ type: "choices", choices: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`c${i}`, [1, 2, 3]])) })));
    expect(() => resolveMethodOptions("predictor", { pool: "full" }, sourceOf("--pool"), problem.space)).toThrow(
      /--pool: the full pool scores every architecture of the space each iteration, and the space 'huge', 3\.5e9 architectures, cannot be listed .*use a pool that draws its candidates: random, mutation, evolution, annealing, mixed, neighbourhood/,
    );
    // The MLP ensemble's path encoding is a cell's: on choices it takes one-hot, and says so in the options.
    expect(resolveMethodOptions("predictor", {}, sourceOf("flags"), problem.space).predictorOptions).toMatchObject({ encoding: "onehot" });
    expect(() => resolveMethodOptions("predictor", { predictor: "gcn" }, sourceOf("flags"), problem.space)).toThrow(/no graph encoding/);
  });
});

describe("a space of choices", () => {
  const space = new ChoicesSpace("net", { depth: [2, 3, 4], width: [64, 16, 32], act: ["relu", "gelu"], fixed: ["yes"] });

  it("is the product of its choices, sampled by independent draws, reproducibly", () => {
    expect(space.size).toBe(18);
    const draws = (seed: number) => {
      const rng = seededRng(seed);
      return Array.from({ length: 200 }, () => space.key(space.sampleUniform(rng)));
    };
    expect(new Set(draws(1)).size).toBe(18);
    expect(draws(1)).toEqual(draws(1));
    expect(draws(2)).not.toEqual(draws(1));
  });

  it("has one-edit neighbourhoods, edits and mutations that change choices, and never the constants", () => {
    const arch = space.parse({ depth: 3, width: 16, act: "gelu", fixed: "yes" });
    expect(space.describe(arch)).toEqual({ act: "gelu", depth: 3, fixed: "yes", width: 16 });
    const neighbours = space.neighbours(arch);
    expect(neighbours).toHaveLength(1 + 2 + 2);
    for (const n of neighbours) expect(n.filter((v, c) => v !== arch[c])).toHaveLength(1);
    const rng = seededRng(2);
    for (let i = 0; i < 100; i++) {
      const edited = space.randomEdit(arch, rng)!;
      expect(edited.filter((v, c) => v !== arch[c])).toHaveLength(1);
      expect(space.key(space.mutate(arch, rng))).not.toBe(space.key(arch));
      expect(space.describe(space.mutate(arch, rng, 3)).fixed).toBe("yes");
    }
  });

  it("encodes one-hot, and numeric choices by rank", () => {
    const archs = [space.parse({ depth: 2, width: 64, act: "relu", fixed: "yes" })];
    const onehot = new Float32Array(space.encodings.onehot!.width);
    space.encodings.onehot!.encode(archs, onehot);
    // act (relu, gelu), depth (2, 3, 4), width (64, 16, 32); the constant is not encoded.
    expect([...onehot]).toEqual([1, 0, 1, 0, 0, 1, 0, 0]);
    const ordinal = new Float32Array(space.encodings.ordinal!.width);
    space.encodings.ordinal!.encode(archs, ordinal);
    expect([...ordinal]).toEqual([0, 1, 1, 0]);
  });

  it("reads architectures strictly, saying what is allowed", () => {
    expect(() => space.parse({ depth: 5, width: 16, act: "relu", fixed: "yes" })).toThrow(/the choice 'depth' must be one of 2, 3, 4, got 5/);
    expect(() => space.parse({ depth: 2, width: 16, act: "relu" })).toThrow(/no value for the choice 'fixed'/);
    expect(() => space.parse({ depth: 2, width: 16, act: "relu", fixed: "yes", extra: 1 })).toThrow(/net has no choice 'extra'/);
  });
});
