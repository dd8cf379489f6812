/**
 * A search's run directory (`--run-dir DIR`): everything a run needs to survive its controller.
 *
 *   DIR/run.json        what the run is (method, options, seed, budget, evaluations in flight,
 *                       retries, timeout, evaluator, the space and its file's definition)
 *   DIR/journal.jsonl   one line per finished attempt (journal.ts)
 *   DIR/logs/           each attempt's output (commandBackend.ts)
 *   DIR/running/        the attempts running now, with their process groups
 *   DIR/record.json     the run record, written when the run ends or is interrupted
 *
 * Running the same command with the same directory resumes the run: the journal's attempts are
 * reused, the attempts a dead controller left running are stopped first, and the search replays
 * its decisions to where it was. A different run (another space file, other options) in the same
 * directory is refused with what differs. One controller at a time holds the directory
 * (util/directoryLock.ts).
 *
 * Every journal line is tied to its run (journal.ts) by the run's hash: of its identity and of
 * the random id run.json gets when the run starts, so that the journal of another directory, even
 * of the same command, is refused. A journal without its run.json is refused: nothing says which
 * run it belongs to. A run.json written before run ids (no "id") is identified by its creation
 * time, and its journal's version-1 lines are accepted and rewritten tied to the run.
 *
 * A larger budget continues a run (its first decisions are those of the larger budget; see
 * `claim`), recorded in run.json; a smaller one is refused.
 *
 * A file system that refuses (full, read-only) is an InputError naming the file: at the start, or
 * when an attempt cannot be journaled, in which case the finished attempt is printed to standard
 * output so that it is not lost. Closing never throws (the error that stopped the run is the one
 * to report): a lock that cannot be released is a warning, and expires.
 */
import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { lockDirectory, type DirectoryLock } from "../util/directoryLock.js";
import { InputError } from "../util/errors.js";
import { ensureWritableDirectory, fileSystemError, writeFileAtomic } from "../util/files.js";
import { canonicalJson } from "../util/json.js";
import { appendOrPrint } from "../util/jsonl.js";
import type { SearchProblem } from "../spaces/types.js";
import { stopLeftRunning } from "./commandBackend.js";
import { attemptsByKey, EvaluationJournal, readEvaluationJournal, tieToRun, type JournalEntry } from "./journal.js";

export const RUN_FILE = "run.json";
export const JOURNAL_FILE = "journal.jsonl";
export const RECORD_FILE = "record.json";

/** Every leaf of a JSON value, by its dotted path. */
function leaves(value: unknown, path: string, out: Map<string, string>): Map<string, string> {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) leaves(inner, path === "" ? key : `${path}.${key}`, out);
  } else {
    out.set(path, JSON.stringify(value));
  }
  return out;
}

/** What differs between two identities, in words ("options.poolSize: 1000 before, 100 now"). */
export function differences(before: unknown, now: unknown): string[] {
  const a = leaves(before, "", new Map());
  const b = leaves(now, "", new Map());
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths.filter((path) => a.get(path) !== b.get(path)).map((path) => `${path}: ${a.get(path) ?? "absent"} before, ${b.get(path) ?? "absent"} now`);
}

/** How a run's evaluations are made, as far as it changes the results: the command and what decides failures. */
export interface EvaluatorIdentity {
  readonly command: string;
  readonly minimize: boolean;
  readonly retries: number;
  readonly evaluationTimeout?: number;
}

/**
 * What a run directory checks a resumed run against: everything that changes what the run does
 * (a space file by its definition, not its path: a moved file is the same space).
 */
export function runIdentity(run: {
  readonly method: string;
  readonly options: unknown;
  readonly seed: number;
  readonly budget: number;
  readonly parallel: number;
  readonly problem: SearchProblem<unknown>;
  /** Undefined for a benchmark's table. */
  readonly evaluator?: EvaluatorIdentity;
  /** The architectures enqueued to run first (--enqueue), in order: the identity keeps their keys. */
  readonly enqueue?: readonly unknown[];
}): Record<string, unknown> {
  const spaceFile = (run.problem as { spaceFile?: { fingerprint: string; definition: unknown } }).spaceFile;
  return {
    method: run.method,
    options: run.options,
    seed: run.seed,
    budget: run.budget,
    parallel: run.parallel,
    space: spaceFile === undefined ? run.problem.spec : { name: run.problem.space.name, definition: spaceFile.definition, fingerprint: spaceFile.fingerprint },
    evaluator: run.evaluator === undefined ? "benchmark" : { ...run.evaluator, evaluationTimeout: run.evaluator.evaluationTimeout ?? null },
    // Only when given: the identities of runs without it, and their run directories, stay as they were.
    ...(run.enqueue === undefined ? {} : { enqueued: run.enqueue.map((arch) => run.problem.space.key(arch)) }),
  };
}

export class RunDirectory {
  readonly logDir: string;
  readonly runningDir: string;
  /** The attempts an earlier controller finished, by key. */
  readonly replay: ReadonlyMap<string, readonly JournalEntry[]>;
  /** How many finished attempts the journal held when the run started. */
  readonly resumedAttempts: number;

  private constructor(
    readonly dir: string,
    private readonly lock: DirectoryLock,
    private readonly journal: EvaluationJournal,
    /** The run's hash, in every journal line. */
    private readonly run: string,
    entries: readonly JournalEntry[],
    private readonly onWarning: (message: string) => void,
  ) {
    this.logDir = join(dir, "logs");
    this.runningDir = join(dir, "running");
    this.replay = attemptsByKey(entries);
    this.resumedAttempts = entries.length;
  }

  /**
   * Opens (and locks) `dir` for the run `identity` (plain JSON): creates it, or checks that it holds
   * the same run, stops what a dead controller left running there, and reads its journal.
   * `onWarning` hears what the user should know (attempts stopped, journal lines dropped).
   */
  static async open(dir: string, identity: unknown, options: { readonly graceMs: number; readonly onWarning: (message: string) => void }): Promise<RunDirectory> {
    ensureWritableDirectory(dir, "--run-dir");
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw fileSystemError(error, `cannot create the run directory ${dir}`);
    }
    let compromised: Error | undefined;
    const lock = await lockDirectory(dir, { name: "run", holds: "a search", onCompromised: (error) => (compromised ??= error), onWait: options.onWarning });
    try {
      const run = claim(dir, identity, options.onWarning);
      const left = await stopLeftRunning(join(dir, "running"), options.graceMs);
      for (const what of left.stopped) options.onWarning(`stopped an evaluation the previous controller left running: ${what}`);
      for (const what of left.elsewhere) options.onWarning(`an evaluation the previous controller started is recorded as running on another machine, which prednas cannot stop from here: ${what}`);
      const path = join(dir, JOURNAL_FILE);
      const contents = readEvaluationJournal(path, run.hash, run.untied);
      if (contents.tornLine !== undefined) options.onWarning(`${path} line ${contents.tornLine} dropped: torn last line (no newline: the writer was interrupted while writing it)`);
      let validBytes = contents.validBytes;
      if (contents.upgraded > 0) {
        const text = contents.values.map((line) => `${JSON.stringify(line)}\n`).join("");
        writeFileAtomic(path, text);
        validBytes = Buffer.byteLength(text);
        options.onWarning(`${path}: ${contents.upgraded} line(s) written by an earlier prednas (journal version 1) are now tied to this run (version 2)`);
      }
      if (compromised !== undefined) throw new InputError(`the lock on ${dir} was lost (${compromised.message}); check that no other process uses it`);
      return new RunDirectory(dir, lock, new EvaluationJournal(path, { validBytes }), run.hash, contents.values, options.onWarning);
    } catch (error) {
      await lock.release().catch(() => undefined);
      throw fileSystemError(error, `cannot use the run directory ${dir}`);
    }
  }

  append(entry: JournalEntry): void {
    appendOrPrint(this.journal, tieToRun(entry, this.run), `the attempt that finished, ${entry.key} attempt ${entry.attempt},`);
  }

  writeRecord(record: unknown): void {
    writeFileAtomic(join(this.dir, RECORD_FILE), `${JSON.stringify(record)}\n`);
  }

  /** Closes the journal and releases the lock; never throws (see the module comment). */
  async close(): Promise<void> {
    try {
      this.journal.close();
      await this.lock.release();
    } catch (error) {
      this.onWarning(`closing ${this.dir}: ${(error as Error).message}`);
    }
  }
}

/** A run.json as read: the run's identity as created, its id, and the budgets it was extended to. */
interface RecordedRun {
  run?: unknown;
  id?: unknown;
  created?: unknown;
  extended?: unknown;
}

/** One extension of a run's budget, as run.json records it. */
interface Extension {
  readonly budget: number;
  readonly at: string;
}

function extensionsOf(recorded: RecordedRun, path: string): Extension[] {
  if (recorded.extended === undefined) return [];
  const valid = Array.isArray(recorded.extended) && recorded.extended.every((e: unknown) => Number.isInteger((e as Extension | null)?.budget) && typeof (e as Extension).at === "string");
  if (!valid) throw new InputError(`${path}: "extended" is not a list of {budget, at}; prednas writes it when a run's budget grows: restore the file, or use another --run-dir`);
  return recorded.extended as Extension[];
}

/** The identity with its budget set to `budget` (identities are plain JSON objects). */
function withBudget(identity: unknown, budget: unknown): unknown {
  return typeof identity === "object" && identity !== null ? { ...identity, budget } : identity;
}

/**
 * Records the run in DIR/run.json, or checks that the one recorded there is the same; returns the
 * run's hash (what ties the journal's lines to it) and whether run.json is of the time before
 * run ids (its journal's lines are then of version 1).
 *
 * A run whose budget alone is larger than the recorded one is the same run, grown: a method's
 * first decisions do not depend on its budget (every method launches while budget remains, and
 * takes the best k of a ranking whose order k does not change), so its journal is reused and the
 * run goes on. The extension is recorded in run.json ("extended": each new budget and when),
 * and the hash stays that of the identity the run was created with, so the journal's lines stay
 * tied to it. A smaller budget is refused: the journal may already hold decisions beyond it.
 */
function claim(dir: string, identity: unknown, onWarning: (message: string) => void): { hash: string; untied: boolean } {
  const path = join(dir, RUN_FILE);
  const hash = (id: string, run: unknown) => createHash("sha256").update(`${id}\n${canonicalJson(run)}`).digest("hex").slice(0, 16);
  if (existsSync(path)) {
    let recorded: RecordedRun;
    try {
      recorded = JSON.parse(readFileSync(path, "utf8")) as RecordedRun;
    } catch (error) {
      throw new InputError(`${path} is damaged (${(error as Error).message}); prednas writes it when a run starts: use another --run-dir, or delete it if this directory's journal belongs to the run you give`);
    }
    const extended = extensionsOf(recorded, path);
    const created = (recorded.run as { budget?: unknown } | undefined)?.budget;
    const budget = extended.at(-1)?.budget ?? created;
    const asked = (identity as { budget?: unknown }).budget;
    if (canonicalJson(withBudget(recorded.run, budget)) === canonicalJson(identity)) {
      return typeof recorded.id === "string" ? { hash: hash(recorded.id, recorded.run), untied: false } : { hash: hash(`created ${String(recorded.created)}`, recorded.run), untied: true };
    }
    if (canonicalJson(withBudget(recorded.run, asked)) === canonicalJson(identity) && typeof budget === "number" && typeof asked === "number") {
      const history = [created, ...extended.map((e) => e.budget)].join(", then ");
      if (asked < budget) {
        throw new InputError(
          `${dir} holds this run with a budget of ${budget} (${history}); a run's budget can grow but not shrink, for its journal may hold evaluations beyond ${asked}. ` +
            `Give --budget ${budget} or more to resume it, or another --run-dir for a run of ${asked}.`,
        );
      }
      writeFileAtomic(path, `${JSON.stringify({ ...recorded, extended: [...extended, { budget: asked, at: new Date().toISOString() }] }, null, 2)}\n`);
      onWarning(`${dir}: the run's budget grows from ${budget} to ${asked}: its journaled evaluations are reused and the search goes on (recorded in ${RUN_FILE})`);
      return claim(dir, identity, onWarning);
    }
    const changed = differences(withBudget(recorded.run, budget), identity);
    throw new InputError(
      `${dir} holds another run (${changed.length} difference${changed.length === 1 ? "" : "s"}: ${changed.join("; ")}): its journal cannot be reused for this one. ` +
        "Give the same space file and options to resume it, or another --run-dir for a new run.",
    );
  }
  const journal = join(dir, JOURNAL_FILE);
  if (existsSync(journal) && statSync(journal).size > 0) {
    throw new InputError(
      `${dir} holds a journal (${JOURNAL_FILE}) but no ${RUN_FILE}, so nothing says which run the journal belongs to: prednas will neither reuse it nor append to it. ` +
        `Put back the ${RUN_FILE} of its run to resume that run, or give another --run-dir (or move ${JOURNAL_FILE} away) for a new run.`,
    );
  }
  const id = randomUUID();
  writeFileAtomic(path, `${JSON.stringify({ run: identity, id, created: new Date().toISOString() }, null, 2)}\n`);
  return { hash: hash(id, identity), untied: false };
}
