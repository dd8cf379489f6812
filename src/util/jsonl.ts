/**
 * Append-only JSON-lines files that survive a kill at any moment (the study's runs.jsonl, a run
 * directory's evaluation journal): each value is appended as one line and flushed to disk before
 * the append returns, so a kill loses nothing appended. A kill during an append leaves a torn
 * last line: reading drops it (and any line the caller does not accept), and opening for append
 * first cuts the file back to its last complete line, so that new lines never follow a fragment.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from "node:fs";
import { fileSystemError } from "./files.js";

export interface JsonLines<T> {
  readonly values: T[];
  /** The 1-based line of each value, for messages about it. */
  readonly lines: number[];
  /** Bytes up to the end of the last complete, valid line. */
  readonly validBytes: number;
  /** Lines that were dropped (torn or not accepted), with their line numbers. */
  readonly dropped: { readonly line: number; readonly reason: string }[];
}

/**
 * Reads a JSON-lines file; `accept` says whether a parsed line is a value of the file (a
 * rejected line is dropped with `what` as the reason: "not a run record").
 */
export function readJsonLines<T>(path: string, accept: (value: unknown) => value is T, what: string): JsonLines<T> {
  if (!existsSync(path)) return { values: [], lines: [], validBytes: 0, dropped: [] };
  const bytes = readFileSync(path);
  const values: T[] = [];
  const lines: number[] = [];
  const dropped: { line: number; reason: string }[] = [];
  let validBytes = 0;
  let start = 0;
  let line = 0;
  while (start < bytes.length) {
    line++;
    const end = bytes.indexOf(0x0a, start);
    if (end < 0) {
      dropped.push({ line, reason: "torn last line (no newline: the writer was interrupted while writing it)" });
      break;
    }
    const text = bytes.subarray(start, end).toString("utf8");
    start = end + 1;
    try {
      const value: unknown = JSON.parse(text);
      if (!accept(value)) throw new Error(what);
      values.push(value);
      lines.push(line);
      validBytes = start;
    } catch (error) {
      dropped.push({ line, reason: (error as Error).message });
    }
  }
  return { values, lines, validBytes, dropped };
}

export class JsonLinesAppender<T> {
  private readonly fd: number;

  /** Opens `path` for appending, cutting a torn tail (after `contents.validBytes`) first. */
  constructor(
    readonly path: string,
    contents: Pick<JsonLines<T>, "validBytes">,
  ) {
    if (existsSync(path)) truncateSync(path, contents.validBytes);
    this.fd = openSync(path, "a");
  }

  /** Appends one value as one line and flushes it to disk before returning. */
  append(value: T): void {
    const line = Buffer.from(`${JSON.stringify(value)}\n`);
    let offset = 0;
    while (offset < line.length) offset += writeSync(this.fd, line, offset);
    fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/**
 * Appends `value` (`what` it is, for the message: "the finished run"); when the file system
 * refuses (a full disk), prints it to standard output instead, so that nothing finished is lost,
 * and throws an InputError naming the file.
 */
export function appendOrPrint<T>(appender: JsonLinesAppender<T>, value: T, what: string): void {
  try {
    appender.append(value);
  } catch (error) {
    process.stdout.write(`${JSON.stringify(value)}\n`);
    throw fileSystemError(error, `cannot append to ${appender.path} (${what} was printed to standard output)`);
  }
}
