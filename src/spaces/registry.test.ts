/**
 * The space registry on every registered space: what each entry point gives (definition, problem,
 * parse, keys, oracle, benchmark), the errors for what a space does not have, and that generic
 * code names no space.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../util/errors.js";
import { seededRng } from "../util/rng.js";
import { REPO_ROOT } from "../test-support/data.js";
import { DEFAULT_SPACE, loadProblem, SPACE_NAMES, SPACES, spaceDefinition } from "./registry.js";
import type { Problem } from "./types.js";
import { ACCEL_NASBENCH } from "./accelnasbench/problem.js";

/** The spaces that can be listed (tabular); Accel-NASBench, judged by surrogates, is tested in accelnasbench/. */
const TABULAR = SPACE_NAMES.filter((name) => name !== ACCEL_NASBENCH.name);

describe.each(TABULAR)("the registered space %s", (name) => {
  const definition = spaceDefinition(name);
  let problem: Problem<unknown>;

  beforeAll(async () => {
    problem = await loadProblem({ space: name });
  });

  it("loads with the first dataset and objective by default, and says so in its spec", () => {
    expect(problem.spec).toEqual({ space: name, objective: definition.objectives[0]!.name, ...(definition.datasets ? { dataset: definition.datasets[0] } : {}) });
    expect(problem.space.name).toBe(name);
    expect(problem.space.enumeration.size).toBe(definition.size);
    expect(problem.truths).toHaveLength(definition.size);
  });

  it("parses what it describes, and keys are identities", () => {
    const rng = seededRng(3);
    for (let i = 0; i < 200; i++) {
      const arch = i % 2 ? problem.space.sampleUniform(rng) : problem.space.sampleNative(rng);
      const index = problem.space.enumeration.indexOf(arch);
      const described = JSON.parse(JSON.stringify(problem.space.describe(arch))) as unknown;
      const parsed = problem.parse(described);
      expect(problem.space.key(parsed)).toBe(problem.space.key(arch));
      expect(problem.space.enumeration.indexOfKey(problem.space.key(arch))).toBe(index);
      expect(problem.space.key(problem.space.enumeration.at(index))).toBe(problem.space.key(arch));
    }
    expect(problem.space.enumeration.indexOfKey("not a key")).toBe(-1);
    expect(() => problem.parse({ nothing: true })).toThrow(InputError);
  });

  it("observes fractions, and truths that are the table's", () => {
    const rng = seededRng(4);
    for (let i = 0; i < 100; i++) {
      const arch = problem.space.sampleUniform(rng);
      const { value, truth } = problem.oracle.observe(arch);
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1);
      expect(truth).toBe(problem.truths[problem.space.enumeration.indexOf(arch)]);
    }
  });

  it("has a benchmark whose metrics cover the space, and a query for every architecture", () => {
    for (const metric of problem.benchmark.metrics) expect(problem.benchmark.values(metric.name)).toHaveLength(definition.size);
    expect(() => problem.benchmark.values("no-such-metric")).toThrow(InputError);
    const answer = problem.benchmark.query(problem.space.enumeration.at(definition.size - 1));
    expect(Object.keys(answer).length).toBeGreaterThan(2);
  });

  it("refuses an objective or dataset it does not have, naming the ones it has", async () => {
    await expect(loadProblem({ space: name, objective: "nope" })).rejects.toThrow(new RegExp(`unknown objective 'nope'.*${definition.objectives[0]!.name}`));
    await expect(loadProblem({ space: name, dataset: "nope" })).rejects.toThrow(InputError);
    if (definition.datasets) {
      for (const dataset of definition.datasets) expect((await loadProblem({ space: name, dataset })).spec.dataset).toBe(dataset);
    }
  });
});

describe("the registry", () => {
  it("refuses an unknown space, listing the known ones", () => {
    expect(() => spaceDefinition("nope")).toThrow(new RegExp(`unknown search space 'nope' \\(known: ${SPACE_NAMES.join(", ")}\\)`));
    expect(SPACE_NAMES).toContain(DEFAULT_SPACE);
  });

  it("refuses the table of a space that cannot be listed, naming what asked for it", async () => {
    await expect(loadProblem({ space: ACCEL_NASBENCH.name }, "the test")).rejects.toThrow(/^the test needs the whole table of the space, and Accel-NASBench cannot be listed \(104,485,552,128 architectures/);
  });

  it("is the only place generic code learns of a space: cli/, study/, search/, pools/ and predictors/ name none and hard-code no size", () => {
    const literals = Object.values(SPACES).flatMap((space) => [space.name, String(space.size), space.size.toLocaleString("en"), String(space.size).replace(/(\d)(?=(\d{3})+$)/g, "$1_")]);
    const offending: string[] = [];
    const scan = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) scan(path);
        else if (path.endsWith(".ts") && !path.endsWith(".test.ts")) {
          // Code only: comments may cite the spaces' papers.
          const code = readFileSync(path, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
          for (const literal of literals) if (code.includes(literal)) offending.push(`${path}: ${literal}`);
        }
      }
    };
    for (const folder of ["cli", "study", "search", "pools", "predictors"]) scan(join(REPO_ROOT, "src", folder));
    expect(offending).toEqual([]);
  });
});
