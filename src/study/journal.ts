/**
 * The study journal, DIR/runs.jsonl: one finished run record per line, appended and flushed to
 * disk as each run ends, so that a study killed at any moment (even by SIGKILL) loses at most the
 * runs in progress. A kill during an append leaves a torn last line: reading drops it (and any
 * line that is not a run record), and opening for append first cuts the file back to its last
 * complete line, so that new records never follow a fragment.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from "node:fs";
import type { RunRecord } from "../search/record.js";

export interface JournalContents {
  readonly records: RunRecord[];
  /** The 1-based line of each record, for messages about it. */
  readonly lines: number[];
  /** Bytes up to the end of the last complete, valid line. */
  readonly validBytes: number;
  /** Lines that were dropped (torn or not a record), with their line numbers. */
  readonly dropped: { readonly line: number; readonly reason: string }[];
}

function isRunRecord(value: unknown): value is RunRecord {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.method === "string" && typeof record.seed === "number" && Array.isArray(record.queries) && typeof record.options === "object";
}

export function readJournal(path: string): JournalContents {
  if (!existsSync(path)) return { records: [], lines: [], validBytes: 0, dropped: [] };
  const bytes = readFileSync(path);
  const records: RunRecord[] = [];
  const lines: number[] = [];
  const dropped: { line: number; reason: string }[] = [];
  let validBytes = 0;
  let start = 0;
  let line = 0;
  while (start < bytes.length) {
    line++;
    const end = bytes.indexOf(0x0a, start);
    if (end < 0) {
      dropped.push({ line, reason: "torn last line (no newline: the study was interrupted while writing it)" });
      break;
    }
    const text = bytes.subarray(start, end).toString("utf8");
    start = end + 1;
    try {
      const value: unknown = JSON.parse(text);
      if (!isRunRecord(value)) throw new Error("not a run record");
      records.push(value);
      lines.push(line);
      validBytes = start;
    } catch (error) {
      dropped.push({ line, reason: (error as Error).message });
    }
  }
  return { records, lines, validBytes, dropped };
}

export class Journal {
  private readonly fd: number;

  /** Opens DIR/runs.jsonl for appending, cutting a torn tail first. */
  constructor(
    readonly path: string,
    contents: JournalContents = readJournal(path),
  ) {
    if (existsSync(path)) truncateSync(path, contents.validBytes);
    this.fd = openSync(path, "a");
  }

  /** Appends one record as one line and flushes it to disk before returning. */
  append(record: RunRecord): void {
    const line = Buffer.from(`${JSON.stringify(record)}\n`);
    let offset = 0;
    while (offset < line.length) offset += writeSync(this.fd, line, offset);
    fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}
