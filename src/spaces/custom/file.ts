/**
 * A user's search space from a space file (`--space-file SPACE.json`, a preset's `spaceFile`):
 *
 *   {"type": "choices", "choices": {"depth": [2, 3, 4], "act": ["relu", "gelu"]}}
 *   {"type": "cell", "vertices": 8, "maxEdges": 12, "ops": ["conv3x3", "conv1x1", "maxpool"]}
 *
 * with an optional "name" (default: the file's name) and "description". The file is validated
 * with zod, and an error names the file, the JSON pointer of the field (RFC 6901: /choices/width/2)
 * and what the field may be (a key given twice, or a nesting too deep, is refused with its line:
 * util/jsonDocument.ts). Its problem has no benchmark: the user's training evaluates it
 * (evaluation/), and it is never listed, whatever its size, so nothing that needs the list (the
 * full pool, a table) can be asked of it.
 */
import { createHash } from "node:crypto";
import { basename, resolve } from "node:path";
import { z } from "zod";
import { InputError } from "../../util/errors.js";
import { canonicalJson } from "../../util/json.js";
import { readJsonDocument } from "../../util/jsonDocument.js";
import { MAX_HASH_OPS } from "../cell/hash.js";
import { INPUT, OUTPUT } from "../cell/rules.js";
import type { SearchProblem, SearchSpace } from "../types.js";
import { CellSpace } from "./cell.js";
import { ChoicesSpace } from "./choices.js";

/** The most vertices of a space file's cell: exact uniform draws count orderings and symmetries of up to V - 2 interior vertices (cell/uniform.ts). */
export const MAX_CELL_VERTICES = 10;

const NAME = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);
const COMMON = { name: NAME.optional(), description: z.string().optional() };

const CHOICES = z.strictObject({
  type: z.literal("choices"),
  ...COMMON,
  choices: z.record(z.string().min(1), z.array(z.union([z.number(), z.string().min(1)])).min(1)),
});

const CELL = z.strictObject({
  type: z.literal("cell"),
  ...COMMON,
  vertices: z.number().int().min(2).max(MAX_CELL_VERTICES),
  maxEdges: z.number().int().min(1),
  ops: z.array(z.string().min(1)).min(1).max(MAX_HASH_OPS),
});

const SPACE_FILE = z.discriminatedUnion("type", [CHOICES, CELL]);
export type SpaceFileDefinition = z.output<typeof SPACE_FILE>;

/** What each field may be, by the shape of its path, for messages. */
function allowed(path: readonly PropertyKey[], definition: Record<string, unknown>): string {
  const [field, , item] = path;
  const edges = typeof definition.vertices === "number" ? ` (at most ${(definition.vertices * (definition.vertices - 1)) / 2} for ${definition.vertices} vertices)` : "";
  switch (field) {
    case undefined:
      return 'an object: {"type": "choices", "choices": {...}} or {"type": "cell", "vertices": V, "maxEdges": E, "ops": [...]}';
    case "type":
      return '"choices" or "cell"';
    case "name":
      return "a name of letters, digits, '.', '_' and '-'";
    case "description":
      return "a string";
    case "choices":
      return path.length === 1 ? "an object of choice name to its list of values" : item === undefined ? "a non-empty list of distinct values" : "a number or a non-empty string";
    case "vertices":
      return `an integer from 2 to ${MAX_CELL_VERTICES}`;
    case "maxEdges":
      return `an integer >= 1${edges}`;
    case "ops":
      return path.length === 1 ? `a non-empty list of at most ${MAX_HASH_OPS} distinct operation names` : `an operation name (a non-empty string other than '${INPUT}' and '${OUTPUT}')`;
    default:
      return "valid";
  }
}

/** A path as a JSON pointer (RFC 6901). */
export function jsonPointer(path: readonly PropertyKey[]): string {
  return path.length === 0 ? "/" : path.map((key) => `/${String(key).replaceAll("~", "~0").replaceAll("/", "~1")}`).join("");
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((inner, key) => (typeof inner === "object" && inner !== null ? (inner as Record<PropertyKey, unknown>)[key] : undefined), value);
}

/** Rules zod's schema does not say: distinct values and ops, edges within the cell, something to search. */
function semanticProblems(definition: SpaceFileDefinition): { path: PropertyKey[]; message: string }[] {
  const problems: { path: PropertyKey[]; message: string }[] = [];
  if (definition.type === "choices") {
    const entries = Object.entries(definition.choices);
    if (entries.length === 0) problems.push({ path: ["choices"], message: "must name at least one choice" });
    for (const [choice, values] of entries) {
      values.forEach((value, i) => {
        if (values.indexOf(value) < i) problems.push({ path: ["choices", choice, i], message: `repeats the value ${JSON.stringify(value)} (values of a choice are distinct)` });
        if (typeof value === "number" && !Number.isFinite(value)) problems.push({ path: ["choices", choice, i], message: "must be a finite number" });
      });
    }
    if (entries.length > 0 && entries.every(([, values]) => values.length < 2)) {
      problems.push({ path: ["choices"], message: "gives every choice a single value: the space has one architecture, nothing to search (give some choice two values or more)" });
    }
  } else {
    const slots = (definition.vertices * (definition.vertices - 1)) / 2;
    if (definition.maxEdges > slots) problems.push({ path: ["maxEdges"], message: `must be at most ${slots}, the edges a cell of ${definition.vertices} vertices can have, got ${definition.maxEdges}` });
    definition.ops.forEach((op, i) => {
      if (op === INPUT || op === OUTPUT) problems.push({ path: ["ops", i], message: `'${op}' is the name of the cell's ${op} vertex, not an operation` });
      else if (definition.ops.indexOf(op) < i) problems.push({ path: ["ops", i], message: `repeats the operation '${op}' (operations are distinct)` });
    });
  }
  return problems;
}

/** Validates a parsed space file; `where` names it in messages. */
export function parseSpaceDefinition(value: unknown, where: string): SpaceFileDefinition {
  const fail = (path: readonly PropertyKey[], message: string): never => {
    throw new InputError(`${where}: at ${jsonPointer(path)}: ${message}`);
  };
  const result = SPACE_FILE.safeParse(value);
  if (!result.success) {
    // An unknown field first: it is often a misspelt one that zod would report as missing.
    const issue = result.error.issues.find((i) => i.code === "unrecognized_keys") ?? result.error.issues[0]!;
    const given = value as Record<string, unknown>;
    if (issue.code === "unrecognized_keys") {
      const fields = typeof given?.type === "string" && given.type === "cell" ? Object.keys(CELL.shape) : Object.keys(CHOICES.shape);
      const at = [...issue.path, issue.keys[0]!];
      fail(at, `unknown field '${issue.keys[0]}' (a ${given.type} space has the fields ${fields.join(", ")})`);
    }
    // An unknown or missing "type" makes zod say so at /type.
    const path = issue.code === "invalid_union" && issue.path.length === 0 ? ["type"] : issue.path;
    const actual = valueAt(value, path);
    fail(path, actual === undefined ? `is required: ${allowed(path, given ?? {})}` : `must be ${allowed(path, given ?? {})}, got ${JSON.stringify(actual)}`);
  }
  const definition = result.data!;
  const [problem] = semanticProblems(definition);
  if (problem !== undefined) fail(problem.path, problem.message);
  return definition;
}

/** The space of a definition, named `fallbackName` when the definition has no name. */
export function spaceOf(definition: SpaceFileDefinition, fallbackName: string): ChoicesSpace | CellSpace {
  const name = definition.name ?? fallbackName;
  return definition.type === "choices" ? new ChoicesSpace(name, definition.choices) : new CellSpace(name, { vertices: definition.vertices, maxEdges: definition.maxEdges, ops: definition.ops });
}

export interface SpaceFile {
  readonly path: string;
  readonly definition: SpaceFileDefinition;
  /** sha256 of the definition's canonical JSON: what a run directory checks the file against. */
  readonly fingerprint: string;
}

/** Reads and validates a space file; every error is an InputError naming the file and where in it. */
export function readSpaceFile(file: string): SpaceFile {
  const path = resolve(file);
  const definition = parseSpaceDefinition(readJsonDocument(path, "space file", file).value, file);
  return { path, definition, fingerprint: createHash("sha256").update(canonicalJson(definition)).digest("hex") };
}

/** The search problem of a space file: the space, how its architectures are read, no benchmark. */
export function spaceFileProblem(file: string): SearchProblem<unknown> & { readonly spaceFile: SpaceFile } {
  const spaceFile = readSpaceFile(file);
  const space = spaceOf(spaceFile.definition, basename(spaceFile.path).replace(/\.json$/i, ""));
  return {
    spec: { space: space.name, spaceFile: spaceFile.path, objective: "value" },
    space: space as SearchSpace<unknown>,
    objective: "value",
    parse: (input) => space.parse(input),
    spaceFile,
  };
}
