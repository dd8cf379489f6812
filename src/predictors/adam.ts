/**
 * Adam (Kingma & Ba) on one flat float32 parameter vector, with PyTorch's update and an optional
 * L2 penalty added to the gradient (PyTorch `Adam(weight_decay=...)`, not AdamW).
 *
 * Why not tfjs's optimizer: it needs gradients from the tape (tfjs-core's Node build registers
 * none) and runs ~18 kernels per variable. Why not a TypeScript loop: one update of the GCN's
 * 103k parameters took ~1.2 ms, a fifth of a training step. The update runs instead in a tiny
 * WebAssembly SIMD kernel assembled here (four floats per instruction, all arithmetic in float32
 * as PyTorch does): parameters and gradients are copied in, parameters copied out, the moments
 * stay in the kernel's memory.
 *
 * Subnormal results are flushed to zero, as GPUs do. Without that, weights that only the L2
 * penalty moves decay into the subnormal range (3,048 of the GCN's weights after a fit on 860
 * cells), where the CPU computes up to a hundred times slower: prediction ran 9x slower.
 */
import { moduleWithBody, name, section, unsignedLeb, vector, VALUE_TYPE } from "../util/wasmModule.js";

export interface AdamOptions {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
}

export const ADAM_DEFAULTS: AdamOptions = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 };

export class Adam {
  readonly options: AdamOptions;
  private readonly size: number;
  /** Kernel memory: parameters, gradients, first and second moments, `padded` floats each. */
  private readonly memory: Float32Array;
  private readonly update: (...args: number[]) => void;
  private steps = 0;

  constructor(size: number, options: Partial<AdamOptions> = {}) {
    this.options = { ...ADAM_DEFAULTS, ...options };
    this.size = size;
    const padded = Math.ceil(size / 4) * 4;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(kernelBytes(padded)), {});
    this.memory = new Float32Array((instance.exports.memory as WebAssembly.Memory).buffer, 0, 4 * padded);
    this.update = instance.exports.update as (...args: number[]) => void;
  }

  /**
   * One update of `params` from `grads` with learning rate `lr`, as torch.optim.Adam:
   * g += wd p; m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; p -= lr/(1-b1^t) (m / (sqrt(v) / sqrt(1-b2^t) + eps)),
   * with m, v and p flushed to zero when subnormal.
   */
  step(params: Float32Array, grads: Float32Array, lr: number): void {
    if (params.length !== this.size || grads.length !== this.size) throw new Error("Adam: parameter and gradient sizes differ from the optimizer's");
    const { beta1, beta2, epsilon, weightDecay } = this.options;
    this.steps++;
    const padded = this.memory.length / 4;
    this.memory.set(params, 0);
    this.memory.set(grads, padded);
    this.update(4 * padded, beta1, 1 - beta1, beta2, 1 - beta2, weightDecay, lr / (1 - beta1 ** this.steps), Math.sqrt(1 - beta2 ** this.steps), epsilon);
    params.set(this.memory.subarray(0, this.size));
  }
}

/** PyTorch's CosineAnnealingLR (eta_min 0) in closed form: the learning rate of epoch `epoch` of `epochs`. */
export function cosineAnnealed(lr: number, epoch: number, epochs: number): number {
  return (lr * (1 + Math.cos((Math.PI * epoch) / epochs))) / 2;
}

/**
 * The kernel: `update(bytes, b1, 1-b1, b2, 1-b2, wd, stepSize, sqrt(1-b2^t), eps)` runs over the
 * four arrays of `padded` floats at byte offsets 0 (p), 4 padded (g), 8 padded (m), 12 padded (v),
 * four floats at a time; `bytes` = 4 padded.
 */
function kernelBytes(padded: number): Uint8Array {
  const { i32, f32, v128 } = VALUE_TYPE;
  const [BYTES, B1, C1, B2, C2, WD, STEP, CORRECTION, EPS] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [AT, P, G, M, V] = [9, 10, 11, 12, 13];
  const splat = (scalar: number) => scalar + 13; // vector locals 14..21 hold B1..EPS splatted
  const SMALLEST_NORMAL = 22; // a vector local: 2^-126 in every lane
  const code: number[] = [];
  const get = (local: number) => code.push(0x20, local);
  const set = (local: number) => code.push(0x21, local);
  const simd = (op: number, ...immediates: number[]) => code.push(0xfd, ...unsignedLeb(op), ...immediates);
  const memarg = (array: number) => [4, ...unsignedLeb(4 * padded * array)];
  const [LOAD, STORE, CONST, SPLAT, GE, AND, ABS, SQRT, ADD, SUB, MUL, DIV] = [0x00, 0x0b, 0x0c, 0x13, 0x46, 0x4e, 0xe0, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7];
  /** local = local & (|local| >= 2^-126): subnormals become +0. */
  const flush = (local: number) => {
    get(local); get(local); simd(ABS); get(SMALLEST_NORMAL); simd(GE); simd(AND); set(local);
  };
  for (const scalar of [B1, C1, B2, C2, WD, STEP, CORRECTION, EPS]) {
    get(scalar);
    simd(SPLAT);
    set(splat(scalar));
  }
  simd(CONST, ...Array.from({ length: 4 }, () => [0x00, 0x00, 0x80, 0x00]).flat()); // 0x00800000 per lane
  set(SMALLEST_NORMAL);
  code.push(0x02, 0x40, 0x03, 0x40); // block, loop
  get(AT); get(BYTES); code.push(0x4f, 0x0d, 1); // at >= bytes: break
  get(AT); simd(LOAD, ...memarg(0)); set(P);
  get(AT); simd(LOAD, ...memarg(1)); get(splat(WD)); get(P); simd(MUL); simd(ADD); set(G);
  get(AT); simd(LOAD, ...memarg(2)); get(splat(B1)); simd(MUL); get(splat(C1)); get(G); simd(MUL); simd(ADD); set(M);
  flush(M);
  get(AT); simd(LOAD, ...memarg(3)); get(splat(B2)); simd(MUL); get(splat(C2)); get(G); get(G); simd(MUL); simd(MUL); simd(ADD); set(V);
  flush(V);
  get(AT); get(M); simd(STORE, ...memarg(2));
  get(AT); get(V); simd(STORE, ...memarg(3));
  get(P); get(splat(STEP)); get(M); get(V); simd(SQRT); get(splat(CORRECTION)); simd(DIV); get(splat(EPS)); simd(ADD); simd(DIV); simd(MUL); simd(SUB); set(P);
  flush(P);
  get(AT); get(P); simd(STORE, ...memarg(0));
  get(AT); code.push(0x41, 16, 0x6a); set(AT); // at += 16
  code.push(0x0c, 0, 0x0b, 0x0b, 0x0b); // br loop, end loop, end block, end function
  const pages = Math.ceil((16 * padded) / 65536);
  return moduleWithBody(
    [
      ...section(1, vector([[0x60, 9, i32, f32, f32, f32, f32, f32, f32, f32, f32, 0]])), // update's type
      ...section(3, vector([[0]])),
      ...section(5, vector([[0x00, ...unsignedLeb(Math.max(1, pages))]])),
      ...section(7, vector([[...name("update"), 0x00, 0], [...name("memory"), 0x02, 0]])),
    ],
    [...vector([[1, i32], [4 + 8 + 1, v128]]), ...code],
  );
}
