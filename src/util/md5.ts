/**
 * MD5 over a byte buffer, written by hand because NAS-Bench-101 hashing calls it about 57 times per
 * cell on short messages: node:crypto's per-call overhead (object creation, hex encoding) caps
 * throughput far below the 50,000 cells/s target, whereas this loop works in place on a reusable
 * buffer and returns the digest as four words with no allocation.
 *
 * The 64 steps are unrolled (generated from the RFC 1321 constants) so V8 keeps every register in
 * a local variable; constants are written as signed 32-bit values so that V8 stays in integer
 * arithmetic (0xd76aa478 as a literal is a heap double).
 */

/** A reusable message buffer: write the message bytes at `bytes[0..len)`, then call {@link md5}. */
export class Md5Buffer {
  bytes: Uint8Array;
  words: Int32Array;

  constructor(capacity = 1024) {
    const size = Math.ceil((capacity + 72) / 64) * 64;
    const buffer = new ArrayBuffer(size);
    this.bytes = new Uint8Array(buffer);
    this.words = new Int32Array(buffer);
  }

  /** Grows the buffer (keeping nothing) so that a message of `length` bytes fits with its padding. */
  ensure(length: number): void {
    if (length + 72 > this.bytes.length) {
      const grown = new Md5Buffer(Math.max(length, this.bytes.length * 2));
      this.bytes = grown.bytes;
      this.words = grown.words;
    }
  }
}

/**
 * Hashes the first `length` bytes of `buffer` and writes the digest, as the four little-endian
 * words A, B, C, D of RFC 1321, to `out[offset..offset+4)`. The bytes after the message are
 * overwritten with the padding. Messages may be written through `bytes` or, four bytes at a
 * time in little-endian order, through `words`.
 */
export function md5(buffer: Md5Buffer, length: number, out: Int32Array | Uint32Array, offset = 0): void {
  const w = buffer.words;
  const padded = ((length + 8) >>> 6) * 64 + 64;
  const last = length >>> 2;
  const partial = length & 3;
  w[last] = partial === 0 ? 0x80 : (w[last]! & ((1 << (8 * partial)) - 1)) | (0x80 << (8 * partial));
  w.fill(0, last + 1, (padded >>> 2) - 2);
  w[(padded >>> 2) - 2] = length << 3;
  w[(padded >>> 2) - 1] = length >>> 29;

  let a0 = 1732584193;
  let b0 = -271733879;
  let c0 = -1732584194;
  let d0 = 271733878;
  for (let base = 0; base < padded >>> 2; base += 16) {
    const x0 = w[base + 0]!;
    const x1 = w[base + 1]!;
    const x2 = w[base + 2]!;
    const x3 = w[base + 3]!;
    const x4 = w[base + 4]!;
    const x5 = w[base + 5]!;
    const x6 = w[base + 6]!;
    const x7 = w[base + 7]!;
    const x8 = w[base + 8]!;
    const x9 = w[base + 9]!;
    const x10 = w[base + 10]!;
    const x11 = w[base + 11]!;
    const x12 = w[base + 12]!;
    const x13 = w[base + 13]!;
    const x14 = w[base + 14]!;
    const x15 = w[base + 15]!;
    let a = a0, b = b0, c = c0, d = d0, t: number;
    t = (a + ((b & c) | (~b & d)) + x0 + (-680876936)) | 0; a = (((t << 7) | (t >>> 25)) + b) | 0;
    t = (d + ((a & b) | (~a & c)) + x1 + (-389564586)) | 0; d = (((t << 12) | (t >>> 20)) + a) | 0;
    t = (c + ((d & a) | (~d & b)) + x2 + 606105819) | 0; c = (((t << 17) | (t >>> 15)) + d) | 0;
    t = (b + ((c & d) | (~c & a)) + x3 + (-1044525330)) | 0; b = (((t << 22) | (t >>> 10)) + c) | 0;
    t = (a + ((b & c) | (~b & d)) + x4 + (-176418897)) | 0; a = (((t << 7) | (t >>> 25)) + b) | 0;
    t = (d + ((a & b) | (~a & c)) + x5 + 1200080426) | 0; d = (((t << 12) | (t >>> 20)) + a) | 0;
    t = (c + ((d & a) | (~d & b)) + x6 + (-1473231341)) | 0; c = (((t << 17) | (t >>> 15)) + d) | 0;
    t = (b + ((c & d) | (~c & a)) + x7 + (-45705983)) | 0; b = (((t << 22) | (t >>> 10)) + c) | 0;
    t = (a + ((b & c) | (~b & d)) + x8 + 1770035416) | 0; a = (((t << 7) | (t >>> 25)) + b) | 0;
    t = (d + ((a & b) | (~a & c)) + x9 + (-1958414417)) | 0; d = (((t << 12) | (t >>> 20)) + a) | 0;
    t = (c + ((d & a) | (~d & b)) + x10 + (-42063)) | 0; c = (((t << 17) | (t >>> 15)) + d) | 0;
    t = (b + ((c & d) | (~c & a)) + x11 + (-1990404162)) | 0; b = (((t << 22) | (t >>> 10)) + c) | 0;
    t = (a + ((b & c) | (~b & d)) + x12 + 1804603682) | 0; a = (((t << 7) | (t >>> 25)) + b) | 0;
    t = (d + ((a & b) | (~a & c)) + x13 + (-40341101)) | 0; d = (((t << 12) | (t >>> 20)) + a) | 0;
    t = (c + ((d & a) | (~d & b)) + x14 + (-1502002290)) | 0; c = (((t << 17) | (t >>> 15)) + d) | 0;
    t = (b + ((c & d) | (~c & a)) + x15 + 1236535329) | 0; b = (((t << 22) | (t >>> 10)) + c) | 0;
    t = (a + ((b & d) | (c & ~d)) + x1 + (-165796510)) | 0; a = (((t << 5) | (t >>> 27)) + b) | 0;
    t = (d + ((a & c) | (b & ~c)) + x6 + (-1069501632)) | 0; d = (((t << 9) | (t >>> 23)) + a) | 0;
    t = (c + ((d & b) | (a & ~b)) + x11 + 643717713) | 0; c = (((t << 14) | (t >>> 18)) + d) | 0;
    t = (b + ((c & a) | (d & ~a)) + x0 + (-373897302)) | 0; b = (((t << 20) | (t >>> 12)) + c) | 0;
    t = (a + ((b & d) | (c & ~d)) + x5 + (-701558691)) | 0; a = (((t << 5) | (t >>> 27)) + b) | 0;
    t = (d + ((a & c) | (b & ~c)) + x10 + 38016083) | 0; d = (((t << 9) | (t >>> 23)) + a) | 0;
    t = (c + ((d & b) | (a & ~b)) + x15 + (-660478335)) | 0; c = (((t << 14) | (t >>> 18)) + d) | 0;
    t = (b + ((c & a) | (d & ~a)) + x4 + (-405537848)) | 0; b = (((t << 20) | (t >>> 12)) + c) | 0;
    t = (a + ((b & d) | (c & ~d)) + x9 + 568446438) | 0; a = (((t << 5) | (t >>> 27)) + b) | 0;
    t = (d + ((a & c) | (b & ~c)) + x14 + (-1019803690)) | 0; d = (((t << 9) | (t >>> 23)) + a) | 0;
    t = (c + ((d & b) | (a & ~b)) + x3 + (-187363961)) | 0; c = (((t << 14) | (t >>> 18)) + d) | 0;
    t = (b + ((c & a) | (d & ~a)) + x8 + 1163531501) | 0; b = (((t << 20) | (t >>> 12)) + c) | 0;
    t = (a + ((b & d) | (c & ~d)) + x13 + (-1444681467)) | 0; a = (((t << 5) | (t >>> 27)) + b) | 0;
    t = (d + ((a & c) | (b & ~c)) + x2 + (-51403784)) | 0; d = (((t << 9) | (t >>> 23)) + a) | 0;
    t = (c + ((d & b) | (a & ~b)) + x7 + 1735328473) | 0; c = (((t << 14) | (t >>> 18)) + d) | 0;
    t = (b + ((c & a) | (d & ~a)) + x12 + (-1926607734)) | 0; b = (((t << 20) | (t >>> 12)) + c) | 0;
    t = (a + (b ^ c ^ d) + x5 + (-378558)) | 0; a = (((t << 4) | (t >>> 28)) + b) | 0;
    t = (d + (a ^ b ^ c) + x8 + (-2022574463)) | 0; d = (((t << 11) | (t >>> 21)) + a) | 0;
    t = (c + (d ^ a ^ b) + x11 + 1839030562) | 0; c = (((t << 16) | (t >>> 16)) + d) | 0;
    t = (b + (c ^ d ^ a) + x14 + (-35309556)) | 0; b = (((t << 23) | (t >>> 9)) + c) | 0;
    t = (a + (b ^ c ^ d) + x1 + (-1530992060)) | 0; a = (((t << 4) | (t >>> 28)) + b) | 0;
    t = (d + (a ^ b ^ c) + x4 + 1272893353) | 0; d = (((t << 11) | (t >>> 21)) + a) | 0;
    t = (c + (d ^ a ^ b) + x7 + (-155497632)) | 0; c = (((t << 16) | (t >>> 16)) + d) | 0;
    t = (b + (c ^ d ^ a) + x10 + (-1094730640)) | 0; b = (((t << 23) | (t >>> 9)) + c) | 0;
    t = (a + (b ^ c ^ d) + x13 + 681279174) | 0; a = (((t << 4) | (t >>> 28)) + b) | 0;
    t = (d + (a ^ b ^ c) + x0 + (-358537222)) | 0; d = (((t << 11) | (t >>> 21)) + a) | 0;
    t = (c + (d ^ a ^ b) + x3 + (-722521979)) | 0; c = (((t << 16) | (t >>> 16)) + d) | 0;
    t = (b + (c ^ d ^ a) + x6 + 76029189) | 0; b = (((t << 23) | (t >>> 9)) + c) | 0;
    t = (a + (b ^ c ^ d) + x9 + (-640364487)) | 0; a = (((t << 4) | (t >>> 28)) + b) | 0;
    t = (d + (a ^ b ^ c) + x12 + (-421815835)) | 0; d = (((t << 11) | (t >>> 21)) + a) | 0;
    t = (c + (d ^ a ^ b) + x15 + 530742520) | 0; c = (((t << 16) | (t >>> 16)) + d) | 0;
    t = (b + (c ^ d ^ a) + x2 + (-995338651)) | 0; b = (((t << 23) | (t >>> 9)) + c) | 0;
    t = (a + (c ^ (b | ~d)) + x0 + (-198630844)) | 0; a = (((t << 6) | (t >>> 26)) + b) | 0;
    t = (d + (b ^ (a | ~c)) + x7 + 1126891415) | 0; d = (((t << 10) | (t >>> 22)) + a) | 0;
    t = (c + (a ^ (d | ~b)) + x14 + (-1416354905)) | 0; c = (((t << 15) | (t >>> 17)) + d) | 0;
    t = (b + (d ^ (c | ~a)) + x5 + (-57434055)) | 0; b = (((t << 21) | (t >>> 11)) + c) | 0;
    t = (a + (c ^ (b | ~d)) + x12 + 1700485571) | 0; a = (((t << 6) | (t >>> 26)) + b) | 0;
    t = (d + (b ^ (a | ~c)) + x3 + (-1894986606)) | 0; d = (((t << 10) | (t >>> 22)) + a) | 0;
    t = (c + (a ^ (d | ~b)) + x10 + (-1051523)) | 0; c = (((t << 15) | (t >>> 17)) + d) | 0;
    t = (b + (d ^ (c | ~a)) + x1 + (-2054922799)) | 0; b = (((t << 21) | (t >>> 11)) + c) | 0;
    t = (a + (c ^ (b | ~d)) + x8 + 1873313359) | 0; a = (((t << 6) | (t >>> 26)) + b) | 0;
    t = (d + (b ^ (a | ~c)) + x15 + (-30611744)) | 0; d = (((t << 10) | (t >>> 22)) + a) | 0;
    t = (c + (a ^ (d | ~b)) + x6 + (-1560198380)) | 0; c = (((t << 15) | (t >>> 17)) + d) | 0;
    t = (b + (d ^ (c | ~a)) + x13 + 1309151649) | 0; b = (((t << 21) | (t >>> 11)) + c) | 0;
    t = (a + (c ^ (b | ~d)) + x4 + (-145523070)) | 0; a = (((t << 6) | (t >>> 26)) + b) | 0;
    t = (d + (b ^ (a | ~c)) + x11 + (-1120210379)) | 0; d = (((t << 10) | (t >>> 22)) + a) | 0;
    t = (c + (a ^ (d | ~b)) + x2 + 718787259) | 0; c = (((t << 15) | (t >>> 17)) + d) | 0;
    t = (b + (d ^ (c | ~a)) + x9 + (-343485551)) | 0; b = (((t << 21) | (t >>> 11)) + c) | 0;
    a0 = (a0 + a) | 0;
    b0 = (b0 + b) | 0;
    c0 = (c0 + c) | 0;
    d0 = (d0 + d) | 0;
  }
  out[offset] = a0;
  out[offset + 1] = b0;
  out[offset + 2] = c0;
  out[offset + 3] = d0;
}
