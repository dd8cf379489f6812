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
  i32Add: 0x6a, i32Sub: 0x6b, i32Mul: 0x6c, i32Shl: 0x74, i32ShrU: 0x76, f32ConvertI32S: 0xb2,
} as const;

/** SIMD opcodes (after the 0xfd prefix). */
export const SIMD = {
  load: 0x00, load32Splat: 0x09, store: 0x0b, splat: 0x13, extractLane: 0x1f, anyTrue: 0x53,
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
   * A counted loop: `body` runs while local `counter` < local `limit` (unsigned, checked first),
   * and the counter grows by `step` after each pass.
   */
  loop(counter: number, limit: number, body: () => void, step = 1): this {
    this.op(OP.block, 0x40, OP.loop, 0x40);
    this.get(counter).get(limit).op(OP.i32GeU, OP.brIf, 1);
    body();
    this.advance(counter, step);
    return this.op(OP.br, 0, OP.end, OP.end);
  }
}

/**
 * A module of one exported function `run` (`parameters` i32 parameters, no result) whose locals
 * are `i32Locals` i32s then `vectorLocals` v128s after the parameters, with its own exported
 * memory of `pages` 64 KiB pages (growable), or with `memory` imported as env.memory (kernels
 * that work on each other's results share one).
 */
export function kernelModule(parameters: number, i32Locals: number, vectorLocals: number, emitter: Emitter, memory: { pages: number } | "imported"): WebAssembly.Module {
  const { i32, v128 } = VALUE_TYPE;
  const locals = vector([
    [...unsignedLeb(i32Locals), i32],
    [...unsignedLeb(vectorLocals), v128],
  ]);
  const type = section(1, vector([[0x60, ...unsignedLeb(parameters), ...Array.from({ length: parameters }, () => i32), 0]]));
  const functions = section(3, vector([[0]]));
  const sections =
    memory === "imported"
      ? [...type, ...section(2, vector([[...name("env"), ...name("memory"), 0x02, 0x00, 1]])), ...functions, ...section(7, vector([[...name("run"), 0x00, 0]]))]
      : [...type, ...functions, ...section(5, vector([[0x00, ...unsignedLeb(memory.pages)]])), ...section(7, vector([[...name("run"), 0x00, 0], [...name("memory"), 0x02, 0]]))];
  return new WebAssembly.Module(moduleWithBody(sections, [...locals, ...emitter.code, OP.end]));
}

/** The members of WebAssembly.Memory that this project's type declarations lack. */
type GrowableMemory = WebAssembly.Memory & { grow(pages: number): number };
const PAGE_BYTES = 65536;

/** A memory of at least `bytes` bytes (growable), to share between kernel modules. */
export function sharedMemory(bytes: number): WebAssembly.Memory {
  const Memory = WebAssembly.Memory as unknown as new (descriptor: { initial: number }) => WebAssembly.Memory;
  return new Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE_BYTES)) });
}

/** Grows `memory` to at least `bytes` bytes (views of its old buffer are then detached). */
export function ensureBytes(memory: WebAssembly.Memory, bytes: number): void {
  const missing = bytes - memory.buffer.byteLength;
  if (missing > 0) (memory as GrowableMemory).grow(Math.ceil(missing / PAGE_BYTES));
}
