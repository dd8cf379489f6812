/**
 * A cell specification of an NB101-style space (rules.ts): adjacency matrix plus operations,
 * pruned exactly as the official NAS-Bench-101 `ModelSpec` prunes it, and checked exactly as the
 * official `NASBench._check_spec` does, against the space's rules instead of NAS-Bench-101's
 * constants (NASBENCH101_RULES gives the official behaviour).
 *
 * Two kinds of problem are kept apart, as in the official code:
 * - a malformed spec (not square, ops of the wrong length, not upper-triangular, not 0/1) cannot
 *   be built at all: `ModelSpec.from` throws;
 * - a well-formed spec may still be outside the search space (disconnected, too many vertices or
 *   edges after pruning, misplaced input/output, unknown op): `checkSpec` throws, `isValid` says
 *   false. As officially, these limits apply to the pruned cell, so an 8-vertex matrix whose extra
 *   vertex is dangling is valid, and the op of a pruned vertex is never looked at.
 */
import { InputError } from "../../util/errors.js";
import { MAX_JSON_DEPTH, tooDeepAt } from "../../util/jsonDocument.js";
import { hashModule } from "./hash.js";
import { INPUT, OUTPUT, opLabel, type CellRules } from "./rules.js";

/** The plain, serialisable form of a cell: what users write and what the CLI prints. */
export interface CellSpec {
  readonly matrix: readonly (readonly number[])[];
  readonly ops: readonly string[];
}

export type SpecProblem =
  | "bad-shape"
  | "not-square"
  | "ops-length"
  | "not-binary"
  | "not-upper-triangular"
  | "disconnected"
  | "too-many-vertices"
  | "too-many-edges"
  | "input-misplaced"
  | "output-misplaced"
  | "unknown-op";

/** The rules a well-formed spec can break: it lies outside the space. */
export type DomainProblem = Extract<SpecProblem, "disconnected" | "too-many-vertices" | "too-many-edges" | "input-misplaced" | "output-misplaced" | "unknown-op">;

/** A spec that is malformed or outside the space; `problem` names which rule. */
export class SpecError extends InputError {
  constructor(
    readonly problem: SpecProblem,
    message: string,
  ) {
    super(message);
  }
}

/** Largest matrix accepted before pruning: generous, but bounds the work a bad input can cause. */
const MAX_INPUT_VERTICES = 64;

export class ModelSpec {
  /** Pruned matrix (row-major, `vertices` x `vertices`), or null for a disconnected spec. */
  readonly matrix: Uint8Array | null;
  /** Pruned ops, or null for a disconnected spec. */
  readonly ops: readonly string[] | null;
  readonly vertices: number;

  private constructor(
    readonly originalMatrix: Uint8Array,
    readonly originalOps: readonly string[],
    /** The space the spec is checked and hashed against. */
    readonly rules: CellRules,
  ) {
    const pruned = prune(originalMatrix, originalOps.length);
    if (pruned === null) {
      this.matrix = null;
      this.ops = null;
      this.vertices = 0;
    } else {
      this.vertices = pruned.length;
      this.matrix = submatrix(originalMatrix, originalOps.length, pruned);
      this.ops = pruned.map((v) => originalOps[v]!);
    }
  }

  /** Whether input and output are connected (official `valid_spec`). */
  get validSpec(): boolean {
    return this.matrix !== null;
  }

  get originalVertices(): number {
    return this.originalOps.length;
  }

  /**
   * Builds a spec from a nested 0/1 matrix (or the row-major 0/1 string of the data table) and
   * a list of op names. Throws {@link SpecError} when the spec is malformed.
   */
  static from(matrix: unknown, ops: unknown, rules: CellRules): ModelSpec {
    const opList = parseOps(ops);
    const flat = parseMatrix(matrix);
    const n = Math.round(Math.sqrt(flat.length));
    if (opList.length !== n) {
      throw new SpecError("ops-length", `the matrix has ${n} vertices but ${opList.length} ops were given; give one op per vertex`);
    }
    for (let row = 0; row < n; row++) {
      for (let col = 0; col <= row; col++) {
        if (flat[row * n + col]) {
          throw new SpecError(
            "not-upper-triangular",
            `the matrix must be strictly upper-triangular (edges only from a vertex to a later one), but entry [${row}][${col}] is 1`,
          );
        }
      }
    }
    return new ModelSpec(flat, opList, rules);
  }

  /** Builds a spec from trusted row-major data (no copy, no checks): for internal hot paths. */
  static fromTrusted(matrix: Uint8Array, ops: readonly string[], rules: CellRules): ModelSpec {
    return new ModelSpec(matrix, ops, rules);
  }

  /** The spec as given, before pruning. */
  original(): CellSpec {
    return { matrix: toNested(this.originalMatrix, this.originalVertices), ops: [...this.originalOps] };
  }

  /** The pruned spec; throws for a disconnected spec. */
  pruned(): CellSpec {
    if (this.matrix === null || this.ops === null) throw disconnected();
    return { matrix: toNested(this.matrix, this.vertices), ops: [...this.ops] };
  }

  /** Number of edges of the pruned spec. */
  edgeCount(): number {
    if (this.matrix === null) throw disconnected();
    let edges = 0;
    for (const entry of this.matrix) edges += entry;
    return edges;
  }

  /** Integer labels of the pruned ops (-1 input, -2 output, the op's index for interior vertices), for hashing. */
  labels(): Int8Array {
    if (this.ops === null) throw disconnected();
    const labels = new Int8Array(this.vertices);
    labels[0] = -1;
    labels[this.vertices - 1] = -2;
    for (let v = 1; v < this.vertices - 1; v++) labels[v] = opLabel(this.rules, this.ops[v]!)!;
    return labels;
  }

  /** The official hash of the pruned cell (`hash_spec`); throws {@link SpecError} when invalid. */
  hash(): string {
    checkSpec(this);
    return hashModule(this.matrix!, this.vertices, this.labels());
  }
}

/**
 * Which rule of its space the pruned spec breaks, or undefined when it lies in the
 * space. Does not throw: searches test many invalid candidates, and building an Error (with its
 * stack trace) for each costs more than hashing the valid ones.
 */
export function specProblem(spec: ModelSpec): DomainProblem | undefined {
  const ops = spec.ops;
  if (spec.matrix === null || ops === null) return "disconnected";
  if (spec.vertices > spec.rules.vertices) return "too-many-vertices";
  if (spec.edgeCount() > spec.rules.maxEdges) return "too-many-edges";
  if (ops[0] !== INPUT) return "input-misplaced";
  if (ops[ops.length - 1] !== OUTPUT) return "output-misplaced";
  for (let v = 1; v < ops.length - 1; v++) {
    const label = opLabel(spec.rules, ops[v]!);
    if (label === undefined || label < 0) return "unknown-op";
  }
  return undefined;
}

/** Throws {@link SpecError} unless the pruned spec lies in its space. */
export function checkSpec(spec: ModelSpec): void {
  const problem = specProblem(spec);
  if (problem === undefined) return;
  const ops = spec.ops ?? [];
  const last = ops[ops.length - 1];
  const unknownAt = ops.findIndex((op, v) => v > 0 && v < ops.length - 1 && !(opLabel(spec.rules, op)! >= 0));
  const messages: Record<DomainProblem, () => string> = {
    disconnected: () => disconnected().message,
    "too-many-vertices": () => `too many vertices after pruning: ${spec.vertices} (at most ${spec.rules.vertices})`,
    "too-many-edges": () => `too many edges after pruning: ${spec.edgeCount()} (at most ${spec.rules.maxEdges})`,
    "input-misplaced": () => `the first op must be '${INPUT}', got '${ops[0]}'`,
    "output-misplaced": () => `the last op must be '${OUTPUT}', got '${last}'`,
    "unknown-op": () => `unsupported op '${ops[unknownAt]}' at vertex ${unknownAt} of the pruned cell (interior ops are ${spec.rules.ops.join(", ")})`,
  };
  throw new SpecError(problem, messages[problem]());
}

/** Whether the spec lies in the space (official `NASBench.is_valid`). */
export function isValid(spec: ModelSpec): boolean {
  return specProblem(spec) === undefined;
}

function disconnected(): SpecError {
  return new SpecError("disconnected", "invalid spec: no path from the input to the output (the graph is disconnected)");
}

/**
 * The vertices on some input-to-output path, in order, or null when input and output are not
 * connected. Official `_prune`: forward search from vertex 0, backward search from vertex n-1,
 * keep the intersection; fewer than two kept vertices means disconnected.
 */
export function prune(matrix: ArrayLike<number>, n: number): number[] | null {
  if (n < 1) return null;
  const fromInput = new Uint8Array(n);
  const toOutput = new Uint8Array(n);
  fromInput[0] = 1;
  for (let v = 0; v < n; v++) {
    if (!fromInput[v]) continue;
    for (let w = v + 1; w < n; w++) if (matrix[v * n + w]) fromInput[w] = 1;
  }
  toOutput[n - 1] = 1;
  for (let v = n - 1; v >= 0; v--) {
    if (!toOutput[v]) continue;
    for (let u = 0; u < v; u++) if (matrix[u * n + v]) toOutput[u] = 1;
  }
  const kept: number[] = [];
  for (let v = 0; v < n; v++) if (fromInput[v] && toOutput[v]) kept.push(v);
  return kept.length < 2 ? null : kept;
}

function submatrix(matrix: Uint8Array, n: number, kept: readonly number[]): Uint8Array {
  const m = kept.length;
  const out = new Uint8Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) out[i * m + j] = matrix[kept[i]! * n + kept[j]!]!;
  }
  return out;
}

/** A row-major matrix as nested arrays. */
export function toNested(matrix: ArrayLike<number>, n: number): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    for (let j = 0; j < n; j++) row.push(matrix[i * n + j]!);
    rows.push(row);
  }
  return rows;
}

/** The row-major 0/1 string of the data table (and of `raw_adjacency` in the official records). */
export function matrixToString(matrix: ArrayLike<number>): string {
  let text = "";
  for (let i = 0; i < matrix.length; i++) text += matrix[i] ? "1" : "0";
  return text;
}

function parseMatrix(matrix: unknown): Uint8Array {
  if (typeof matrix === "string") return parseMatrixString(matrix);
  if (!Array.isArray(matrix) || matrix.length === 0) {
    throw new SpecError("bad-shape", "the matrix must be a non-empty list of rows (e.g. [[0,1],[0,0]]) or a row-major 0/1 string");
  }
  const n = matrix.length;
  if (n > MAX_INPUT_VERTICES) {
    throw new SpecError("too-many-vertices", `the matrix has ${n} rows; at most ${MAX_INPUT_VERTICES} are accepted before pruning`);
  }
  const flat = new Uint8Array(n * n);
  matrix.forEach((row: unknown, i) => {
    if (!Array.isArray(row)) throw new SpecError("bad-shape", `row ${i} of the matrix is not a list`);
    if (row.length !== n) {
      throw new SpecError("not-square", `the matrix must be square: it has ${n} rows but row ${i} has ${row.length} entries`);
    }
    row.forEach((entry: unknown, j) => {
      if (entry !== 0 && entry !== 1 && entry !== true && entry !== false) {
        throw new SpecError("not-binary", `matrix entry [${i}][${j}] must be 0 or 1, got ${JSON.stringify(entry)}`);
      }
      flat[i * n + j] = entry === 1 || entry === true ? 1 : 0;
    });
  });
  return flat;
}

function parseMatrixString(text: string): Uint8Array {
  const trimmed = text.trim();
  if (trimmed.startsWith("[")) {
    if (tooDeepAt(trimmed) >= 0) throw new SpecError("bad-shape", `the matrix nests arrays deeper than ${MAX_JSON_DEPTH} levels: it is a list of rows of 0/1`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (error) {
      throw new SpecError("bad-shape", `the matrix is not valid JSON: ${(error as Error).message}`);
    }
    return parseMatrix(parsed);
  }
  const n = Math.round(Math.sqrt(trimmed.length));
  if (trimmed.length === 0 || n * n !== trimmed.length) {
    throw new SpecError(
      "not-square",
      `a row-major matrix string must have a square number of 0/1 characters (4, 9, ..., 49), got ${trimmed.length}`,
    );
  }
  if (n > MAX_INPUT_VERTICES) {
    throw new SpecError("too-many-vertices", `the matrix has ${n} rows; at most ${MAX_INPUT_VERTICES} are accepted before pruning`);
  }
  const flat = new Uint8Array(trimmed.length);
  for (let i = 0; i < trimmed.length; i++) {
    const ch = trimmed[i];
    if (ch !== "0" && ch !== "1") {
      throw new SpecError("not-binary", `matrix string character ${i} (row ${Math.floor(i / n)}, column ${i % n}) must be 0 or 1, got '${ch}'`);
    }
    flat[i] = ch === "1" ? 1 : 0;
  }
  return flat;
}

function parseOps(ops: unknown): string[] {
  if (typeof ops === "string") return ops.split(/[,|]/).map((op) => op.trim());
  if (!Array.isArray(ops) || !ops.every((op) => typeof op === "string")) {
    throw new SpecError("bad-shape", "ops must be a list of op names (or a comma-separated string)");
  }
  return [...ops];
}
