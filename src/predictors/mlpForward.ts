/**
 * The MLP ensemble's forward pass for prediction, in a WebAssembly SIMD kernel assembled here.
 *
 * Why hand-written: whole-space scoring runs 423,624 architectures through 5 members, and with
 * tfjs most of that time went to the first layer, a dense product with the 364-wide path
 * encoding, which holds a few ones and hundreds of zeros. The kernel reads each input row once,
 * lists its non-zero entries, and computes the first layer as a gather-sum of those weight rows;
 * the hidden and output layers are small dense products, one row at a time, kept in the kernel
 * rather than ~30 tfjs kernel calls per batch.
 *
 * Exactly tfjs's numbers: XNNPACK's products (what tfjs-wasm's fused matMul runs) start each
 * output from its bias and add the products x_k w_k in order of k, a multiplication then an
 * addition (no fused multiply-add in WebAssembly SIMD), and clamp at 0 for the ReLU. The kernel
 * does the same in the same order. The terms it skips, x_k = 0, add a zero to the sum, which
 * changes nothing but the sign of a zero sum, and the ReLU makes that +0 too; so the outputs
 * are equal bit for bit (mlpForward.test.ts checks that against tfjs).
 *
 * Memory layout (bytes): every member's weights (`memberBytes` each: layer 0's bias then its
 * weight rows, each hidden layer's bias then rows, the output layer's bias then rows; every row
 * padded to `paddedWidth` floats, the output layer to 4), the list of the current row's non-zero
 * inputs (byte offsets of their weight rows, then their values), two activation rows, then the
 * outputs (row-major: rows x members) and the inputs (rows x inputWidth).
 */
import { Emitter, ensureBytes, kernelModule, OP, SIMD } from "../util/wasmAssembler.js";

/** Column vectors per accumulator group: 8 v128 accumulators, the splat and a zero fit the 16 SIMD registers. */
const GROUP = 8;

export interface MlpShape {
  readonly inputWidth: number;
  readonly width: number;
  readonly hiddenLayers: number;
  readonly members: number;
}

/** Byte sizes and offsets of the kernel's memory for a network shape. */
class Layout {
  readonly paddedWidth: number;
  readonly rowBytes: number;
  readonly firstBytes: number;
  readonly hiddenBytes: number;
  readonly outputBytes: number;
  readonly memberBytes: number;
  readonly listOffsets: number;
  readonly listValues: number;
  readonly activations: number;
  readonly outputs: number;

  constructor(readonly shape: MlpShape) {
    const { inputWidth, width, hiddenLayers, members } = shape;
    this.paddedWidth = Math.ceil(width / 4) * 4;
    this.rowBytes = 4 * this.paddedWidth;
    this.firstBytes = this.rowBytes * (1 + inputWidth);
    this.hiddenBytes = this.rowBytes * (1 + width);
    this.outputBytes = 16 * (1 + width);
    this.memberBytes = this.firstBytes + (hiddenLayers - 1) * this.hiddenBytes + this.outputBytes;
    this.listOffsets = members * this.memberBytes;
    this.listValues = this.listOffsets + 4 * inputWidth;
    this.activations = this.listValues + 4 * inputWidth;
    this.outputs = this.activations + 2 * this.rowBytes;
  }
}

// Parameters of run(rows, inputs, outputs) and the other locals.
const [ROWS, INPUTS, OUTPUTS] = [0, 1, 2];
const [ROW, MEMBER, COUNT, K, X, WM, WL, LAYER, I, P, Q, H_IN, H_OUT, MEMBERS, LAYERS, LIMIT] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18];
const I32_LOCALS = 16;
/** The splat, a zero (never written) and the GROUP accumulators. */
const [SPLAT, ZERO, ACC] = [19, 20, 21];

/** The body of `run`: see the module's docstring. */
function runCode(layout: Layout): Emitter {
  const { shape, paddedWidth, rowBytes } = layout;
  const e = new Emitter();
  const groups = Math.ceil(paddedWidth / 4 / GROUP);
  const accumulate = (vectors: number) => {
    for (let j = 0; j < vectors; j++) e.get(ACC + j).get(SPLAT).get(P).simd(SIMD.load, 16 * j).simd(SIMD.mul).simd(SIMD.add).set(ACC + j);
  };
  /** Accumulators of group g start from the bias at local `base`. */
  const startGroup = (base: number, g: number, vectors: number) => {
    for (let j = 0; j < vectors; j++) e.get(base).simd(SIMD.load, 16 * (g * GROUP + j)).set(ACC + j);
  };
  const storeGroup = (g: number, vectors: number) => {
    for (let j = 0; j < vectors; j++) e.get(H_OUT).get(ACC + j).get(ZERO).simd(SIMD.max).simd(SIMD.store, 16 * (g * GROUP + j));
  };
  /** A dense ReLU layer: H_OUT = relu(bias + H_IN W), weights at local WL (bias first), `width` inputs. */
  const dense = () => {
    for (let g = 0; g < groups; g++) {
      const vectors = Math.min(GROUP, paddedWidth / 4 - g * GROUP);
      startGroup(WL, g, vectors);
      e.get(WL).i32(rowBytes + 16 * g * GROUP).op(OP.i32Add).set(P);
      e.get(H_IN).set(Q);
      e.i32(0).set(I);
      e.loop(I, LIMIT, () => {
        e.get(Q).simd(SIMD.load32Splat, 0).set(SPLAT);
        accumulate(vectors);
        e.advance(P, rowBytes).advance(Q, 4);
      });
      storeGroup(g, vectors);
    }
  };

  e.i32(shape.members).set(MEMBERS).i32(shape.hiddenLayers).set(LAYERS);
  e.i32(0).set(ROW);
  e.loop(ROW, ROWS, () => {
    // The row's non-zero inputs, in order: their weight rows' offsets (from the member's base) and values.
    e.get(INPUTS).get(ROW).i32(4 * shape.inputWidth).op(OP.i32Mul).op(OP.i32Add).set(X);
    e.i32(0).set(COUNT).i32(0).set(K);
    /** Lists input k + lane (at X + 4 lane) when it is not zero. */
    const list = (lane: number) => {
      e.get(X).memory(OP.f32Load, 4 * lane).op(OP.f32Const, 0, 0, 0, 0).op(OP.f32Ne, OP.if, 0x40);
      e.get(COUNT).i32(2).op(OP.i32Shl).set(Q);
      e.get(Q).get(K).i32(lane + 1).op(OP.i32Add).i32(rowBytes).op(OP.i32Mul).memory(OP.i32Store, layout.listOffsets);
      e.get(Q).get(X).memory(OP.f32Load, 4 * lane).memory(OP.f32Store, layout.listValues);
      e.advance(COUNT, 1);
      e.op(OP.end);
    };
    // Four inputs at a time, most of them all zero; then the rest one at a time.
    e.i32(shape.inputWidth & ~3).set(LIMIT);
    e.loop(K, LIMIT, () => {
      e.get(X).simd(SIMD.load, 0).simd(SIMD.anyTrue).op(OP.if, 0x40);
      for (let lane = 0; lane < 4; lane++) list(lane);
      e.op(OP.end);
      e.advance(X, 16);
    }, 4);
    e.i32(shape.inputWidth).set(LIMIT);
    e.loop(K, LIMIT, () => {
      list(0);
      e.advance(X, 4);
    });
    e.i32(0).set(MEMBER).i32(0).set(WM);
    e.loop(MEMBER, MEMBERS, () => {
      // Layer 0: the gather-sum over the listed inputs.
      e.i32(layout.activations).set(H_OUT);
      for (let g = 0; g < groups; g++) {
        const vectors = Math.min(GROUP, paddedWidth / 4 - g * GROUP);
        startGroup(WM, g, vectors);
        e.i32(0).set(I);
        e.loop(I, COUNT, () => {
          e.get(I).i32(2).op(OP.i32Shl).set(Q);
          e.get(Q).memory(OP.i32Load, layout.listOffsets).get(WM).op(OP.i32Add).set(P);
          if (g > 0) e.advance(P, 16 * g * GROUP);
          e.get(Q).simd(SIMD.load32Splat, layout.listValues).set(SPLAT);
          accumulate(vectors);
        });
        storeGroup(g, vectors);
      }
      // Hidden layers 1 .. L-1, alternating between the two activation rows.
      e.get(WM).i32(layout.firstBytes).op(OP.i32Add).set(WL);
      e.i32(shape.width).set(LIMIT);
      e.i32(1).set(LAYER);
      e.loop(LAYER, LAYERS, () => {
        e.get(H_OUT).set(H_IN);
        e.i32(layout.activations + layout.activations + rowBytes).get(H_IN).op(OP.i32Sub).set(H_OUT);
        dense();
        e.advance(WL, layout.hiddenBytes);
      });
      // The linear output: one column, in lane 0.
      e.get(WL).simd(SIMD.load, 0).set(ACC);
      e.get(WL).i32(16).op(OP.i32Add).set(P);
      e.get(H_OUT).set(Q);
      e.i32(0).set(I);
      e.loop(I, LIMIT, () => {
        e.get(Q).simd(SIMD.load32Splat, 0).set(SPLAT);
        accumulate(1);
        e.advance(P, 16).advance(Q, 4);
      });
      e.get(OUTPUTS).get(ROW).i32(shape.members).op(OP.i32Mul).get(MEMBER).op(OP.i32Add).i32(2).op(OP.i32Shl).op(OP.i32Add);
      e.get(ACC).simd(SIMD.extractLane).op(0).memory(OP.f32Store, 0);
      e.advance(WM, layout.memberBytes);
    });
  });
  return e;
}

/**
 * The forward pass of a fitted ensemble: `inputs` is where to encode up to `capacity` rows,
 * `run(rows)` leaves each row's member outputs in `outputs` (row-major, rows x members).
 */
export class MlpForward {
  private readonly layout: Layout;
  private readonly memory: WebAssembly.Memory;
  private readonly run: (rows: number, inputs: number, outputs: number) => void;
  private capacity = 0;
  inputs = new Float32Array(0);
  outputs = new Float32Array(0);

  /** `weights(member, layer)` and `bias(member, layer)` give the layer's [fanIn x fanOut] row-major weights and its biases. */
  constructor(
    readonly shape: MlpShape,
    weights: (member: number, layer: number) => Float32Array,
    bias: (member: number, layer: number) => Float32Array,
  ) {
    const layout = new Layout(shape);
    this.layout = layout;
    const instance = new WebAssembly.Instance(kernelModule(3, I32_LOCALS, 2 + GROUP, runCode(layout), { pages: Math.ceil(layout.outputs / 65536) + 1 }), {});
    this.memory = instance.exports.memory as WebAssembly.Memory;
    this.run = instance.exports.run as (rows: number, inputs: number, outputs: number) => void;
    const floats = new Float32Array(this.memory.buffer);
    for (let m = 0; m < shape.members; m++) {
      let at = (m * layout.memberBytes) / 4;
      for (let l = 0; l <= shape.hiddenLayers; l++) {
        const columns = l === shape.hiddenLayers ? 4 : layout.paddedWidth;
        const fanOut = l === shape.hiddenLayers ? 1 : shape.width;
        const w = weights(m, l);
        const fanIn = w.length / fanOut;
        floats.set(bias(m, l), at);
        for (let k = 0; k < fanIn; k++) floats.set(w.subarray(k * fanOut, (k + 1) * fanOut), at + columns * (k + 1));
        at += columns * (fanIn + 1);
      }
    }
  }

  /** Makes room for `rows` rows; `inputs` and `outputs` are then views of the kernel's memory. */
  reserve(rows: number): void {
    const { layout, shape } = this;
    const inputsAt = layout.outputs + 4 * shape.members * rows;
    const bytes = inputsAt + 4 * shape.inputWidth * rows;
    if (rows > this.capacity) {
      ensureBytes(this.memory, bytes);
      this.capacity = rows;
    }
    this.outputs = new Float32Array(this.memory.buffer, layout.outputs, shape.members * rows);
    this.inputs = new Float32Array(this.memory.buffer, inputsAt, shape.inputWidth * rows);
  }

  /** Runs `rows` rows (at most the reserved ones) of `inputs` into `outputs`. */
  forward(rows: number): void {
    if (rows > this.capacity) throw new RangeError(`${rows} rows exceed the ${this.capacity} reserved`);
    this.run(rows, this.inputs.byteOffset, this.outputs.byteOffset);
  }
}
