/**
 * Study presets: the grid of a study (configurations x seeds) as plain data, built in (`quick`,
 * `paper`) or read from a JSON file of the same shape. A configuration is a search method with
 * its options; every configuration runs with seeds 0..R-1, so that for one seed all methods start
 * from the same initial architectures.
 */
import { readFileSync } from "node:fs";
import { InputError } from "../util/errors.js";
import { OBJECTIVES, type Objective } from "../spaces/nasbench101/table/metrics.js";
import { METHODS, resolveOptions, type Method } from "../search/methods.js";

export interface ConfigurationSpec {
  readonly method: Method;
  readonly options?: Readonly<Record<string, unknown>>;
  /** Overrides the preset's budget / number of runs for this configuration. */
  readonly budget?: number;
  readonly runs?: number;
}

export interface StudyPreset {
  readonly name: string;
  readonly description: string;
  readonly space: "nasbench101";
  readonly objective: Objective;
  /** B: queries per run. */
  readonly budget: number;
  /** R: runs (seeds 0..R-1) per configuration. */
  readonly runs: number;
  readonly configurations: readonly ConfigurationSpec[];
}

/** One run to do: a configuration with every option resolved, and a seed. */
export interface StudyJob {
  readonly method: Method;
  readonly options: Readonly<Record<string, unknown>>;
  readonly seed: number;
  readonly budget: number;
  readonly objective: Objective;
}

/** JSON with object keys sorted: equal jobs get equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** The identity of a run, shared by a job and the record it produces (for resuming). */
export function jobKey(run: { method: string; options: unknown; seed: number; budget: number; objective: string }): string {
  return canonicalJson({ method: run.method, options: run.options, seed: run.seed, budget: run.budget, objective: run.objective });
}

/**
 * The jobs of a preset, seed-major (every configuration for seed 0, then seed 1, ...), so that an
 * interrupted study has comparable numbers of runs for every configuration. Options are resolved
 * here, as `runSearch` resolves them, so the keys of jobs and records agree.
 */
export function expandJobs(preset: StudyPreset): StudyJob[] {
  const configurations = preset.configurations.map((c) => ({
    method: c.method,
    options: resolveOptions(c.method, c.options),
    budget: c.budget ?? preset.budget,
    runs: c.runs ?? preset.runs,
  }));
  const jobs: StudyJob[] = [];
  const maxRuns = Math.max(...configurations.map((c) => c.runs));
  for (let seed = 0; seed < maxRuns; seed++) {
    for (const c of configurations) {
      if (seed < c.runs) jobs.push({ method: c.method, options: c.options, seed, budget: c.budget, objective: preset.objective });
    }
  }
  return jobs;
}

function positiveInteger(value: unknown, what: string): number {
  if (!Number.isInteger(value) || (value as number) < 1) throw new InputError(`${what} must be a positive integer, got ${JSON.stringify(value)}`);
  return value as number;
}

/** Validates a preset given as parsed JSON (`where` names it in messages). */
export function parsePreset(value: unknown, where: string): StudyPreset {
  if (typeof value !== "object" || value === null) throw new InputError(`${where}: a preset is a JSON object`);
  const raw = value as Record<string, unknown>;
  const known = ["name", "description", "space", "objective", "budget", "runs", "configurations"];
  const extra = Object.keys(raw).filter((key) => !known.includes(key));
  if (extra.length > 0) throw new InputError(`${where}: unknown field(s) ${extra.join(", ")} (fields: ${known.join(", ")})`);
  const objective = (raw.objective ?? "test-mean") as Objective;
  if (!OBJECTIVES.includes(objective)) throw new InputError(`${where}: unknown objective '${String(raw.objective)}' (known: ${OBJECTIVES.join(", ")})`);
  if ((raw.space ?? "nasbench101") !== "nasbench101") throw new InputError(`${where}: unknown space '${String(raw.space)}' (known: nasbench101)`);
  if (!Array.isArray(raw.configurations) || raw.configurations.length === 0) {
    throw new InputError(`${where}: 'configurations' must be a non-empty list of {"method": ..., "options": {...}}`);
  }
  const preset: StudyPreset = {
    name: typeof raw.name === "string" ? raw.name : where,
    description: typeof raw.description === "string" ? raw.description : "",
    space: "nasbench101",
    objective,
    budget: positiveInteger(raw.budget ?? 300, `${where}: budget`),
    runs: positiveInteger(raw.runs ?? 100, `${where}: runs`),
    configurations: raw.configurations.map((c: unknown, i) => {
      const at = `${where}: configuration ${i + 1}`;
      if (typeof c !== "object" || c === null) throw new InputError(`${at} is not an object`);
      const spec = c as Record<string, unknown>;
      const fields = ["method", "options", "budget", "runs"];
      const unknown = Object.keys(spec).filter((key) => !fields.includes(key));
      if (unknown.length > 0) throw new InputError(`${at}: unknown field(s) ${unknown.join(", ")} (fields: ${fields.join(", ")})`);
      if (spec.options !== undefined && (typeof spec.options !== "object" || spec.options === null || Array.isArray(spec.options))) {
        throw new InputError(`${at}: 'options' must be an object of method options`);
      }
      if (!METHODS.includes(spec.method as Method)) throw new InputError(`${at}: unknown method '${String(spec.method)}' (known: ${METHODS.join(", ")})`);
      return {
        method: spec.method as Method,
        options: (spec.options ?? {}) as Record<string, unknown>,
        ...(spec.budget === undefined ? {} : { budget: positiveInteger(spec.budget, `${at}: budget`) }),
        ...(spec.runs === undefined ? {} : { runs: positiveInteger(spec.runs, `${at}: runs`) }),
      };
    }),
  };
  try {
    expandJobs(preset);
  } catch (error) {
    throw new InputError(`${where}: ${(error as Error).message}`);
  }
  return preset;
}

export function readPresetFile(path: string): StudyPreset {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new InputError(`cannot read the preset file ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parsePreset(parsed, path);
}
