/**
 * The evaluation journal of a run directory, DIR/journal.jsonl: one line per finished attempt
 * (its architecture, result or failure, attempt number, start and end times, host and PID),
 * appended and flushed before the search sees the result (util/jsonl.ts), so that a controller
 * killed at any moment loses no finished evaluation. A resumed run reads it back and reuses every
 * attempt in it instead of running it again.
 *
 * A resumed run trusts the journal with its results, so every line is tied to its run: it holds
 * the run's hash (runDirectory.ts: the run's identity and the id its run.json was created with)
 * and a checksum of its content keyed by it. A line of another run (a journal copied from another
 * run directory), a line changed by hand, or one that is not an entry is refused, by file and
 * line; only a torn last line (a kill during the append) is dropped. The checksum catches
 * accidents and edits, not a forger who recomputes it: the journal is the user's own file.
 *
 * Journals of version 1 (before lines were tied to their run) are read in a run directory whose
 * run.json is of that time too, and rewritten in this version (RunDirectory says so).
 */
import { createHash } from "node:crypto";
import { InputError } from "../util/errors.js";
import { canonicalJson } from "../util/json.js";
import { JsonLinesAppender, readJsonLines } from "../util/jsonl.js";
import type { Failure } from "./failures.js";

export const JOURNAL_VERSION = 2;
/** The version whose lines were not tied to their run. */
const UNTIED_VERSION = 1;

export interface JournalEntry {
  readonly v: number;
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

/** A journal line as written: the entry, the hash of the run it belongs to, and its checksum. */
export interface JournalLine extends JournalEntry {
  readonly run: string;
  readonly sum: string;
}

function checksum(line: Omit<JournalLine, "sum">): string {
  return createHash("sha256").update(canonicalJson(line)).digest("hex").slice(0, 16);
}

/** The line that records `entry` in the journal of run `run`. */
export function tieToRun(entry: JournalEntry, run: string): JournalLine {
  const { run: _run, sum: _sum, ...content } = entry as Partial<JournalLine> & JournalEntry;
  const line = { ...content, v: JOURNAL_VERSION, run };
  return { ...line, sum: checksum(line) };
}

function isEntry(value: unknown): value is JournalEntry {
  if (typeof value !== "object" || value === null) return false;
  const entry = value as Record<string, unknown>;
  const result = entry.result as { value?: unknown } | undefined;
  return (
    (entry.v === JOURNAL_VERSION || entry.v === UNTIED_VERSION) &&
    Number.isInteger(entry.n) &&
    typeof entry.key === "string" &&
    Number.isInteger(entry.attempt) &&
    typeof entry.final === "boolean" &&
    (result === undefined ? typeof entry.failure === "object" && entry.failure !== null : typeof result === "object" && result !== null && typeof result.value === "number")
  );
}

export interface EvaluationJournalContents {
  /** The entries, every one tied to the run. */
  readonly values: JournalLine[];
  readonly validBytes: number;
  /** The line number of a torn last line that was dropped. */
  readonly tornLine?: number;
  /** Lines of version 1 that were tied to the run on reading (the file is to be rewritten). */
  readonly upgraded: number;
}

const REMEDY = "prednas reuses no evaluation it cannot tie to this run: delete that line (its evaluation then runs again), or give another --run-dir for a new run";

/**
 * Reads the journal of run `run` (its hash). `untied` accepts version-1 lines (a run directory of
 * that time) and ties them to the run. InputError, naming the file and line, for a line that
 * does not belong.
 */
export function readEvaluationJournal(path: string, run: string, untied: boolean): EvaluationJournalContents {
  const contents = readJsonLines(path, isEntry, "not an evaluation journal entry");
  const torn = contents.dropped.find((d) => d.reason.startsWith("torn last line"));
  const refused = contents.dropped.find((d) => d !== torn);
  if (refused !== undefined) throw new InputError(`${path} line ${refused.line}: ${refused.reason}. ${REMEDY}`);
  let upgraded = 0;
  const values = contents.values.map((entry, i) => {
    const where = `${path} line ${contents.lines[i]}`;
    if (entry.v === UNTIED_VERSION) {
      if (!untied) throw new InputError(`${where} is of journal version 1, which this run directory (its run.json) is newer than: the line was not written by this run. ${REMEDY}`);
      upgraded++;
      return tieToRun(entry, run);
    }
    const line = entry as Partial<JournalLine> & JournalEntry;
    if (line.run !== run) {
      throw new InputError(
        `${where} belongs to another run (run ${String(line.run)}; this directory's run is ${run}): a journal copied from another run directory, or a run.json replaced. ${REMEDY}`,
      );
    }
    const { sum, ...content } = line;
    if (typeof sum !== "string" || sum !== checksum(content as Omit<JournalLine, "sum">)) {
      throw new InputError(`${where} was changed after prednas wrote it (its checksum does not match its content). ${REMEDY}`);
    }
    return line as JournalLine;
  });
  return { values, validBytes: contents.validBytes, ...(torn === undefined ? {} : { tornLine: torn.line }), upgraded };
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

export class EvaluationJournal extends JsonLinesAppender<JournalLine> {}
