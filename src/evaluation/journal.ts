/**
 * The evaluation journal of a run directory, DIR/journal.jsonl: one line per finished attempt
 * (its architecture, result or failure, attempt number, start and end times, host and PID),
 * appended and flushed before the search sees the result (util/jsonl.ts), so that a controller
 * killed at any moment loses no finished evaluation. A resumed run reads it back and reuses every
 * attempt in it instead of running it again.
 */
import { JsonLinesAppender, readJsonLines, type JsonLines } from "../util/jsonl.js";
import type { Failure } from "./failures.js";

export const JOURNAL_VERSION = 1;

export interface JournalEntry {
  readonly v: typeof JOURNAL_VERSION;
  /** The evaluation's 1-based position in launch order. */
  readonly n: number;
  readonly key: string;
  /** The architecture's JSON form. */
  readonly arch: unknown;
  readonly attempt: number;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly host: string;
  readonly pid: number;
  /** The value and metrics, for an attempt that succeeded. */
  readonly result?: { readonly value: number; readonly metrics: Readonly<Record<string, unknown>> };
  readonly failure?: Failure;
  /** Whether the attempt concluded its evaluation (false: it was to be retried). */
  readonly final: boolean;
  /** Its log files, relative to the run directory. */
  readonly logs?: readonly string[];
}

function isEntry(value: unknown): value is JournalEntry {
  if (typeof value !== "object" || value === null) return false;
  const entry = value as Record<string, unknown>;
  const result = entry.result as { value?: unknown } | undefined;
  return (
    entry.v === JOURNAL_VERSION &&
    typeof entry.key === "string" &&
    Number.isInteger(entry.attempt) &&
    typeof entry.final === "boolean" &&
    (result === undefined ? typeof entry.failure === "object" && entry.failure !== null : typeof result.value === "number")
  );
}

export function readEvaluationJournal(path: string): JsonLines<JournalEntry> {
  return readJsonLines(path, isEntry, "not an evaluation journal entry");
}

/** The attempts of a journal by architecture key, in attempt order. */
export function attemptsByKey(entries: readonly JournalEntry[]): Map<string, JournalEntry[]> {
  const byKey = new Map<string, JournalEntry[]>();
  for (const entry of entries) {
    const attempts = byKey.get(entry.key) ?? [];
    if (!attempts.some((a) => a.attempt === entry.attempt)) attempts.push(entry);
    byKey.set(entry.key, attempts.sort((a, b) => a.attempt - b.attempt));
  }
  return byKey;
}

export class EvaluationJournal extends JsonLinesAppender<JournalEntry> {}
