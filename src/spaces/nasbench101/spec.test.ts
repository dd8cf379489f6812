import { describe, expect, it } from "vitest";
import { checkSpec, isValid, ModelSpec, SpecError, type SpecProblem } from "../cell/spec.js";
import { NASBENCH101_RULES } from "./ops.js";

const C3 = "conv3x3-bn-relu";
const C1 = "conv1x1-bn-relu";
const MP = "maxpool3x3";

function problemOf(build: () => ModelSpec): SpecProblem | undefined {
  try {
    checkSpec(build());
    return undefined;
  } catch (error) {
    if (error instanceof SpecError) return error.problem;
    throw error;
  }
}

describe("ModelSpec", () => {
  it("prunes vertices off every input-output path, as the official ModelSpec", () => {
    // Vertex 2 has no path to the output, vertex 3 none from the input.
    const spec = ModelSpec.from(
      [
        [0, 1, 1, 0, 0],
        [0, 0, 0, 0, 1],
        [0, 0, 0, 0, 0],
        [0, 0, 0, 0, 1],
        [0, 0, 0, 0, 0],
      ],
      ["input", C3, MP, C1, "output"],
      NASBENCH101_RULES,
    );
    expect(spec.pruned()).toEqual({ matrix: [[0, 1, 0], [0, 0, 1], [0, 0, 0]], ops: ["input", C3, "output"] });
    expect(spec.original().ops).toHaveLength(5);
  });

  it("accepts the data table's row-major string and comma or bar separated ops", () => {
    const a = ModelSpec.from("011001000", `input,${C3},output`, NASBENCH101_RULES);
    const b = ModelSpec.from([[0, 1, 1], [0, 0, 1], [0, 0, 0]], `input|${C3}|output`, NASBENCH101_RULES);
    expect(a.hash()).toBe(b.hash());
  });

  it.each<[string, unknown, unknown, SpecProblem]>([
    ["a non-square matrix", [[0, 1], [0]], ["input", "output"], "not-square"],
    ["ops of the wrong length", [[0, 1], [0, 0]], ["input", C3, "output"], "ops-length"],
    ["a lower-triangular entry", [[0, 1], [1, 0]], ["input", "output"], "not-upper-triangular"],
    ["a self-loop", [[1, 1], [0, 0]], ["input", "output"], "not-upper-triangular"],
    ["a non-0/1 entry", [[0, 2], [0, 0]], ["input", "output"], "not-binary"],
    ["a non-square string", "01001", ["input", "output"], "not-square"],
    ["a bad character", "0x00", ["input", "output"], "not-binary"],
    ["not a matrix", 42, ["input", "output"], "bad-shape"],
    ["ops that are not strings", [[0, 1], [0, 0]], [1, 2], "bad-shape"],
  ])("rejects %s when built", (_what, matrix, ops, problem) => {
    expect(() => ModelSpec.from(matrix, ops, NASBENCH101_RULES)).toThrow(SpecError);
    try {
      ModelSpec.from(matrix, ops, NASBENCH101_RULES);
    } catch (error) {
      expect((error as SpecError).problem).toBe(problem);
    }
  });

  it("names why a well-formed spec is outside the space", () => {
    expect(problemOf(() => ModelSpec.from([[0, 1, 0], [0, 0, 0], [0, 0, 0]], ["input", C3, "output"], NASBENCH101_RULES))).toBe("disconnected");
    const chain = (n: number) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (j === i + 1 ? 1 : 0)));
    expect(problemOf(() => ModelSpec.from(chain(8), ["input", ...Array(6).fill(C3), "output"], NASBENCH101_RULES))).toBe("too-many-vertices");
    const dense = Array.from({ length: 6 }, (_, i) => Array.from({ length: 6 }, (_, j) => (j > i ? 1 : 0)));
    expect(problemOf(() => ModelSpec.from(dense, ["input", C3, C3, C3, C3, "output"], NASBENCH101_RULES))).toBe("too-many-edges");
    expect(problemOf(() => ModelSpec.from([[0, 1], [0, 0]], [C3, "output"], NASBENCH101_RULES))).toBe("input-misplaced");
    expect(problemOf(() => ModelSpec.from([[0, 1], [0, 0]], ["input", C3], NASBENCH101_RULES))).toBe("output-misplaced");
    expect(problemOf(() => ModelSpec.from([[0, 1, 0], [0, 0, 1], [0, 0, 0]], ["input", "conv5x5", "output"], NASBENCH101_RULES))).toBe("unknown-op");
  });

  it("applies the limits to the pruned cell, as the official check does", () => {
    // 8 vertices: the chain 0-1-2-3-4-5-7, and vertex 6 with no edge at all.
    const matrix = Array.from({ length: 8 }, () => Array<number>(8).fill(0));
    for (const [from, to] of [[0, 1], [1, 2], [2, 3], [3, 4], [4, 5], [5, 7]] as const) matrix[from]![to] = 1;
    const spec = ModelSpec.from(matrix, ["input", C3, C3, C3, C3, C3, "nonsense", "output"], NASBENCH101_RULES);
    expect(isValid(spec)).toBe(true);
    expect(spec.vertices).toBe(7);
  });

  it("error messages say where the problem is", () => {
    expect(() => ModelSpec.from([[0, 1], [1, 0]], ["input", "output"], NASBENCH101_RULES)).toThrow(/\[1\]\[0\]/);
    expect(() => ModelSpec.from([[0, 1, 0], [0, 0, 1], [0, 0, 0]], ["input", "conv5x5", "output"], NASBENCH101_RULES).hash()).toThrow(/conv5x5.*vertex 1/);
  });
});
