/**
 * The study of a space file of the user's (a preset with `spaceFile` and `evaluate`): its runs
 * are searches evaluated by the user's training, run one after another (each with the preset's
 * evaluations in flight), each in a run directory of its own, DIR/runs/<run>/ (journal, logs,
 * record: evaluation/runDirectory.ts), and each finished run's record appended to
 * DIR/evaluations.jsonl. Running the study again resumes it: finished runs are kept, and the run
 * that was under way resumes from its journal, nothing finished evaluated again. Such a study has
 * no benchmark, so no truths: its report's statistics (targets, SEG) do not apply to it. With a
 * queue (study --queue URL) each run's evaluations go to prednas workers. Each run is run as
 * `prednas search` runs one (search/evaluatedRun.ts).
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { appendOrPrint, JsonLinesAppender, readJsonLines } from "../util/jsonl.js";
import { sourceOf } from "../options/schema.js";
import { spaceFileSearchProblem } from "../spaces/registry.js";
import { runInDirectory } from "../search/evaluatedRun.js";
import { resolveSettings } from "../evaluation/settings.js";
import type { EvaluationRunRecord } from "../search/record.js";
import { jobKey, presetSettings, type StudyJob, type StudyPreset } from "./preset.js";
import type { StudyOptions, StudyOutcome } from "./studyOptions.js";

export const EVALUATIONS_FILE = "evaluations.jsonl";

function isEvaluationRecord(value: unknown): value is EvaluationRunRecord {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "evaluations" && Array.isArray((value as { evaluations?: unknown }).evaluations);
}

export async function runEvaluationJobs(preset: StudyPreset, dir: string, jobs: readonly StudyJob[], options: StudyOptions): Promise<StudyOutcome> {
  const path = join(dir, EVALUATIONS_FILE);
  const contents = readJsonLines(path, isEvaluationRecord, "not a run record of evaluations");
  for (const { line, reason } of contents.dropped) options.onWarning?.(`${path} line ${line} dropped: ${reason}`);
  const done = new Set(contents.values.map((record) => jobKey({ ...record, objective: preset.objective })));
  const todo = jobs.filter((job) => !done.has(jobKey(job)));
  const resumed = jobs.length - todo.length;
  options.onProgress?.(resumed, jobs.length);
  const problem = spaceFileSearchProblem(preset.spaceFile!);
  const settings = resolveSettings({ ...presetSettings(preset), ...(options.queue === undefined ? {} : { queue: options.queue }) }, sourceOf(`preset ${preset.name}`));
  const journal = new JsonLinesAppender<EvaluationRunRecord>(path, contents);
  // This preset's finished runs (the directory may hold a larger grid's): what the exit status reports on.
  const wanted = new Set(jobs.map(jobKey));
  const finished = contents.values.filter((record) => wanted.has(jobKey({ ...record, objective: preset.objective })));
  let ran = 0;
  try {
    for (const job of todo) {
      if (options.stop?.aborted) break;
      const name = `${job.method}-seed${job.seed}-${createHash("sha256").update(jobKey(job)).digest("hex").slice(0, 10)}`;
      const record = await runInDirectory(problem, {
        method: job.method,
        seed: job.seed,
        budget: job.budget,
        options: job.options,
        settings,
        runDir: join(dir, "runs", name),
        onWarning: (message) => options.onWarning?.(message),
        ...(options.stop === undefined ? {} : { stop: options.stop }),
        ...(options.interrupt === undefined ? {} : { interrupt: options.interrupt }),
      });
      // A signal while Redis is down: the study stops as when it interrupts a run (130, 143).
      if (record === undefined || record.interrupted) break;
      appendOrPrint(journal, record, "the finished run's record");
      finished.push(record);
      ran++;
      options.onProgress?.(resumed + ran, jobs.length);
    }
  } finally {
    journal.close();
  }
  const evaluations = { total: finished.reduce((sum, record) => sum + record.evaluations.length, 0), failed: finished.reduce((sum, record) => sum + record.failed, 0) };
  return { total: jobs.length, resumed, ran, evaluations };
}
