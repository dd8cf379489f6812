/**
 * The official NAS-Bench-101 module hash (`graph_util.hash_module`), bit for bit.
 *
 * The official algorithm is a Weisfeiler-Lehman colour refinement with MD5 as the colouring:
 *   1. each vertex starts as md5(str((out_degree, in_degree, label))), e.g. md5("(2, 0, -1)");
 *   2. V times, each vertex becomes md5(sorted in-neighbour hashes joined + "|" + sorted
 *      out-neighbour hashes joined + "|" + its own hash), all as 32-char lowercase hex;
 *   3. the fingerprint is md5(str(sorted(hashes))), Python's list repr: "['h1', 'h2', ...]".
 * Isomorphic labelled graphs get the same fingerprint; for the NAS-Bench-101 space (up to 7
 * vertices, 9 edges, 3 ops) the official authors verified that no two non-isomorphic graphs
 * collide, so the fingerprint is the identity of a cell. Other cell spaces (rules.ts) use the same
 * fingerprint; for them, as for any Weisfeiler-Lehman hash, a collision of non-isomorphic cells is
 * possible in principle (it would merge two cells into one architecture) but none is known.
 *
 * Why this is not written as the obvious string code: hashing runs ~57 MD5s per cell and must
 * reach 50,000 cells/s on one core. Digests are kept as four words, compared as big-endian
 * words (which orders them exactly as their hex strings), and hex is written straight into
 * reusable MD5 buffers, so the hot loop allocates nothing. The MD5s of one round are independent,
 * so a round of up to 8 vertices is a single call to the SIMD engine (md5Lanes.ts).
 */
import { md5, Md5Buffer } from "../../util/md5.js";
import { LANES, Md5Lanes } from "../../util/md5Lanes.js";


/**
 * HEX4[x] = the 4 lowercase hex digits of the 16-bit x, as ASCII bytes in a little-endian word.
 * Built arithmetically: 65,536 temporary strings would cost a first query ~15 ms of start-up.
 */
const HEX4 = new Int32Array(65536);
const hexDigit = (nibble: number) => (nibble < 10 ? 48 + nibble : 87 + nibble);
for (let x = 0; x < 65536; x++) {
  HEX4[x] = hexDigit(x >>> 12) | (hexDigit((x >>> 8) & 15) << 8) | (hexDigit((x >>> 4) & 15) << 16) | (hexDigit(x & 15) << 24);
}
const PIPE = "|".charCodeAt(0);
/** "', '" between list items of the final Python repr, as one little-endian word. */
const ITEM_SEPARATOR = 0x27 | (0x2c << 8) | (0x20 << 16) | (0x27 << 24);
const OPEN = 0x5b | (0x27 << 8); // "['"
const CLOSE = 0x27 | (0x5d << 8); // "']"

/** A fingerprint as four 32-bit words whose unsigned big-endian order is the hex string order. */
export type HashWords = Uint32Array;

function bswap(word: number): number {
  return (((word & 0xff) << 24) | ((word & 0xff00) << 8) | ((word >>> 8) & 0xff00) | (word >>> 24)) >>> 0;
}

/** Scratch space sized for graphs of up to `capacity` vertices; grown on demand. */
class Scratch {
  buffer: Md5Buffer;
  digest = new Int32Array(4);
  keys: Uint32Array;
  next: Uint32Array;
  /** The 32 hex characters of each vertex's hash, as 8 little-endian ASCII words. */
  hex: Int32Array;
  order: Int32Array;
  inDegree: Int32Array;
  outDegree: Int32Array;
  /** Bit w of inMask[v] (outMask[v]) is set when w -> v (v -> w) is an edge. */
  inMask: Int32Array;
  outMask: Int32Array;
  lanes = new Md5Lanes();
  laneBlocks = new Int32Array(LANES);

  constructor(readonly capacity: number) {
    this.buffer = new Md5Buffer(capacity * (32 * capacity + 40));
    this.keys = new Uint32Array(4 * capacity);
    this.next = new Uint32Array(4 * capacity);
    this.hex = new Int32Array(8 * capacity);
    this.order = new Int32Array(capacity);
    this.inDegree = new Int32Array(capacity);
    this.outDegree = new Int32Array(capacity);
    this.inMask = new Int32Array(capacity);
    this.outMask = new Int32Array(capacity);
  }
}

/** Vertex masks are 31-bit integers; NAS-Bench-101 cells have at most 7 vertices. */
export const MAX_HASH_VERTICES = 31;
/** Interior labels are 0..MAX_HASH_OPS-1 (with -1 and -2 for input and output). */
export const MAX_HASH_OPS = 30;
const LABEL_SLOTS = MAX_HASH_OPS + 2;

let scratch = new Scratch(8);
/** Vertex degrees are below 32 (see MAX_HASH_VERTICES) and labels in -2..MAX_HASH_OPS-1: 32 x 32 x 32 slots. */
const initialKeys = new Uint32Array(4 * 32 * 32 * LABEL_SLOTS);
const initialKnown = new Uint8Array(32 * 32 * LABEL_SLOTS);

/** Writes md5(str((out, in, label))) as key words to `keys[at..at+4)`; memoised. */
function initialKey(out: number, inn: number, label: number, keys: Uint32Array, at: number): void {
  const slot = (out * 32 + inn) * LABEL_SLOTS + label + 2;
  if (!initialKnown[slot]) {
    const text = `(${out}, ${inn}, ${label})`;
    const { buffer, digest } = scratch;
    for (let i = 0; i < text.length; i++) buffer.bytes[i] = text.charCodeAt(i);
    md5(buffer, text.length, digest);
    for (let k = 0; k < 4; k++) initialKeys[4 * slot + k] = bswap(digest[k]!);
    initialKnown[slot] = 1;
  }
  for (let k = 0; k < 4; k++) keys[at + k] = initialKeys[4 * slot + k]!;
}

function writeHex(keys: Uint32Array, n: number, hex: Int32Array): void {
  for (let i = 0; i < 4 * n; i++) {
    const word = keys[i]!;
    hex[2 * i] = HEX4[word >>> 16]!;
    hex[2 * i + 1] = HEX4[word & 0xffff]!;
  }
}

/** Sorts vertex indices 0..n-1 into `order` by their key words (insertion sort: cells are small). */
function sortByKey(keys: Uint32Array, n: number, order: Int32Array): void {
  for (let i = 0; i < n; i++) {
    let j = i;
    while (j > 0 && compareKeys(keys, order[j - 1]!, i) > 0) {
      order[j] = order[j - 1]!;
      j--;
    }
    order[j] = i;
  }
}

function compareKeys(keys: Uint32Array, i: number, j: number): number {
  for (let k = 0; k < 4; k++) {
    const x = keys[4 * i + k]!;
    const y = keys[4 * j + k]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * Appends the 8 hex words of `vertex` to a message whose words lie `stride` apart and which
 * currently ends `shift` bits into the word at `at` (whose low `shift` bits hold the pending
 * bytes). Returns the index of the word now holding the pending bytes.
 */
function appendHex(words: Int32Array, at: number, stride: number, shift: number, hex: Int32Array, vertex: number): number {
  const from = 8 * vertex;
  if (shift === 0) {
    for (let i = 0; i < 8; i++, at += stride) words[at] = hex[from + i]!;
    return at;
  }
  let pending = words[at]! & ((1 << shift) - 1);
  for (let i = 0; i < 8; i++, at += stride) {
    const word = hex[from + i]!;
    words[at] = pending | (word << shift);
    pending = word >>> (32 - shift);
  }
  words[at] = pending;
  return at;
}

/** Appends one byte to a message ending `shift` bits into `words[at]`; returns the new `at`. */
function appendByte(words: Int32Array, at: number, stride: number, shift: number, byte: number): number {
  const pending = shift === 0 ? 0 : words[at]! & ((1 << shift) - 1);
  words[at] = pending | (byte << shift);
  return shift === 24 ? at + stride : at;
}

/**
 * Computes the official fingerprint of a labelled DAG and writes it as key words to
 * `out[offset..offset+4)`.
 *
 * @param matrix row-major n x n 0/1 adjacency matrix (upper-triangular in practice; not checked)
 * @param labels n integer labels: -1 input, -2 output, 0.. the interior ops (0..2 for NAS-Bench-101)
 */
export function hashModuleInto(
  matrix: ArrayLike<number>,
  n: number,
  labels: ArrayLike<number>,
  out: Uint32Array,
  offset = 0,
): void {
  if (n > scratch.capacity) scratch = new Scratch(n);
  const s = scratch;
  const { inDegree, outDegree, order, hex, digest } = s;
  let keys = s.keys;
  let next = s.next;
  if (n > MAX_HASH_VERTICES) throw new RangeError(`cannot hash a graph of ${n} vertices (at most ${MAX_HASH_VERTICES})`);
  const { inMask, outMask } = s;
  inDegree.fill(0, 0, n);
  outDegree.fill(0, 0, n);
  inMask.fill(0, 0, n);
  outMask.fill(0, 0, n);
  for (let v = 0; v < n; v++) {
    for (let w = 0; w < n; w++) {
      if (matrix[v * n + w]) {
        outDegree[v]!++;
        inDegree[w]!++;
        outMask[v]! |= 1 << w;
        inMask[w]! |= 1 << v;
      }
    }
  }
  for (let v = 0; v < n; v++) {
    const label = labels[v]!;
    if (label < -2 || label >= MAX_HASH_OPS || !Number.isInteger(label)) throw new RangeError(`vertex ${v} has label ${label}; labels are -2..${MAX_HASH_OPS - 1}`);
    initialKey(outDegree[v]!, inDegree[v]!, label, keys, 4 * v);
  }

  const lanes = s.lanes;
  const laneWords = lanes.message;
  const laneBlocks = s.laneBlocks;
  const digests = lanes.memory;
  for (let round = 0; round < n; round++) {
    sortByKey(keys, n, order);
    writeHex(keys, n, hex);
    // Vertices go through the MD5 lanes LANES at a time; word i of lane j is at LANES i + j.
    for (let first = 0; first < n; first += LANES) {
      const group = Math.min(LANES, n - first);
      let maxBlocks = 0;
      for (let lane = 0; lane < group; lane++) {
        const v = first + lane;
        // In-neighbour hashes start word-aligned; each "|" then shifts the rest by one byte.
        let at = lane;
        const ins = inMask[v]!;
        const outs = outMask[v]!;
        if (ins !== 0) {
          for (let r = 0; r < n; r++) {
            const w = order[r]!;
            if ((ins >>> w) & 1) at = appendHex(laneWords, at, LANES, 0, hex, w);
          }
        }
        at = appendByte(laneWords, at, LANES, 0, PIPE);
        if (outs !== 0) {
          for (let r = 0; r < n; r++) {
            const w = order[r]!;
            if ((outs >>> w) & 1) at = appendHex(laneWords, at, LANES, 8, hex, w);
          }
        }
        at = appendByte(laneWords, at, LANES, 8, PIPE);
        at = appendHex(laneWords, at, LANES, 16, hex, v);
        const blocks = lanes.pad(lane, 4 * ((at - lane) / LANES) + 2);
        laneBlocks[lane] = blocks;
        if (blocks > maxBlocks) maxBlocks = blocks;
      }
      lanes.compute(maxBlocks);
      for (let lane = 0; lane < group; lane++) {
        const v = first + lane;
        const state = lanes.digestIndex(lane, laneBlocks[lane]!, 0);
        for (let k = 0; k < 4; k++) next[4 * v + k] = bswap(digests[state + LANES * k]!);
      }
    }
    const swap = keys;
    keys = next;
    next = swap;
  }

  // str(sorted(hashes)) = "['h0', 'h1', ...]": after "['" every hash starts 2 bytes into a word.
  sortByKey(keys, n, order);
  writeHex(keys, n, hex);
  const words = s.buffer.words;
  words[0] = OPEN;
  let q = 0;
  for (let r = 0; r < n; r++) {
    if (r > 0) {
      // "', '" is a whole word, so it keeps the 2-byte offset.
      words[q] = (words[q]! & 0xffff) | (ITEM_SEPARATOR << 16);
      words[q + 1] = ITEM_SEPARATOR >>> 16;
      q++;
    }
    q = appendHex(words, q, 1, 16, hex, order[r]!);
  }
  words[q] = (words[q]! & 0xffff) | (CLOSE << 16);
  md5(s.buffer, 4 * q + 4, digest);
  for (let k = 0; k < 4; k++) out[offset + k] = bswap(digest[k]!);
}

const single = new Uint32Array(4);

/** The official 32-hex fingerprint of a labelled DAG (see {@link hashModuleInto}). */
export function hashModule(matrix: ArrayLike<number>, n: number, labels: ArrayLike<number>): string {
  hashModuleInto(matrix, n, labels, single);
  return hashToHex(single);
}

/** The 32 ASCII hex digits of one fingerprint, decoded as Latin-1 (a quarter of the time of concatenating table strings). */
const hexText = Buffer.alloc(32);
const hexTextWords = new Int32Array(hexText.buffer, hexText.byteOffset, 8);

/** The 32-hex string of key words at `words[offset..offset+4)`. */
export function hashToHex(words: Uint32Array, offset = 0): string {
  for (let k = 0; k < 4; k++) {
    const word = words[offset + k]!;
    hexTextWords[2 * k] = HEX4[word >>> 16]!;
    hexTextWords[2 * k + 1] = HEX4[word & 0xffff]!;
  }
  return hexText.toString("latin1", 0, 32);
}

/** Key words of a 32-hex string; undefined when the text is not 32 hex digits. */
export function hexToHash(text: string, out: Uint32Array = new Uint32Array(4), offset = 0): Uint32Array | undefined {
  if (!/^[0-9a-fA-F]{32}$/.test(text)) return undefined;
  for (let k = 0; k < 4; k++) out[offset + k] = Number.parseInt(text.slice(8 * k, 8 * k + 8), 16);
  return out;
}
