/**
 * TFRecord framing, the container of the official NAS-Bench-101 files, read as a stream.
 *
 * A TFRecord file is a plain sequence of records, each
 *   uint64 LE length | uint32 LE masked CRC32C(length bytes) | data | uint32 LE masked CRC32C(data)
 * with no header, index or trailer. The reader checks both checksums and reports every problem
 * with the byte offset of the record it found it in, because the official files are 0.5-2 GB
 * and "corrupt somewhere" is no help to someone holding a damaged download.
 *
 * The file is never held whole in memory: only the current chunk and at most one record that
 * straddles chunk boundaries are kept.
 */
import { createReadStream } from "node:fs";
// crc-32 (SheetJS, pure JS, no install scripts) ships a table-driven CRC32C beside its CRC-32;
// its typings cover both modules (same API), so this subpath is typed through typesVersions.
import CRC32C from "crc-32/crc32c.js";
import { InputError } from "../../../util/errors.js";

/** One record's payload and the byte offset in the file where its length header starts. */
export interface TfRecord {
  readonly offset: number;
  readonly data: Uint8Array;
}

/** A problem with one record; `offset` is where that record starts in the file. */
export class TfRecordError extends InputError {
  constructor(
    readonly source: string,
    readonly offset: number,
    readonly problem: string,
  ) {
    super(`${source}: record at byte ${offset}: ${problem}`);
  }
}

/** CRC32C (Castagnoli) of `data`, as an unsigned 32-bit integer. */
export function crc32c(data: Uint8Array): number {
  return CRC32C.buf(data) >>> 0;
}

/** TFRecord's masked CRC: rotated and offset so that a CRC of data that holds CRCs stays robust. */
export function maskedCrc32c(data: Uint8Array): number {
  const crc = crc32c(data);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

const HEADER_BYTES = 12;
const FOOTER_BYTES = 4;

/**
 * Official NAS-Bench-101 records are under 1 KiB. The bound keeps a corrupted length whose CRC
 * happens to match from making the reader buffer the rest of a 2 GB file.
 */
export const DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024;

/** One framed record: the bytes a writer of TFRecord files emits for `data`. */
export function encodeTfRecord(data: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(HEADER_BYTES + data.length + FOOTER_BYTES);
  out.writeBigUInt64LE(BigInt(data.length), 0);
  out.writeUInt32LE(maskedCrc32c(out.subarray(0, 8)), 8);
  out.set(data, HEADER_BYTES);
  out.writeUInt32LE(maskedCrc32c(data), HEADER_BYTES + data.length);
  return out;
}

export interface ReadTfRecordsOptions {
  /** Names the file in error messages (default: the path, or "input"). */
  readonly name?: string;
  readonly maxRecordBytes?: number;
}

/**
 * The records of a TFRecord file (a path, or any stream of its bytes in order), as they come.
 * Throws {@link TfRecordError} at the first damaged record. A yielded `data` may share memory
 * with the input chunks: copy it to keep it beyond the chunk's life when the source reuses
 * buffers (a file path never does).
 */
export async function* readTfRecords(input: string | AsyncIterable<Uint8Array>, options: ReadTfRecordsOptions = {}): AsyncGenerator<TfRecord> {
  const name = options.name ?? (typeof input === "string" ? input : "input");
  const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const chunks: AsyncIterable<Uint8Array> = typeof input === "string" ? createReadStream(input, { highWaterMark: 1 << 20 }) : input;

  // Bytes not yet consumed: `buffer[position..]`, plus chunks waiting to be joined to it. Joining
  // happens only when the record at hand needs more bytes than `buffer` holds, so a record that
  // spans many chunks is copied once, not once per chunk.
  let buffer: Uint8Array = new Uint8Array(0);
  let position = 0;
  const waiting: Uint8Array[] = [];
  let waitingBytes = 0;
  /** File offset of `buffer[0]`. */
  let base = 0;
  /** Bytes the current record needs from `position` on, before anything can be decided. */
  let need = HEADER_BYTES;
  /** Data length of the record whose header was read, or -1 while reading a header. */
  let length = -1;
  const fail = (problem: string): never => {
    throw new TfRecordError(name, base + position, problem);
  };

  const ensure = (): boolean => {
    if (buffer.length - position >= need) return true;
    if (buffer.length - position + waitingBytes < need) return false;
    const joined = new Uint8Array(buffer.length - position + waitingBytes);
    joined.set(buffer.subarray(position), 0);
    let at = buffer.length - position;
    for (const chunk of waiting) {
      joined.set(chunk, at);
      at += chunk.length;
    }
    base += position;
    buffer = joined;
    position = 0;
    waiting.length = 0;
    waitingBytes = 0;
    return true;
  };

  for await (const chunk of chunks) {
    if (chunk.length === 0) continue;
    if (buffer.length - position === 0 && waitingBytes === 0) {
      base += buffer.length;
      buffer = chunk;
      position = 0;
    } else {
      waiting.push(chunk);
      waitingBytes += chunk.length;
    }
    while (ensure()) {
      if (length < 0) {
        const view = Buffer.from(buffer.buffer, buffer.byteOffset + position, HEADER_BYTES);
        const low = view.readUInt32LE(0);
        const high = view.readUInt32LE(4);
        if (view.readUInt32LE(8) !== maskedCrc32c(view.subarray(0, 8))) {
          fail(`length CRC mismatch (length bytes ${view.subarray(0, 8).toString("hex")}): the length header is corrupted`);
        }
        if (high !== 0 || low > maxRecordBytes) {
          fail(`record length ${high * 2 ** 32 + low} exceeds the ${maxRecordBytes}-byte limit for one record`);
        }
        length = low;
        need = HEADER_BYTES + length + FOOTER_BYTES;
        continue;
      }
      const data = buffer.subarray(position + HEADER_BYTES, position + HEADER_BYTES + length);
      const stored = Buffer.from(buffer.buffer, buffer.byteOffset + position + HEADER_BYTES + length, FOOTER_BYTES).readUInt32LE(0);
      if (stored !== maskedCrc32c(data)) fail(`data CRC mismatch over its ${length} data bytes: the record is corrupted`);
      const offset = base + position;
      position += need;
      length = -1;
      need = HEADER_BYTES;
      yield { offset, data };
    }
  }

  const left = buffer.length - position + waitingBytes;
  if (left === 0) return;
  if (length < 0) fail(`truncated length header: the file ends ${left} byte(s) into the ${HEADER_BYTES}-byte header`);
  fail(`truncated data: the header announces ${length} data bytes + ${FOOTER_BYTES} CRC bytes, but the file ends ${left - HEADER_BYTES} byte(s) after the header`);
}
