/**
 * The GCN's prediction on the kernels of gcnKernels.ts: the forward pass of gcnNetwork.ts (its
 * docstring has the layout: the first layer on the batch's table of distinct input rows, each
 * later layer one product with [Wf | Wb], both list averages, ReLU, the sum of the halves; mean
 * readout; the head; 2^-layers) with the same arithmetic in the same order, so the same numbers
 * bit for bit (gcnForward.test.ts checks that against tfjs), without tensors.
 *
 * Memory, shared by the members of an ensemble: every member's weights first (every matrix k x n
 * with n padded to a multiple of 4; a later layer's [Wf | Wb] as two padded halves, so that its
 * product's rows read as twice as many rows of the padded width), then the batch's buffers, laid
 * out per batch.
 */
import type { GraphBatch } from "./graphBatch.js";
import type { GcnShape } from "./gcnNetwork.js";
import { ensureBytes, sharedMemory } from "../util/wasmAssembler.js";
import { halvesSumKernel, productKernel, segmentMeanKernel, type Kernel } from "./gcnKernels.js";

const pad4 = (n: number) => Math.ceil(n / 4) * 4;

/** Bump allocation of 16-byte aligned regions (in bytes). */
class Regions {
  end: number;
  constructor(start: number) {
    this.end = start;
  }
  take(floats: number): number {
    const at = this.end;
    this.end += 4 * pad4(floats);
    return at;
  }
}

export class GcnForward {
  private readonly memory: WebAssembly.Memory;
  private readonly width: number;
  private readonly head: number;
  private readonly weights: { first: [number, number]; later: number[]; hidden: number; output: number }[];
  private readonly weightsEnd: number;
  private readonly kernels: { first: Kernel; later: Kernel; hidden: Kernel; output: Kernel; convolution: Kernel; readout: Kernel; halves: Kernel };

  /** `members[m](name)` gives member m's values of a parameter (gcnParameterShapes' names and shapes). */
  constructor(
    readonly shape: GcnShape,
    members: readonly ((name: string) => Float32Array)[],
  ) {
    const width = pad4(shape.width);
    const head = pad4(shape.head);
    this.width = width;
    this.head = head;
    const regions = new Regions(0);
    this.weights = members.map(() => ({
      first: [regions.take(shape.features * width), regions.take(shape.features * width)] as [number, number],
      later: Array.from({ length: shape.layers - 1 }, () => regions.take(shape.width * 2 * width)),
      hidden: regions.take(shape.width * head),
      output: regions.take(shape.head * 4),
    }));
    this.weightsEnd = regions.end;
    this.memory = sharedMemory(regions.end);
    const floats = new Float32Array(this.memory.buffer);
    /** Copies columns [from, from + columns) of a row-major matrix of n columns to column `to` of rows `stride` floats apart at byte `at`. */
    const copy = (values: Float32Array, n: number, at: number, stride: number, from = 0, to = 0, columns = n) => {
      for (let k = 0; k < values.length / n; k++) for (let j = 0; j < columns; j++) floats[at / 4 + k * stride + to + j] = values[k * n + from + j]!;
    };
    members.forEach((view, m) => {
      const { first, later, hidden, output } = this.weights[m]!;
      copy(view("gcn0.forward"), shape.width, first[0], width);
      copy(view("gcn0.backward"), shape.width, first[1], width);
      later.forEach((at, l) => {
        const values = view(`gcn${l + 1}`);
        copy(values, 2 * shape.width, at, 2 * width, 0, 0, shape.width);
        copy(values, 2 * shape.width, at, 2 * width, shape.width, width, shape.width);
      });
      copy(view("head.hidden"), shape.head, hidden, head);
      copy(view("head.output"), 1, output, 4);
    });
    const memory = this.memory;
    this.kernels = {
      first: productKernel(memory, shape.features, shape.features, width),
      later: productKernel(memory, shape.width, width, 2 * width),
      hidden: productKernel(memory, shape.width, width, head),
      output: productKernel(memory, shape.head, head, 4),
      convolution: segmentMeanKernel(memory, width, true),
      readout: segmentMeanKernel(memory, width, false),
      halves: halvesSumKernel(memory),
    };
  }

  /** Member `member`'s predictions for the batch ([graphs], standardised as the network's output). The batch must be deduplicated. */
  predict(batch: GraphBatch, member: number): Float32Array {
    if (!batch.deduplicated) throw new Error("GcnForward predicts on deduplicated batches");
    const { width, head, kernels, shape } = this;
    const weights = this.weights[member]!;
    const { rows, graphs, table, features } = batch;
    const tableRows = pad4(table.rows);
    const paddedRows = pad4(rows);
    const paddedGraphs = pad4(graphs);
    const listSize = batch.convolution.sources.length;
    const regions = new Regions(this.weightsEnd);
    const tableForward = regions.take(tableRows * features);
    const tableBackward = regions.take(tableRows * features);
    const firstForward = regions.take(tableRows * width);
    const firstBackward = regions.take(tableRows * width);
    const product = regions.take(Math.max(tableRows, paddedRows) * 2 * width);
    const activated = regions.take(2 * rows * width);
    const h = regions.take(Math.max(tableRows, paddedRows) * width);
    const offsets = regions.take(2 * rows + 1);
    const indices = regions.take(listSize);
    const readoutOffsets = regions.take(graphs + 1);
    const readoutIndices = regions.take(rows);
    const pooled = regions.take(paddedGraphs * width);
    const headHidden = regions.take(paddedGraphs * head);
    const output = regions.take(paddedGraphs * 4);
    ensureBytes(this.memory, regions.end);
    const floats = new Float32Array(this.memory.buffer);
    const ints = new Int32Array(this.memory.buffer);

    // Layer 0 on the table: relu(Tf W0f) + relu(Tb W0b).
    floats.set(table.forward, tableForward / 4);
    floats.set(table.backward, tableBackward / 4);
    kernels.first(tableForward, weights.first[0], firstForward, tableRows);
    kernels.first(tableBackward, weights.first[1], firstBackward, tableRows);
    for (let i = 0; i < table.rows * width; i++) floats[h / 4 + i] = Math.max(floats[firstForward / 4 + i]!, 0) + Math.max(floats[firstBackward / 4 + i]!, 0);
    // The lists' offsets (targets ascending), then each later layer.
    const targets = batch.convolution.targets;
    const offsetsAt = offsets / 4;
    ints.fill(0, offsetsAt, offsetsAt + 2 * rows + 1);
    for (let k = 0; k < listSize; k++) ints[offsetsAt + targets[k]! + 1]!++;
    for (let t = 0; t < 2 * rows; t++) ints[offsetsAt + t + 1]! += ints[offsetsAt + t]!;
    for (let l = 1; l < shape.layers; l++) {
      kernels.later(h, weights.later[l - 1]!, product, l === 1 ? tableRows : paddedRows);
      ints.set(l === 1 ? batch.convolutionTableSources : batch.convolution.sources, indices / 4);
      kernels.convolution(product, offsets, indices, activated, 2 * rows);
      kernels.halves(activated, h, rows * width);
    }
    // Readout: the mean of each graph's rows (consecutive), then the head.
    const readout = batch.readout;
    ints.set(readout.sources, readoutIndices / 4);
    ints[readoutOffsets / 4] = 0;
    for (let r = 0; r < rows; r++) ints[readoutOffsets / 4 + readout.targets[r]! + 1] = r + 1;
    kernels.readout(h, readoutOffsets, readoutIndices, pooled, graphs);
    kernels.hidden(pooled, weights.hidden, headHidden, paddedGraphs);
    if (shape.headActivation === "relu") for (let i = 0; i < graphs * head; i++) floats[headHidden / 4 + i] = Math.max(floats[headHidden / 4 + i]!, 0);
    kernels.output(headHidden, weights.output, output, paddedGraphs);
    const scale = 2 ** -shape.layers;
    return Float32Array.from({ length: graphs }, (_, g) => floats[output / 4 + 4 * g]! * scale);
  }
}
