/**
 * Many MD5s at once, in WebAssembly SIMD: one 32-bit lane per message, LANES messages per call.
 *
 * Why: NAS-Bench-101 hashing is nothing but ~120 MD5 blocks per cell, and MD5 is a serial
 * dependency chain: scalar MD5 in JS runs at about the speed of native OpenSSL (~150 ns a block
 * here) and misses the 50,000 cells/s target. Each refinement round of the hash computes one
 * independent MD5 per vertex, so the vertices of a round share the pipeline:
 * - two independent i32x4 streams are interleaved, so a 7-vertex round is one call and the CPU
 *   overlaps the two dependency chains (one chain alone leaves most of its vector units idle);
 * - each step is reassociated so that only the round function and the rotation lie on the chain
 *   (a + M[g] + K[i] is summed off it, and G uses the disjoint-bits form (c & ~d) + (b & d)).
 *
 * The module is assembled here from its instruction list (no build tool, no binary blob in the
 * repository): one exported function `run(blocks)` and one exported memory.
 *
 * Memory layout (byte offsets):
 * - [0, STATE_BYTES): state slots 0..MAX_BLOCKS; slot 0 holds the initial values and slot k + 1
 *   the state after block k: register r (a, b, c, d) of lane j at word 4 LANES slot + LANES r + j.
 *   A lane whose message has b blocks reads its digest in slot b.
 * - [K_OFFSET, +1024): the 64 round constants, each repeated in the four i32x4 lanes.
 * - [MESSAGE_OFFSET, ...): the padded messages interleaved by word: word i of lane j at word
 *   MESSAGE_OFFSET / 4 + LANES i + j.
 *
 * Callers write messages into `message`, a plain JS array with the same interleaving (word i of
 * lane j at LANES i + j), which `compute` copies into the module's memory in one block: V8
 * accesses plain typed arrays faster than views of WebAssembly memory, and the copy is a memcpy.
 */
import { moduleWithBody, name, pushSignedLeb, pushUnsignedLeb, section, unsignedLeb, vector, VALUE_TYPE } from "./wasmModule.js";

/** Independent i32x4 streams per call. */
const STREAMS = 2;
export const LANES = 4 * STREAMS;
export const MAX_BLOCKS = 64;
const SLOT_BYTES = 16 * LANES;
const STATE_BYTES = (MAX_BLOCKS + 1) * SLOT_BYTES;
const K_OFFSET = STATE_BYTES;
const MESSAGE_OFFSET = K_OFFSET + 64 * 16;
const BLOCK_BYTES = 64 * LANES;
const PAGES = Math.ceil((MESSAGE_OFFSET + MAX_BLOCKS * BLOCK_BYTES) / 65536);

const K = Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) | 0);
const SHIFTS = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
const INITIAL = [1732584193, -271733879, -1732584194, 271733878];

const OP = { block: 0x02, loop: 0x03, br: 0x0c, brIf: 0x0d, end: 0x0b, localGet: 0x20, localSet: 0x21, i32Const: 0x41, i32GeU: 0x4f, i32Add: 0x6a, i32Mul: 0x6c, simd: 0xfd } as const;
const SIMD = { load: 0x00, store: 0x0b, not: 0x4d, and: 0x4e, andNot: 0x4f, or: 0x50, xor: 0x51, shl: 0xab, shrU: 0xad, add: 0xae } as const;

/** The body of `run(blocks)` (locals and code); see the layout above. */
function runBody(): number[] {
  const [BLOCKS, P, Q, END] = [0, 1, 2, 3] as const;
  // Per stream s: registers a, b, c, d and a temporary at vector locals 4 + 5s ...
  const vectorLocal = (s: number, r: number) => 4 + 5 * s + r;
  const code: number[] = vector([
    [3, VALUE_TYPE.i32],
    [5 * STREAMS, VALUE_TYPE.v128],
  ]);
  const get = (local: number) => code.push(OP.localGet, local);
  const set = (local: number) => code.push(OP.localSet, local);
  // Appended in place: the body is ~8 KB, and an array per instruction made a first hash wait
  // for its allocation and garbage collection in cold code.
  const i32 = (value: number) => {
    code.push(OP.i32Const);
    pushSignedLeb(code, value);
  };
  /** A SIMD instruction; loads and stores take their memory offset (alignment 2^4). */
  const simd = (op: number, offset?: number) => {
    code.push(OP.simd);
    pushUnsignedLeb(code, op);
    if (offset === undefined) return;
    code.push(4);
    pushUnsignedLeb(code, offset);
  };
  const loadAt = (base: number, offset: number) => {
    get(base);
    simd(SIMD.load, offset);
  };

  i32(MESSAGE_OFFSET); set(P);
  i32(0); set(Q);
  get(BLOCKS); i32(BLOCK_BYTES); code.push(OP.i32Mul); i32(MESSAGE_OFFSET); code.push(OP.i32Add); set(END);

  code.push(OP.block, 0x40, OP.loop, 0x40);
  get(P); get(END); code.push(OP.i32GeU, OP.brIf, 1);
  for (let s = 0; s < STREAMS; s++) {
    for (let r = 0; r < 4; r++) {
      loadAt(Q, SLOT_BYTES * 0 + 4 * LANES * r + 16 * s);
      set(vectorLocal(s, r));
    }
  }
  for (let i = 0; i < 64; i++) {
    const round = i >> 4;
    const word = [i, (5 * i + 1) % 16, (3 * i + 5) % 16, (7 * i) % 16][round]!;
    const shift = SHIFTS[4 * round + (i % 4)]!;
    for (let s = 0; s < STREAMS; s++) {
      const [a, b, c, d] = [0, 1, 2, 3].map((j) => vectorLocal(s, (j - i + 64) % 4)) as [number, number, number, number];
      const t = vectorLocal(s, 4);
      // Off the chain: a + M[word] + K[i] (a was last written four steps ago).
      get(a);
      loadAt(P, 4 * LANES * word + 16 * s);
      simd(SIMD.add);
      i32(0); simd(SIMD.load, K_OFFSET + 16 * i);
      simd(SIMD.add);
      if (round === 0) {
        get(d); get(b); get(c); get(d); simd(SIMD.xor); simd(SIMD.and); simd(SIMD.xor); // d ^ (b & (c ^ d))
      } else if (round === 1) {
        get(c); get(d); simd(SIMD.andNot); simd(SIMD.add); // + (c & ~d), off the chain
        get(b); get(d); simd(SIMD.and); // the bits of (b & d) and (c & ~d) are disjoint: + is |
      } else if (round === 2) {
        get(b); get(c); get(d); simd(SIMD.xor); simd(SIMD.xor);
      } else {
        get(c); get(b); get(d); simd(SIMD.not); simd(SIMD.or); simd(SIMD.xor); // c ^ (b | ~d)
      }
      simd(SIMD.add);
      set(t);
      get(b);
      get(t); i32(shift); simd(SIMD.shl);
      get(t); i32(32 - shift); simd(SIMD.shrU);
      simd(SIMD.or);
      simd(SIMD.add);
      set(a);
    }
  }
  // After 64 steps the registers are back in place: add the previous state and store the next slot.
  for (let s = 0; s < STREAMS; s++) {
    for (let r = 0; r < 4; r++) {
      const offset = 4 * LANES * r + 16 * s;
      get(Q);
      get(vectorLocal(s, r));
      loadAt(Q, offset);
      simd(SIMD.add);
      simd(SIMD.store, SLOT_BYTES + offset);
    }
  }
  get(Q); i32(SLOT_BYTES); code.push(OP.i32Add); set(Q);
  get(P); i32(BLOCK_BYTES); code.push(OP.i32Add); set(P);
  code.push(OP.br, 0, OP.end, OP.end, OP.end);
  return code;
}

function moduleBytes(): Uint8Array {
  return moduleWithBody(
    [
      ...section(1, vector([[0x60, 1, VALUE_TYPE.i32, 0]])), // type 0: (i32) -> ()
      ...section(3, vector([[0]])), // function 0 has type 0
      ...section(5, vector([[0x00, ...unsignedLeb(PAGES)]])), // one memory, no maximum
      ...section(7, vector([[...name("run"), 0x00, 0], [...name("memory"), 0x02, 0]])),
    ],
    runBody(),
  );
}

let compiled: WebAssembly.Module | undefined;

/** An MD5 engine for LANES messages at once, with its own memory. */
export class Md5Lanes {
  /** The interleaved messages: word i of lane j at LANES i + j. */
  readonly message = new Int32Array(MAX_BLOCKS * 16 * LANES);
  /** The module's memory as words (states, constants and messages, see the layout above). */
  readonly memory: Int32Array;
  /** `message` views of 1..MAX_BLOCKS blocks, made once: compute() runs once per round of a hash. */
  private readonly prefixes: Int32Array[];
  private readonly run: (blocks: number) => void;

  constructor() {
    compiled ??= new WebAssembly.Module(moduleBytes());
    const instance = new WebAssembly.Instance(compiled, {});
    const exports = instance.exports as { run: (blocks: number) => void; memory: WebAssembly.Memory };
    this.memory = new Int32Array(exports.memory.buffer);
    this.run = exports.run;
    this.prefixes = Array.from({ length: MAX_BLOCKS + 1 }, (_, blocks) => this.message.subarray(0, blocks * 16 * LANES));
    for (let r = 0; r < 4; r++) this.memory.fill(INITIAL[r]!, LANES * r, LANES * (r + 1));
    for (let i = 0; i < 64; i++) this.memory.fill(K[i]!, K_OFFSET / 4 + 4 * i, K_OFFSET / 4 + 4 * i + 4);
  }

  /**
   * Pads lane `lane`'s message of `length` bytes (already written at its interleaved words) and
   * returns its number of blocks.
   */
  pad(lane: number, length: number): number {
    const w = this.message;
    const blocks = ((length + 8) >>> 6) + 1;
    const last = length >>> 2;
    const partial = length & 3;
    const at = lane + LANES * last;
    w[at] = partial === 0 ? 0x80 : (w[at]! & ((1 << (8 * partial)) - 1)) | (0x80 << (8 * partial));
    const lengthWord = blocks * 16 - 2;
    for (let i = last + 1; i < lengthWord; i++) w[lane + LANES * i] = 0;
    w[lane + LANES * lengthWord] = length << 3;
    w[lane + LANES * (lengthWord + 1)] = length >>> 29;
    return blocks;
  }

  /** Runs all lanes for `blocks` blocks; each lane's digest is then at {@link digestIndex}. */
  compute(blocks: number): void {
    if (blocks > MAX_BLOCKS) throw new RangeError(`a message of ${blocks} blocks exceeds the ${MAX_BLOCKS}-block buffer`);
    this.memory.set(this.prefixes[blocks]!, MESSAGE_OFFSET / 4);
    this.run(blocks);
  }

  /** Index in `memory` of word r (0..3, little-endian A..D) of the digest of a lane whose message has `blocks` blocks. */
  digestIndex(lane: number, blocks: number, r: number): number {
    return 4 * LANES * blocks + LANES * r + lane;
  }
}
