/**
 * The trainable-parameter count of a NAS-Bench-101 network, computed from its cell as the
 * official `model_builder.py` builds it: a 3x3 stem convolution to 128 channels, three stacks of
 * three modules (128, 256, 512 channels; a max-pool and a doubling of channels between stacks),
 * global average pooling and a dense layer to 10 classes. Every convolution has no bias and is
 * followed by batch normalisation with a trainable scale and offset (2 per channel).
 *
 * It equals the official `trainable_parameters` of all 423,624 cells (tested), so the shipped
 * table need not store them.
 */
import { matrixFromEdgeMask, type CatalogueColumns } from "./catalogue.js";
import { AVAILABLE_OPS, CONV1X1, CONV3X3 } from "./ops.js";

const STEM_CHANNELS = 128;
const STACKS = 3;
const MODULES_PER_STACK = 3;
const CLASSES = 10;

/** Input and output channels of the nine modules, in network order. */
const MODULES: readonly (readonly [number, number])[] = (() => {
  const modules: [number, number][] = [];
  let channels = STEM_CHANNELS;
  for (let stack = 0; stack < STACKS; stack++) {
    const output = stack === 0 ? channels : channels * 2;
    for (let module = 0; module < MODULES_PER_STACK; module++) {
      modules.push([channels, output]);
      channels = output;
    }
  }
  return modules;
})();

/** Weights of a k x k convolution from `input` to `output` channels with its batch norm. */
function convolution(kernel: number, input: number, output: number): number {
  return kernel * kernel * input * output + 2 * output;
}

/** The official `compute_vertex_channels`: how many channels each vertex of a module carries. */
export function vertexChannels(input: number, output: number, matrix: ArrayLike<number>, n: number): number[] {
  const channels = new Array<number>(n).fill(0);
  channels[0] = input;
  channels[n - 1] = output;
  if (n === 2) return channels;
  let inDegreeOfOutput = 0;
  for (let v = 1; v < n - 1; v++) inDegreeOfOutput += matrix[v * n + n - 1]!;
  const interior = Math.floor(output / inDegreeOfOutput);
  let correction = output % inDegreeOfOutput;
  for (let v = 1; v < n - 1; v++) {
    if (!matrix[v * n + n - 1]) continue;
    channels[v] = interior;
    if (correction > 0) {
      channels[v]!++;
      correction--;
    }
  }
  for (let v = n - 3; v > 0; v--) {
    if (matrix[v * n + n - 1]) continue;
    for (let dst = v + 1; dst < n - 1; dst++) if (matrix[v * n + dst]) channels[v] = Math.max(channels[v]!, channels[dst]!);
  }
  return channels;
}

/** Weights outside the modules: the stem and the dense layer on the last module's channels. */
const OUTSIDE_MODULES = convolution(3, 3, STEM_CHANNELS) + MODULES.at(-1)![1] * CLASSES + CLASSES;

/** Weights of an interior op on a vertex of `channels` channels (max-pool has none). */
function opWeights(op: string, channels: number): number {
  if (op === CONV3X3) return convolution(3, channels, channels);
  if (op === CONV1X1) return convolution(1, channels, channels);
  return 0;
}

/**
 * The weights of the nine modules of a cell shape (pruned matrix of n vertices): `fixed`, the 1x1
 * projections of the module input (to the interior vertices it feeds, and to the output), and
 * per interior vertex the channels it carries in each module, which its op's weights depend on.
 */
function shapeWeights(matrix: ArrayLike<number>, n: number): { fixed: number; channels: number[][] } {
  let fixed = OUTSIDE_MODULES;
  const channels: number[][] = Array.from({ length: n }, () => []);
  for (const [input, output] of MODULES) {
    const vertex = vertexChannels(input, output, matrix, n);
    for (let t = 1; t < n - 1; t++) {
      // The input reaches an interior vertex through a projection; other vertices are truncated (no weights).
      if (matrix[t]) fixed += convolution(1, input, vertex[t]!);
      channels[t]!.push(vertex[t]!);
    }
    if (matrix[n - 1]) fixed += convolution(1, input, output);
  }
  return { fixed, channels };
}

/** Trainable parameters of the network built from a pruned cell (row-major matrix of ops.length vertices). */
export function trainableParameters(matrix: ArrayLike<number>, ops: readonly string[]): number {
  const { fixed, channels } = shapeWeights(matrix, ops.length);
  let total = fixed;
  for (let t = 1; t < ops.length - 1; t++) for (const c of channels[t]!) total += opWeights(ops[t]!, c);
  return total;
}

/**
 * The parameters of every cell of a catalogue, fast: cells of one graph shape differ only in their
 * interior ops, so each shape's weights are worked out once, per vertex and op, and a cell's count
 * is a sum of table lookups.
 */
export function trainableParameterColumn({ vertices, edgeMasks, labels }: CatalogueColumns): Int32Array {
  const shapes = new Map<number, { fixed: number; byVertexAndLabel: number[] }>();
  const opCount = AVAILABLE_OPS.length;
  const out = new Int32Array(vertices.length);
  for (let i = 0; i < vertices.length; i++) {
    const n = vertices[i]!;
    const shapeKey = edgeMasks[i]! * 8 + n;
    let shape = shapes.get(shapeKey);
    if (shape === undefined) {
      const { fixed, channels } = shapeWeights(matrixFromEdgeMask(edgeMasks[i]!, n), n);
      const byVertexAndLabel = channels.slice(1, n - 1).flatMap((perModule) => AVAILABLE_OPS.map((op) => perModule.reduce((sum, c) => sum + opWeights(op, c), 0)));
      shape = { fixed, byVertexAndLabel };
      shapes.set(shapeKey, shape);
    }
    let total = shape.fixed;
    const packed = labels[i]!;
    for (let v = 1; v < n - 1; v++) total += shape.byVertexAndLabel[(v - 1) * opCount + ((packed >>> (2 * (v - 1))) & 3)]!;
    out[i] = total;
  }
  return out;
}
