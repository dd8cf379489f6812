/**
 * What a study set out to run: the preset recorded in DIR/study.json by the runner, expanded to
 * runs per configuration. The report compares it with the runs found, so that a partial study
 * (interrupted, or still running) says which numbers rest on fewer runs than planned.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../util/errors.js";
import { configurationKey } from "../statistics/configurations.js";
import { expandJobs, parsePreset } from "./preset.js";
import { STUDY_FILE } from "./runner.js";

export interface StudyPlan {
  readonly name: string;
  readonly description: string;
  /** When the runner last started the study (ISO date), when recorded. */
  readonly updated?: string;
  /** Planned runs by configuration key, with the method and options of the configuration. */
  readonly runs: ReadonlyMap<string, { readonly method: string; readonly options: Readonly<Record<string, unknown>>; readonly budget: number; readonly count: number }>;
}

/** The plan in DIR/study.json; undefined when there is none (an InputError when it cannot be read). */
export function readStudyPlan(dir: string): StudyPlan | undefined {
  const path = join(dir, STUDY_FILE);
  if (!existsSync(path)) return undefined;
  try {
    const recorded = JSON.parse(readFileSync(path, "utf8")) as { preset?: unknown; updated?: unknown };
    const preset = parsePreset(recorded.preset, path);
    const runs = new Map<string, { method: string; options: Readonly<Record<string, unknown>>; budget: number; count: number }>();
    for (const job of expandJobs(preset)) {
      const key = configurationKey(job);
      const planned = runs.get(key);
      if (planned === undefined) runs.set(key, { method: job.method, options: job.options, budget: job.budget, count: 1 });
      else planned.count++;
    }
    return {
      name: preset.name,
      description: preset.description,
      ...(typeof recorded.updated === "string" ? { updated: recorded.updated } : {}),
      runs,
    };
  } catch (error) {
    throw new InputError(`${path} cannot be read as a study plan: ${(error as Error).message}`);
  }
}
