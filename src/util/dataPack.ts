/**
 * Data packs: how prednas ships its benchmark tables. A pack is a column file (columns.ts:
 * named typed arrays, JSON meta, CRC-32) compressed with Brotli, which Node has built in, so
 * reading one needs no dependency and no build step.
 *
 * Why not gzip'd CSV as the shared data: the tables are mostly repetitive numbers (a few thousand
 * distinct accuracies over 423,624 cells) and sorted 128-bit hashes; coded as columns (value
 * tables plus indices, hash deltas) and Brotli'd they take under half the space, and decode in
 * tens of milliseconds instead of seconds of text parsing. The column helpers here are the codings.
 */
import { readFileSync } from "node:fs";
import { brotliCompressSync, brotliDecompressSync, constants } from "node:zlib";
import { decodeColumns, encodeColumns, type Column } from "./columns.js";
import { writeFileAtomic } from "./files.js";

export function encodePack(meta: unknown, columns: Record<string, Column>): Buffer {
  const raw = Buffer.concat(encodeColumns(meta, columns));
  return brotliCompressSync(raw, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_LGWIN]: constants.BROTLI_MAX_WINDOW_BITS,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  });
}

export function writePack(path: string, meta: unknown, columns: Record<string, Column>): void {
  writeFileAtomic(path, encodePack(meta, columns));
}

/** Reads a pack; throws (CorruptFileError, or zlib's error) when it is damaged. */
export function readPack(path: string): { meta: unknown; columns: Record<string, Column> } {
  const raw = brotliDecompressSync(readFileSync(path));
  // Columns are viewed in place at 8-byte aligned offsets: they need a buffer of their own.
  const buffer = raw.byteOffset === 0 && raw.byteLength === raw.buffer.byteLength ? (raw.buffer as ArrayBuffer) : new Uint8Array(raw).buffer;
  return decodeColumns(buffer, path);
}

/** A column as a table of its distinct values (ascending) and, per row, the position of its value. */
export function toValueTable(values: Float64Array | Int32Array): { values: Float64Array; index: Uint16Array } {
  // A Set and a Map take -0 for 0: -0 gets a slot of its own, so that every bit survives.
  const negativeZero = Array.prototype.some.call(values, (value: number) => Object.is(value, -0));
  const distinct = Float64Array.from([...new Set(values), ...(negativeZero ? [-0] : [])]).sort();
  if (distinct.length > 65_536) throw new RangeError(`${distinct.length} distinct values do not fit a 16-bit index`);
  const position = new Map<number, number>();
  distinct.forEach((value, i) => {
    if (!Object.is(value, -0)) position.set(value, i);
  });
  const negativeZeroAt = distinct.findIndex((value) => Object.is(value, -0));
  return { values: distinct, index: Uint16Array.from(values, (value) => (Object.is(value, -0) ? negativeZeroAt : position.get(value)!)) };
}

export function fromValueTable(values: Float64Array, index: Uint16Array): Float64Array {
  const out = new Float64Array(index.length);
  for (let i = 0; i < index.length; i++) {
    const value = values[index[i]!];
    if (value === undefined) throw new RangeError(`row ${i} points outside its value table`);
    out[i] = value;
  }
  return out;
}

/** Ascending 32-bit words as LEB128-coded differences (small numbers for dense sorted data). */
export function toDeltas(words: ArrayLike<number>): Uint8Array {
  const bytes: number[] = [];
  let previous = 0;
  for (let i = 0; i < words.length; i++) {
    let delta = words[i]! - previous;
    if (delta < 0) throw new RangeError(`the words are not ascending at ${i}`);
    previous = words[i]!;
    do {
      const low = delta & 0x7f;
      delta = Math.floor(delta / 128);
      bytes.push(delta > 0 ? low | 0x80 : low);
    } while (delta > 0);
  }
  return Uint8Array.from(bytes);
}

export function fromDeltas(bytes: Uint8Array, count: number): Uint32Array {
  const out = new Uint32Array(count);
  let previous = 0;
  let at = 0;
  for (let i = 0; i < count; i++) {
    let delta = 0;
    let scale = 1;
    let byte: number;
    do {
      if (at >= bytes.length) throw new RangeError(`the deltas end after ${i} of ${count} words`);
      byte = bytes[at++]!;
      delta += (byte & 0x7f) * scale;
      scale *= 128;
    } while (byte & 0x80);
    previous += delta;
    out[i] = previous;
  }
  return out;
}
