/**
 * The NAS-Bench-101 vocabulary, as in the official `config.py` and `api.py`.
 *
 * The order of AVAILABLE_OPS is part of the hash: `ModelSpec.hash_spec` labels each interior
 * vertex by its op's index in `config['available_ops']`, the input by -1 and the output by -2.
 */

export const INPUT = "input";
export const OUTPUT = "output";
export const CONV3X3 = "conv3x3-bn-relu";
export const CONV1X1 = "conv1x1-bn-relu";
export const MAXPOOL3X3 = "maxpool3x3";

/** Interior operations in the official label order (label = index). */
export const AVAILABLE_OPS = [CONV3X3, CONV1X1, MAXPOOL3X3] as const;
export type InteriorOp = (typeof AVAILABLE_OPS)[number];
export type Op = typeof INPUT | typeof OUTPUT | InteriorOp;

export const INPUT_LABEL = -1;
export const OUTPUT_LABEL = -2;
export const NUM_OPS = AVAILABLE_OPS.length;

/** The official search-space limits (`module_vertices`, `max_edges`). */
export const MAX_VERTICES = 7;
export const MAX_EDGES = 9;

/** The integer label of an op name, or undefined for a name outside the vocabulary. */
export function opLabel(op: string): number | undefined {
  if (op === INPUT) return INPUT_LABEL;
  if (op === OUTPUT) return OUTPUT_LABEL;
  const index = (AVAILABLE_OPS as readonly string[]).indexOf(op);
  return index < 0 ? undefined : index;
}

/** The op name of a label produced by {@link opLabel}. */
export function opName(label: number): Op {
  if (label === INPUT_LABEL) return INPUT;
  if (label === OUTPUT_LABEL) return OUTPUT;
  const op = AVAILABLE_OPS[label];
  if (op === undefined) throw new RangeError(`no NAS-Bench-101 op has label ${label}`);
  return op;
}
