/**
 * Lines of any length, in bounded memory: the last line of a file (an evaluation's result, after
 * megabytes of training log), and the lines of a stream (standard input). A line longer than
 * MAX_LINE_BYTES is reported as too long instead of being read: a JSON line that large is a
 * mistake, and reading it whole could exhaust memory or the longest string V8 holds (~512 MiB).
 */
import { closeSync, openSync, readSync, statSync } from "node:fs";

/** The longest line read: 16 MiB (a result with a learning curve of a million points fits). */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

/** "16 MiB": a byte count for messages. */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(bytes % 1024 === 0 ? 0 : 1)} KiB` : `${bytes} bytes`;
}

const CHUNK = 65_536;
const isBlank = (byte: number): boolean => byte === 0x20 || byte === 0x09 || byte === 0x0d || byte === 0x0a;

/**
 * The last non-blank line of a file, trimmed: `{ line }`, `{}` when the file is empty or blank
 * (or missing), or `{ tooLong: true }` when it exceeds `limit` bytes. Reads the file backwards:
 * the line itself and the blank tail after it, whatever the file's size.
 */
export function readLastLine(path: string, limit = MAX_LINE_BYTES): { line?: string; tooLong?: true } {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
  try {
    const buffer = Buffer.alloc(CHUNK);
    /** Calls `visit` on each byte before `from`, backwards, until it returns true; the position of that byte, or -1. */
    const scanBack = (from: number, visit: (byte: number, at: number) => boolean): number => {
      for (let end = from; end > 0; ) {
        const start = Math.max(0, end - CHUNK);
        readSync(fd, buffer, 0, end - start, start);
        for (let i = end - start - 1; i >= 0; i--) if (visit(buffer[i]!, start + i)) return start + i;
        end = start;
      }
      return -1;
    };
    const last = scanBack(statSync(path).size, (byte) => !isBlank(byte));
    if (last < 0) return {};
    const end = last + 1;
    // Stops at the line's newline, or one byte past the limit.
    const start = scanBack(end, (byte, at) => byte === 0x0a || end - at > limit + 1) + 1;
    if (end - start > limit) return { tooLong: true };
    const line = Buffer.alloc(end - start);
    readSync(fd, line, 0, line.length, start);
    return { line: line.toString("utf8").trim() };
  } finally {
    closeSync(fd);
  }
}

/** A line of a stream: its 1-based number and its text, or `tooLong` when it exceeds the limit (its text is skipped). */
export type StreamLine = { readonly number: number; readonly text: string; readonly tooLong?: undefined } | { readonly number: number; readonly tooLong: true; readonly text?: undefined };

/** The lines of a byte stream (LF or CRLF), each at most `limit` bytes kept in memory. */
export async function* streamLines(stream: AsyncIterable<Buffer | string>, limit = MAX_LINE_BYTES): AsyncGenerator<StreamLine> {
  let parts: Buffer[] = [];
  let length = 0;
  let tooLong = false;
  let number = 0;
  const take = (piece: Buffer): void => {
    if (tooLong) return;
    if (length + piece.length > limit) {
      tooLong = true;
      parts = [];
      return;
    }
    parts.push(piece);
    length += piece.length;
  };
  const finish = (): StreamLine => {
    number++;
    const line: StreamLine = tooLong ? { number, tooLong } : { number, text: Buffer.concat(parts, length).toString("utf8").replace(/\r$/, "") };
    parts = [];
    length = 0;
    tooLong = false;
    return line;
  };
  for await (const chunk of stream) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    let start = 0;
    for (let end = bytes.indexOf(0x0a); end >= 0; end = bytes.indexOf(0x0a, start)) {
      take(bytes.subarray(start, end));
      yield finish();
      start = end + 1;
    }
    if (start < bytes.length) take(bytes.subarray(start));
  }
  if (length > 0 || tooLong) yield finish();
}
