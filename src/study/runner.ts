/**
 * The study runner: runs every job of a preset that DIR/runs.jsonl does not already hold, on a
 * pool of worker threads (one per core by default), appending each record as it finishes.
 * Running the same study again resumes it: finished runs are kept, none is repeated. Runs are
 * deterministic for their seed, so a resumed study holds exactly what an uninterrupted one would.
 */
import { mkdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../util/errors.js";
import { writeFileAtomic } from "../util/files.js";
import { defaultWorkerCount, siblingModule, WorkerPool } from "../util/workerPool.js";
import type { RunRecord } from "../search/record.js";
import { Journal, readJournal } from "./journal.js";
import { canonicalJson, expandJobs, jobKey, type StudyJob, type StudyPreset } from "./preset.js";

export interface WorkerJob {
  readonly job: StudyJob;
  readonly data?: string;
}

export interface StudyOptions {
  readonly workers?: number;
  /** Data location (see benchmark/locate.ts), passed to the workers. */
  readonly data?: string;
  /** Called once at the start with what is already done, then after every finished run. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Called with a message for each journal line dropped on resume. */
  readonly onWarning?: (message: string) => void;
}

export interface StudyOutcome {
  readonly total: number;
  /** Runs found in the journal when the study started. */
  readonly resumed: number;
  /** Runs done by this call. */
  readonly ran: number;
}

export const STUDY_FILE = "study.json";
export const RUNS_FILE = "runs.jsonl";

/**
 * Records the preset last run in a directory. Runs of several presets may share a directory (a
 * larger grid resumes into the runs of a smaller one), but not runs of different objectives,
 * whose numbers are not comparable.
 */
function claimDirectory(dir: string, preset: StudyPreset): void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, STUDY_FILE);
  if (existsSync(path)) {
    const previous = JSON.parse(readFileSync(path, "utf8")) as { preset?: StudyPreset };
    if (previous.preset?.objective !== undefined && previous.preset.objective !== preset.objective) {
      throw new InputError(`${dir} holds a study with objective '${previous.preset.objective}', not '${preset.objective}': use another --out directory`);
    }
  }
  writeFileAtomic(path, `${canonicalJson({ preset, updated: new Date().toISOString() })}\n`);
}

export async function runStudy(preset: StudyPreset, dir: string, options: StudyOptions = {}): Promise<StudyOutcome> {
  claimDirectory(dir, preset);
  const journalPath = join(dir, RUNS_FILE);
  const contents = readJournal(journalPath);
  for (const { line, reason } of contents.dropped) options.onWarning?.(`${journalPath} line ${line} dropped: ${reason}`);
  const done = new Set(contents.records.map(jobKey));
  const jobs = expandJobs(preset);
  const todo = jobs.filter((job) => !done.has(jobKey(job)));
  const resumed = jobs.length - todo.length;
  options.onProgress?.(resumed, jobs.length);
  if (todo.length === 0) return { total: jobs.length, resumed, ran: 0 };

  const journal = new Journal(journalPath, contents);
  const pool = new WorkerPool<WorkerJob, RunRecord>(siblingModule(import.meta.url, "runner.worker"), Math.min(options.workers ?? defaultWorkerCount(), todo.length));
  let finished = resumed;
  let failure: unknown;
  // On the first failure, stop: the pool rejects the runs in progress; finished ones are kept.
  await Promise.allSettled(
    todo.map((job) =>
      pool.run({ job, data: options.data }).then(
        (record) => {
          journal.append(record);
          options.onProgress?.(++finished, jobs.length);
        },
        (error: unknown) => {
          if (failure === undefined) {
            failure = error;
            void pool.close();
          }
        },
      ),
    ),
  );
  journal.close();
  await pool.close();
  if (failure !== undefined) throw failure;
  return { total: jobs.length, resumed, ran: todo.length };
}
