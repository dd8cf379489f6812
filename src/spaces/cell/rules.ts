/**
 * The rules of an NB101-style cell space: a DAG of at most `vertices` vertices and `maxEdges`
 * edges from an input vertex to an output vertex, each interior vertex labelled with one of
 * `ops`. NAS-Bench-101 is the instance with 7 vertices, 9 edges and its three operations
 * (nasbench101/ops.ts); a space file may declare others (custom/cell.ts).
 *
 * An interior op's label is its index in `ops`, the input's -1 and the output's -2, as the
 * official `ModelSpec.hash_spec` labels them: the order of `ops` is part of every hash, and
 * NAS-Bench-101's order gives its official hashes.
 */
export const INPUT = "input";
export const OUTPUT = "output";
export const INPUT_LABEL = -1;
export const OUTPUT_LABEL = -2;

export interface CellRules {
  /** The most vertices a (pruned) cell may have, input and output included. */
  readonly vertices: number;
  /** The most edges a (pruned) cell may have. */
  readonly maxEdges: number;
  /** The interior operations, in label order. */
  readonly ops: readonly string[];
}

/** The integer label of an op name, or undefined for a name outside the vocabulary. */
export function opLabel(rules: CellRules, op: string): number | undefined {
  if (op === INPUT) return INPUT_LABEL;
  if (op === OUTPUT) return OUTPUT_LABEL;
  const index = rules.ops.indexOf(op);
  return index < 0 ? undefined : index;
}

/** The op name of a label produced by {@link opLabel}. */
export function opName(rules: CellRules, label: number): string {
  if (label === INPUT_LABEL) return INPUT;
  if (label === OUTPUT_LABEL) return OUTPUT;
  const op = rules.ops[label];
  if (op === undefined) throw new RangeError(`no op has label ${label}`);
  return op;
}
