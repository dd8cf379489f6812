/**
 * The NAS-Bench-101 vocabulary, as in the official `config.py` and `api.py`, and the space's
 * rules as an instance of the generic cell (cell/rules.ts).
 *
 * The order of AVAILABLE_OPS is part of the hash: `ModelSpec.hash_spec` labels each interior
 * vertex by its op's index in `config['available_ops']`, the input by -1 and the output by -2.
 */
import { INPUT, INPUT_LABEL, OUTPUT, OUTPUT_LABEL, opLabel as cellOpLabel, opName as cellOpName, type CellRules } from "../cell/rules.js";

export { INPUT, INPUT_LABEL, OUTPUT, OUTPUT_LABEL };
export const CONV3X3 = "conv3x3-bn-relu";
export const CONV1X1 = "conv1x1-bn-relu";
export const MAXPOOL3X3 = "maxpool3x3";

/** Interior operations in the official label order (label = index). */
export const AVAILABLE_OPS = [CONV3X3, CONV1X1, MAXPOOL3X3] as const;
export type InteriorOp = (typeof AVAILABLE_OPS)[number];
export type Op = typeof INPUT | typeof OUTPUT | InteriorOp;

export const NUM_OPS = AVAILABLE_OPS.length;

/** The official search-space limits (`module_vertices`, `max_edges`). */
export const MAX_VERTICES = 7;
export const MAX_EDGES = 9;

/** NAS-Bench-101 as a cell space: these rules give exactly the official pruning, validity and hashes. */
export const NASBENCH101_RULES: CellRules = { vertices: MAX_VERTICES, maxEdges: MAX_EDGES, ops: AVAILABLE_OPS };

/** The integer label of an op name, or undefined for a name outside the vocabulary. */
export function opLabel(op: string): number | undefined {
  return cellOpLabel(NASBENCH101_RULES, op);
}

/** The op name of a label produced by {@link opLabel}. */
export function opName(label: number): Op {
  return cellOpName(NASBENCH101_RULES, label) as Op;
}
