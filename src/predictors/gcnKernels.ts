/**
 * WebAssembly SIMD kernels for the GCN's prediction (gcnForward.ts runs them), assembled here.
 *
 * Why hand-written: whole-space scoring is ~240 GFLOP of one product (2.9 million vertex rows by
 * a 144 x 288 weight matrix) and list averages over its result; through tfjs, each batch also
 * paid for copies into and out of tensors, XNNPACK's repacking of the weights, and a transposed
 * layout. These kernels share one memory and read each other's results in place.
 *
 * Exactly tfjs's numbers: the product starts each output at 0 and adds a_k b_k in order of k, a
 * multiplication then an addition, as XNNPACK does (WebAssembly SIMD has no fused multiply-add,
 * and relaxed SIMD's would round differently); the averages add their rows in list order from 0
 * and divide by the count, as tfjs's SparseSegmentMean does; the ReLU is max(x, 0).
 *
 * Rows are padded: widths to multiples of 4 floats (the padding stays 0), and the product's rows
 * to multiples of 4 (the extra rows compute garbage that nothing reads).
 */
import { Emitter, kernelModule, OP, SIMD } from "../util/wasmAssembler.js";

/** Rows per tile of the product, and column vectors per tile: 8 accumulators, 2 weight vectors and a splat in 16 registers. */
const TILE_ROWS = 4;
const TILE_VECTORS = 2;
/** Column vectors of a list average processed per pass over its list. */
const GROUP = 8;

export type Kernel = (...args: number[]) => void;

function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): Kernel {
  return new WebAssembly.Instance(module, { env: { memory } }).exports.run as Kernel;
}

/**
 * `run(A, B, C, M)`: C (M x n floats) = A (M x k, rows `aStride` floats apart) times B (k x n);
 * M a multiple of TILE_ROWS, n of 4.
 */
export function productKernel(memory: WebAssembly.Memory, k: number, aStride: number, n: number): Kernel {
  const [A, B, C, M] = [0, 1, 2, 3];
  const [TILE, TILES, ROW_A, ROW_C, K, K_LIMIT, PA, PB] = [4, 5, 6, 7, 8, 9, 10, 11];
  const [ZERO, SPLAT, WEIGHT, ACC] = [12, 13, 14, 14 + TILE_VECTORS];
  const e = new Emitter();
  e.get(M).i32(2).op(OP.i32ShrU).set(TILES);
  e.i32(k).set(K_LIMIT);
  e.get(A).set(ROW_A).get(C).set(ROW_C);
  e.i32(0).set(TILE);
  e.loop(TILE, TILES, () => {
    for (let j0 = 0; j0 < n / 4; j0 += TILE_VECTORS) {
      const vectors = Math.min(TILE_VECTORS, n / 4 - j0);
      const acc = (row: number, j: number) => ACC + row * TILE_VECTORS + j;
      for (let row = 0; row < TILE_ROWS; row++) for (let j = 0; j < vectors; j++) e.get(ZERO).set(acc(row, j));
      e.get(ROW_A).set(PA);
      e.get(B).i32(16 * j0).op(OP.i32Add).set(PB);
      e.i32(0).set(K);
      e.loop(K, K_LIMIT, () => {
        for (let j = 0; j < vectors; j++) e.get(PB).simd(SIMD.load, 16 * j).set(WEIGHT + j);
        for (let row = 0; row < TILE_ROWS; row++) {
          e.get(PA).simd(SIMD.load32Splat, 4 * aStride * row).set(SPLAT);
          for (let j = 0; j < vectors; j++) e.get(acc(row, j)).get(SPLAT).get(WEIGHT + j).simd(SIMD.mul).simd(SIMD.add).set(acc(row, j));
        }
        e.advance(PA, 4).advance(PB, 4 * n);
      });
      for (let row = 0; row < TILE_ROWS; row++) for (let j = 0; j < vectors; j++) e.get(ROW_C).get(acc(row, j)).simd(SIMD.store, 4 * n * row + 16 * (j0 + j));
    }
    e.advance(ROW_A, 4 * aStride * TILE_ROWS).advance(ROW_C, 4 * n * TILE_ROWS);
  });
  return instantiate(kernelModule(4, 8, 2 + TILE_VECTORS + TILE_ROWS * TILE_VECTORS, e, "imported"), memory);
}

/**
 * `run(source, offsets, indices, target, segments)`: target row s (width floats) = the mean of
 * the source rows indices[offsets[s] .. offsets[s + 1]) (i32 arrays), then max(., 0) with `relu`.
 */
export function segmentMeanKernel(memory: WebAssembly.Memory, width: number, relu: boolean): Kernel {
  const [SOURCE, OFFSETS, INDICES, TARGET, SEGMENTS] = [0, 1, 2, 3, 4];
  const [SEGMENT, START, END, ENTRY, P, OUT] = [5, 6, 7, 8, 9, 10];
  const [ZERO, COUNT, ACC] = [11, 12, 13];
  const rowBytes = 4 * width;
  const e = new Emitter();
  e.get(TARGET).set(OUT);
  e.i32(0).set(SEGMENT);
  e.loop(SEGMENT, SEGMENTS, () => {
    e.get(OFFSETS).get(SEGMENT).i32(2).op(OP.i32Shl).op(OP.i32Add).set(P);
    e.get(P).memory(OP.i32Load, 0).set(START);
    e.get(P).memory(OP.i32Load, 4).set(END);
    e.get(END).get(START).op(OP.i32Sub, OP.f32ConvertI32S).simd(SIMD.splat).set(COUNT);
    for (let g = 0; g < width / 4; g += GROUP) {
      const vectors = Math.min(GROUP, width / 4 - g);
      for (let j = 0; j < vectors; j++) e.get(ZERO).set(ACC + j);
      e.get(START).set(ENTRY);
      e.loop(ENTRY, END, () => {
        e.get(INDICES).get(ENTRY).i32(2).op(OP.i32Shl).op(OP.i32Add).memory(OP.i32Load, 0).i32(rowBytes).op(OP.i32Mul).get(SOURCE).op(OP.i32Add).set(P);
        for (let j = 0; j < vectors; j++) e.get(ACC + j).get(P).simd(SIMD.load, 16 * (g + j)).simd(SIMD.add).set(ACC + j);
      });
      for (let j = 0; j < vectors; j++) {
        e.get(OUT).get(ACC + j).get(COUNT).simd(SIMD.div);
        if (relu) e.get(ZERO).simd(SIMD.max);
        e.simd(SIMD.store, 16 * (g + j));
      }
    }
    e.advance(OUT, rowBytes);
  });
  return instantiate(kernelModule(5, 6, 2 + GROUP, e, "imported"), memory);
}

/** `run(source, target, floats)`: target[i] = source[i] + source[floats + i] for i < floats (a multiple of 4). */
export function halvesSumKernel(memory: WebAssembly.Memory): Kernel {
  const [SOURCE, TARGET, FLOATS] = [0, 1, 2];
  const [AT, END, SECOND] = [3, 4, 5];
  const e = new Emitter();
  e.get(FLOATS).i32(2).op(OP.i32Shl).set(SECOND);
  e.get(SOURCE).get(SECOND).op(OP.i32Add).set(END);
  e.get(SOURCE).set(AT);
  e.loop(AT, END, () => {
    e.get(TARGET).get(AT).simd(SIMD.load, 0).get(AT).get(SECOND).op(OP.i32Add).simd(SIMD.load, 0).simd(SIMD.add).simd(SIMD.store, 0);
    e.advance(TARGET, 16);
  }, 16);
  return instantiate(kernelModule(3, 3, 0, e, "imported"), memory);
}
