/**
 * The study runner: runs every job of a preset that DIR/runs.jsonl does not already hold, on a
 * pool of worker threads (one per core by default), appending each record as it finishes.
 * Running the same study again resumes it: finished runs are kept, none is repeated. Runs are
 * deterministic for their seed, so a resumed study holds exactly what an uninterrupted one would.
 * A study of a space file evaluates with the user's training instead (evaluationJobs.ts).
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../util/errors.js";
import { ensureWritableDirectory, writeFileAtomic } from "../util/files.js";
import { lockDirectory } from "../util/directoryLock.js";
import { defaultWorkerCount, siblingModule, WorkerPool } from "../util/workerPool.js";
import type { RunRecord } from "../search/record.js";
import { runEvaluationJobs } from "./evaluationJobs.js";
import type { StudyOptions, StudyOutcome } from "./studyOptions.js";
import { Journal, readJournal } from "./journal.js";
import { appendOrPrint } from "../util/jsonl.js";
import { loadProblem } from "../spaces/registry.js";
import { currentOptions } from "../search/methods.js";
import { canonicalJson } from "../util/json.js";
import { expandJobs, jobKey, presetProblem, type StudyJob, type StudyPreset } from "./preset.js";

export interface WorkerJob {
  readonly job: StudyJob;
  readonly data?: string;
}

export const STUDY_FILE = "study.json";
export const RUNS_FILE = "runs.jsonl";

/**
 * Records the preset last run in a directory. Runs of several presets may share a directory (a
 * larger grid resumes into the runs of a smaller one), but not runs of different objectives,
 * whose numbers are not comparable.
 */
function claimDirectory(dir: string, preset: StudyPreset): void {
  const path = join(dir, STUDY_FILE);
  if (existsSync(path)) {
    let previous: { preset?: StudyPreset };
    try {
      previous = JSON.parse(readFileSync(path, "utf8")) as { preset?: StudyPreset };
    } catch (error) {
      throw new InputError(`${path} is damaged (${(error as Error).message}); prednas study writes it: delete it to start the plan afresh (runs.jsonl keeps the finished runs)`);
    }
    if (previous.preset?.objective !== undefined && previous.preset.objective !== preset.objective) {
      throw new InputError(`${dir} holds a study with objective '${previous.preset.objective}', not '${preset.objective}': use another --out directory`);
    }
  }
  writeFileAtomic(path, `${canonicalJson({ preset, updated: new Date().toISOString() })}\n`);
}

/**
 * Runs the study in `dir`, which it holds locked while it runs (a second process on the same
 * directory is refused, naming this one).
 */
export async function runStudy(preset: StudyPreset, dir: string, options: StudyOptions = {}): Promise<StudyOutcome> {
  // The problem is loaded here once, so that a missing table or an objective the data lacks is
  // reported before anything is written or any worker starts (the workers load their own copies).
  // A space file's is checked when the preset is read.
  if (preset.spaceFile === undefined) await loadProblem(presetProblem(preset, options.data), "a study (its targets, E_RS and regret)");
  ensureWritableDirectory(dir, "the study directory");
  mkdirSync(dir, { recursive: true });
  let compromised: Error | undefined;
  const lock = await lockDirectory(dir, { name: "study", holds: "a study", onCompromised: (error) => (compromised ??= error), onWait: options.onWarning });
  try {
    const outcome = await runLocked(preset, dir, options);
    if (compromised !== undefined) throw new InputError(`the lock on ${dir} was lost while the study ran (${compromised.message}); check that no other process uses it`);
    return outcome;
  } finally {
    await lock.release().catch(() => undefined);
  }
}

async function runLocked(preset: StudyPreset, dir: string, options: StudyOptions): Promise<StudyOutcome> {
  claimDirectory(dir, preset);
  if (preset.spaceFile !== undefined) return runEvaluationJobs(preset, dir, expandJobs(preset), options);
  const journalPath = join(dir, RUNS_FILE);
  const contents = readJournal(journalPath);
  for (const { line, reason } of contents.dropped) options.onWarning?.(`${journalPath} line ${line} dropped: ${reason}`);
  const done = new Set(contents.records.map((record) => jobKey({ ...record, options: currentOptions(record.method, record.options) })));
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
  const stop = (error: unknown): void => {
    if (failure !== undefined) return;
    failure = error;
    void pool.close();
  };
  const keep = (record: RunRecord): void => {
    appendOrPrint(journal, record, "the finished run");
    options.onProgress?.(++finished, jobs.length);
  };
  await Promise.allSettled(todo.map((job) => pool.run({ job, data: options.data }).then(keep).catch(stop)));
  journal.close();
  await pool.close();
  if (failure !== undefined) throw failure;
  return { total: jobs.length, resumed, ran: todo.length };
}
