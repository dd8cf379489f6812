/**
 * An instruction emitter for the predictors' hand-written WebAssembly kernels (one exported
 * function `run` and one exported memory per module; wasmModule.ts has the byte-level pieces).
 * Instructions are appended in place, as md5Lanes.ts does: kernels are kilobytes of unrolled code.
 */
import { moduleWithBody, name, pushSignedLeb, pushUnsignedLeb, section, unsignedLeb, vector, VALUE_TYPE } from "./wasmModule.js";

/** Scalar opcodes the kernels use. */
export const OP = {
  block: 0x02, loop: 0x03, if: 0x04, end: 0x0b, br: 0x0c, brIf: 0x0d,
  localGet: 0x20, localSet: 0x21, localTee: 0x22,
  i32Load: 0x28, f32Load: 0x2a, i32Store: 0x36, f32Store: 0x38,
  i32Const: 0x41, f32Const: 0x43, i32Eqz: 0x45, i32LtU: 0x49, i32GeU: 0x4f, f32Ne: 0x5c,
  i32Add: 0x6a, i32Sub: 0x6b, i32Mul: 0x6c, i32Shl: 0x74,
} as const;

/** SIMD opcodes (after the 0xfd prefix). */
export const SIMD = {
  load: 0x00, load32Splat: 0x09, store: 0x0b, splat: 0x13, extractLane: 0x1f,
  add: 0xe4, sub: 0xe5, mul: 0xe6, div: 0xe7, max: 0xe9,
} as const;

export class Emitter {
  readonly code: number[] = [];

  op(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }

  get(local: number): this {
    return this.op(OP.localGet, local);
  }

  set(local: number): this {
    return this.op(OP.localSet, local);
  }

  tee(local: number): this {
    return this.op(OP.localTee, local);
  }

  i32(value: number): this {
    this.code.push(OP.i32Const);
    pushSignedLeb(this.code, value);
    return this;
  }

  /** A scalar load or store (`opcode`) of 4 bytes at the address on the stack plus `offset`. */
  memory(opcode: number, offset: number): this {
    this.code.push(opcode, 2);
    pushUnsignedLeb(this.code, offset);
    return this;
  }

  /** A SIMD instruction; loads and stores take their memory offset (alignment 4 bytes: operands need not be 16-byte aligned). */
  simd(opcode: number, offset?: number): this {
    this.code.push(0xfd);
    pushUnsignedLeb(this.code, opcode);
    if (offset !== undefined) {
      this.code.push(2);
      pushUnsignedLeb(this.code, offset);
    }
    return this;
  }

  /** local += step (i32). */
  advance(local: number, step: number): this {
    return this.get(local).i32(step).op(OP.i32Add).set(local);
  }

  /**
   * A counted loop: `body` runs while local `counter` < local `limit` (checked first), and the
   * counter grows by one after each pass.
   */
  loop(counter: number, limit: number, body: () => void): this {
    this.op(OP.block, 0x40, OP.loop, 0x40);
    this.get(counter).get(limit).op(OP.i32GeU, OP.brIf, 1);
    body();
    this.advance(counter, 1);
    return this.op(OP.br, 0, OP.end, OP.end);
  }
}

/**
 * A module of one exported function `run` (i32 parameters, no result) whose locals are `i32Locals`
 * i32s then `vectorLocals` v128s after the parameters, and one exported memory of `pages` 64 KiB
 * pages (growable).
 */
export function kernelModule(parameters: number, i32Locals: number, vectorLocals: number, emitter: Emitter, pages: number): WebAssembly.Module {
  const { i32, v128 } = VALUE_TYPE;
  const locals = vector([
    [...unsignedLeb(i32Locals), i32],
    [...unsignedLeb(vectorLocals), v128],
  ]);
  const bytes = moduleWithBody(
    [
      ...section(1, vector([[0x60, ...unsignedLeb(parameters), ...Array.from({ length: parameters }, () => i32), 0]])),
      ...section(3, vector([[0]])),
      ...section(5, vector([[0x00, ...unsignedLeb(pages)]])),
      ...section(7, vector([[...name("run"), 0x00, 0], [...name("memory"), 0x02, 0]])),
    ],
    [...locals, ...emitter.code, OP.end],
  );
  return new WebAssembly.Module(bytes);
}
