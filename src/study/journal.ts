/**
 * The study journal, DIR/runs.jsonl: one finished run record per line, appended and flushed to
 * disk as each run ends (util/jsonl.ts), so that a study killed at any moment (even by SIGKILL)
 * loses at most the runs in progress; a torn last line is dropped on reading and cut before
 * appending.
 */
import { JsonLinesAppender, readJsonLines } from "../util/jsonl.js";
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
  const { values, ...rest } = readJsonLines(path, isRunRecord, "not a run record");
  return { records: values, ...rest };
}

/** DIR/runs.jsonl opened for appending, a torn tail cut first. */
export class Journal extends JsonLinesAppender<RunRecord> {
  constructor(path: string, contents: JournalContents = readJournal(path)) {
    super(path, contents);
  }
}
