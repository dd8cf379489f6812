/**
 * A NAS-Bench-201 cell: 4 nodes, an operation on each of the 6 edges j -> i (j < i), written in
 * the benchmark's string form `|op~0|+|op~0|op~1|+|op~0|op~1|op~2|` (node 1's input edge, then
 * node 2's two, then node 3's three; `~j` names the source node).
 *
 * Operation codes follow the official `str2matrix` numbering (0 none, 1 skip_connect,
 * 2 nor_conv_1x1, 3 nor_conv_3x3, 4 avg_pool_3x3). A cell is also one base-5 number of its six
 * codes, first edge most significant: 0..15,624, every cell of the space exactly once.
 */
import { InputError } from "../../util/errors.js";

export const OPERATIONS = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"] as const;
export type Operation = (typeof OPERATIONS)[number];

export const NODES = 4;
export const EDGES = 6;

/** The edges in string order, as [source, target] nodes. */
export const EDGE_LIST: readonly (readonly [number, number])[] = [
  [0, 1],
  [0, 2],
  [1, 2],
  [0, 3],
  [1, 3],
  [2, 3],
];

/** The six operation codes of an arch string; an InputError says what is wrong with a malformed one. */
export function parseArch(text: string): number[] {
  const trimmed = text.trim();
  const nodes = trimmed.split("+");
  const expected = "a NAS-Bench-201 cell string like |nor_conv_3x3~0|+|skip_connect~0|none~1|+|nor_conv_1x1~0|avg_pool_3x3~1|skip_connect~2|";
  if (nodes.length !== NODES - 1) throw new InputError(`'${text}' is not ${expected}: it needs 3 groups joined by '+', found ${nodes.length}`);
  const codes: number[] = [];
  nodes.forEach((group, node) => {
    if (!group.startsWith("|") || !group.endsWith("|")) throw new InputError(`'${text}': group ${node + 1} ('${group}') must start and end with '|'`);
    const edges = group.slice(1, -1).split("|");
    if (edges.length !== node + 1) throw new InputError(`'${text}': node ${node + 1} takes ${node + 1} input edge(s), found ${edges.length}`);
    edges.forEach((edge, source) => {
      const [op, from, extra] = edge.split("~");
      if (extra !== undefined || from !== String(source)) throw new InputError(`'${text}': edge '${edge}' of node ${node + 1} must be written op~${source}`);
      const code = (OPERATIONS as readonly string[]).indexOf(op!);
      if (code < 0) throw new InputError(`'${text}': unknown operation '${op}' (known: ${OPERATIONS.join(", ")})`);
      codes.push(code);
    });
  });
  return codes;
}

export function formatArch(codes: readonly number[]): string {
  let at = 0;
  const groups: string[] = [];
  for (let node = 1; node < NODES; node++) {
    const edges: string[] = [];
    for (let source = 0; source < node; source++) edges.push(`${OPERATIONS[codes[at++]!]}~${source}`);
    groups.push(`|${edges.join("|")}|`);
  }
  return groups.join("+");
}

/** The cell's six codes as one base-5 number (first edge most significant). */
export function codesToNumber(codes: readonly number[]): number {
  return codes.reduce((number, code) => number * OPERATIONS.length + code, 0);
}

export function numberToCodes(number: number): number[] {
  const codes = new Array<number>(EDGES);
  for (let edge = EDGES - 1; edge >= 0; edge--) {
    codes[edge] = number % OPERATIONS.length;
    number = Math.floor(number / OPERATIONS.length);
  }
  return codes;
}

/** The base-5 number of an arch string. */
export function opCodeNumber(text: string): number {
  return codesToNumber(parseArch(text));
}
