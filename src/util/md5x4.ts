/**
 * Four MD5s at once, in WebAssembly SIMD: one 32-bit lane per message.
 *
 * Why: NAS-Bench-101 hashing is nothing but ~120 MD5 blocks per cell, and MD5 is a serial
 * dependency chain: scalar MD5 in JS runs at about the speed of native OpenSSL (~150 ns a block
 * here) and still misses the 50,000 cells/s target. Each refinement round of the hash computes
 * one independent MD5 per vertex, so four vertices can share one i32x4 pipeline: measured at
 * about 55 ns per block per lane, three times the scalar speed.
 *
 * The module is assembled here from its instruction list (no build tool, no binary blob in the
 * repository): one exported function `run(blocks)` and one exported memory.
 *
 * Memory layout (byte offsets):
 * - [0, STATE_BYTES): the state after every block: block k, register r (a, b, c, d), lane j at
 *   word 16k + 4r + j. A lane whose message has b blocks reads its digest at block b - 1.
 * - [MESSAGE_OFFSET, ...): the padded messages interleaved by word: word i of lane j at
 *   word MESSAGE_OFFSET / 4 + 4i + j.
 *
 * Callers write messages into `message`, a plain JS array with the same interleaving (word i of
 * lane j at 4i + j), which `compute` copies into the module's memory in one block: V8 accesses
 * plain typed arrays faster than views of WebAssembly memory, and the copy is a memcpy.
 */

export const MAX_BLOCKS = 64;
const STATE_BYTES = MAX_BLOCKS * 64;
export const MESSAGE_OFFSET = STATE_BYTES;
const PAGES = Math.ceil((MESSAGE_OFFSET + MAX_BLOCKS * 256) / 65536);

const K = Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) | 0);
const SHIFTS = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

// Opcodes (WebAssembly core and SIMD proposals).
const OP = {
  block: 0x02,
  loop: 0x03,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  localGet: 0x20,
  localSet: 0x21,
  i32Const: 0x41,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Shl: 0x74,
  simd: 0xfd,
} as const;
const SIMD = {
  load: 0x00,
  store: 0x0b,
  splat: 0x11,
  not: 0x4d,
  or: 0x50,
  xor: 0x51,
  bitselect: 0x52,
  shl: 0xab,
  shrU: 0xad,
  add: 0xae,
} as const;
const V128 = 0x7b;
const I32 = 0x7f;

function unsignedLeb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

function signedLeb(value: number): number[] {
  const bytes: number[] = [];
  while (true) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      bytes.push(byte);
      return bytes;
    }
    bytes.push(byte | 0x80);
  }
}

function section(id: number, content: number[]): number[] {
  return [id, ...unsignedLeb(content.length), ...content];
}

function vector(items: number[][]): number[] {
  return [...unsignedLeb(items.length), ...items.flat()];
}

function name(text: string): number[] {
  return vector([...text].map((ch) => [ch.charCodeAt(0)]));
}

/** The body of `run(blocks)`: locals 0 = blocks; see the layout above. */
function runBody(): number[] {
  const [BLOCKS, P, Q, END, A, B, C, D, T, A0, B0, C0, D0] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] as const;
  const code: number[] = [];
  const get = (local: number) => code.push(OP.localGet, local);
  const set = (local: number) => code.push(OP.localSet, local);
  const i32 = (value: number) => code.push(OP.i32Const, ...signedLeb(value));
  const simd = (op: number, ...immediates: number[]) => code.push(OP.simd, ...unsignedLeb(op), ...immediates);
  const memarg = (offset: number) => [4, ...unsignedLeb(offset)];

  const initial = [1732584193, -271733879, -1732584194, 271733878];
  [A0, B0, C0, D0].forEach((register, r) => {
    i32(initial[r]!);
    simd(SIMD.splat);
    set(register);
  });
  i32(MESSAGE_OFFSET);
  set(P);
  i32(0);
  set(Q);
  get(BLOCKS);
  i32(8);
  code.push(OP.i32Shl);
  i32(MESSAGE_OFFSET);
  code.push(OP.i32Add);
  set(END);

  code.push(OP.block, 0x40, OP.loop, 0x40);
  get(P);
  get(END);
  code.push(OP.i32GeU, OP.brIf, 1);
  get(A0); set(A); get(B0); set(B); get(C0); set(C); get(D0); set(D);
  const registers = [A, B, C, D];
  for (let i = 0; i < 64; i++) {
    const [a, b, c, d] = [0, 1, 2, 3].map((j) => registers[(j - i + 64) % 4]!) as [number, number, number, number];
    let word: number;
    get(a);
    if (i < 16) {
      get(c); get(d); get(b); simd(SIMD.bitselect); // (b & c) | (~b & d)
      word = i;
    } else if (i < 32) {
      get(b); get(c); get(d); simd(SIMD.bitselect); // (d & b) | (~d & c)
      word = (5 * i + 1) % 16;
    } else if (i < 48) {
      get(b); get(c); simd(SIMD.xor); get(d); simd(SIMD.xor);
      word = (3 * i + 5) % 16;
    } else {
      get(c); get(b); get(d); simd(SIMD.not); simd(SIMD.or); simd(SIMD.xor); // c ^ (b | ~d)
      word = (7 * i) % 16;
    }
    simd(SIMD.add);
    get(P);
    simd(SIMD.load, ...memarg(16 * word));
    simd(SIMD.add);
    i32(K[i]!);
    simd(SIMD.splat);
    simd(SIMD.add);
    set(T);
    const shift = SHIFTS[4 * (i >> 4) + (i % 4)]!;
    get(b);
    get(T); i32(shift); simd(SIMD.shl);
    get(T); i32(32 - shift); simd(SIMD.shrU);
    simd(SIMD.or);
    simd(SIMD.add);
    set(a);
  }
  [A0, B0, C0, D0].forEach((register, r) => {
    get(register); get(registers[r]!); simd(SIMD.add); set(register);
    get(Q); get(register); simd(SIMD.store, ...memarg(16 * r));
  });
  get(Q); i32(64); code.push(OP.i32Add); set(Q);
  get(P); i32(256); code.push(OP.i32Add); set(P);
  code.push(OP.br, 0, OP.end, OP.end, OP.end);

  const locals = vector([
    [3, I32],
    [9, V128],
  ]);
  const body = [...locals, ...code];
  return [...unsignedLeb(body.length), ...body];
}

function moduleBytes(): Uint8Array {
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector([[0x60, 1, I32, 0]])), // type 0: (i32) -> ()
    ...section(3, vector([[0]])), // function 0 has type 0
    ...section(5, vector([[0x00, ...unsignedLeb(PAGES)]])), // one memory, no maximum
    ...section(7, vector([[...name("run"), 0x00, 0], [...name("memory"), 0x02, 0]])),
    ...section(10, vector([runBody()])),
  ];
  return Uint8Array.from(bytes);
}

let compiled: WebAssembly.Module | undefined;

/** A four-lane MD5 engine with its own memory. */
export class Md5x4 {
  /** The four interleaved messages: word i of lane j at 4i + j. */
  readonly message = new Int32Array(MAX_BLOCKS * 64);
  /** The module's memory as words (messages and states, see the layout above). */
  readonly memory: Int32Array;
  /** `message` views of 1..MAX_BLOCKS blocks, made once: compute() runs ~14 times per cell hashed. */
  private readonly prefixes: Int32Array[];
  private readonly run: (blocks: number) => void;

  constructor() {
    compiled ??= new WebAssembly.Module(moduleBytes());
    const instance = new WebAssembly.Instance(compiled, {});
    const exports = instance.exports as { run: (blocks: number) => void; memory: WebAssembly.Memory };
    this.memory = new Int32Array(exports.memory.buffer);
    this.run = exports.run;
    this.prefixes = Array.from({ length: MAX_BLOCKS + 1 }, (_, blocks) => this.message.subarray(0, blocks * 64));
  }

  /**
   * Pads lane `lane`'s message of `length` bytes (already written at its interleaved words) and
   * returns its number of blocks.
   */
  pad(lane: number, length: number): number {
    const w = this.message;
    const base = lane;
    const blocks = ((length + 8) >>> 6) + 1;
    const last = length >>> 2;
    const partial = length & 3;
    const at = base + 4 * last;
    w[at] = partial === 0 ? 0x80 : (w[at]! & ((1 << (8 * partial)) - 1)) | (0x80 << (8 * partial));
    const lengthWord = blocks * 16 - 2;
    for (let i = last + 1; i < lengthWord; i++) w[base + 4 * i] = 0;
    w[base + 4 * lengthWord] = length << 3;
    w[base + 4 * (lengthWord + 1)] = length >>> 29;
    return blocks;
  }

  /** Runs all four lanes for `blocks` blocks; lane j's digest is then at {@link digestWord}. */
  compute(blocks: number): void {
    if (blocks > MAX_BLOCKS) throw new RangeError(`a message of ${blocks} blocks exceeds the ${MAX_BLOCKS}-block buffer`);
    this.memory.set(this.prefixes[blocks]!, MESSAGE_OFFSET / 4);
    this.run(blocks);
  }

  /** Word r (0..3, little-endian A..D) of the digest of a lane whose message has `blocks` blocks. */
  digestWord(lane: number, blocks: number, r: number): number {
    return this.memory[16 * (blocks - 1) + 4 * r + lane]!;
  }
}
