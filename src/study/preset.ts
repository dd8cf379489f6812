/**
 * Study presets: the grid of a study (configurations x seeds) as plain data, built in (`quick`,
 * `paper`, ...) or read from a JSON file of the same shape. A preset names its space (and
 * dataset); a configuration is a search method with its options; every configuration runs with
 * seeds 0..R-1, so that for one seed all methods start from the same initial architectures.
 *
 * The preset's fields are declared once (options/schema.ts), and each configuration's options
 * are resolved by its method's declaration: an error names the file, the line, the field and what
 * it may be.
 *
 * A preset may instead name a space file of the user's (`spaceFile`, relative to the preset
 * file) with the training command that evaluates it (`evaluate`, and the other evaluation
 * settings as `prednas search` has them, declared once in evaluation/settings.ts, with the
 * same combination rules; the queue is the study's --queue): the study then runs its searches
 * one after the other, each with its evaluations in flight and a run directory of its own
 * (evaluationJobs.ts).
 */
import { dirname, resolve } from "node:path";
import { findNodeAtLocation, type Node } from "jsonc-parser";
import { z } from "zod";
import { integer, name, resolveOptions, sourceOf, within, type OptionSource, type Resolved } from "../options/schema.js";
import { InputError } from "../util/errors.js";
import { canonicalJson } from "../util/json.js";
import { readJsonDocument } from "../util/jsonDocument.js";
import { DEFAULT_SPACE, SPACE_NAMES, spaceDefinition, spaceFileSearchProblem } from "../spaces/registry.js";
import type { ProblemSpec } from "../spaces/types.js";
import { METHODS, resolveMethodOptions, type ResolvedOptions } from "../search/methods.js";
import { checkBudget, spaceSize } from "../search/runLimits.js";
import { checkSettings, GIVEN_SETTINGS, SETTING_DEFAULTS, SETTING_NAMES, type SettingName } from "../evaluation/settings.js";

/** The most runs (seeds) of a configuration: a grid beyond this would never finish, and its list of jobs alone could exhaust memory. */
export const MAX_RUNS = 10_000;

const CONFIGURATION = z.strictObject({
  method: name({ default: "predictor", description: "the search method", known: () => METHODS }),
  options: z.record(z.string(), z.unknown()).optional().meta({ description: "the method's options; omitted ones take its defaults", allowed: "an object of options", default: {} }),
  budget: z.number().int().min(1).optional().meta({ description: "this configuration's budget, instead of the preset's", allowed: "an integer >= 1", default: undefined }),
  runs: z.number().int().min(1).max(MAX_RUNS).optional().meta({ description: "this configuration's runs, instead of the preset's", allowed: `an integer from 1 to ${MAX_RUNS}`, default: undefined }),
});

const PRESET = z.strictObject({
  name: z.string().optional().meta({ description: "the study's name", allowed: "a string", default: undefined }),
  description: z.string().default("").meta({ description: "what the study is for", allowed: "a string", default: "" }),
  space: name({ default: DEFAULT_SPACE, description: "the search space", known: () => SPACE_NAMES }),
  dataset: z.string().optional().meta({ description: "the dataset, for a space that has several", allowed: "a dataset of the space", default: undefined }),
  objective: z.string().optional().meta({ description: "what a query observes (the space's default when absent)", allowed: "an objective of the space", default: undefined }),
  budget: integer({ min: 1, default: 300, description: "B: queries per run" }),
  runs: integer({ min: 1, max: MAX_RUNS, default: 100, description: "R: runs (seeds 0..R-1) per configuration" }),
  configurations: z.array(CONFIGURATION).min(1).meta({ description: "the configurations", allowed: 'a non-empty list of {"method": ..., "options": {...}}', default: undefined }),
  spaceFile: z.string().min(1).optional().meta({ description: "a space file of your own, instead of space (relative to the preset file)", allowed: "a file name", default: undefined }),
  // The evaluation settings of a study of a space file, as `prednas search` has them (but the queue: study --queue).
  ...GIVEN_SETTINGS.omit({ queue: true }).shape,
});

/** The evaluation settings a preset may give: only a study of a space file has them. */
const EVALUATION_FIELDS = SETTING_NAMES.filter((setting) => setting !== "queue");

/** The evaluation settings a preset gives (the rest take their defaults). */
export function presetSettings(preset: Partial<Record<SettingName, unknown>>): Partial<Record<SettingName, unknown>> {
  return Object.fromEntries(EVALUATION_FIELDS.filter((setting) => preset[setting] !== undefined).map((setting) => [setting, preset[setting]]));
}

export type ConfigurationSpec = Resolved<typeof CONFIGURATION>;

export interface StudyPreset extends Omit<Resolved<typeof PRESET>, "name" | "objective"> {
  readonly name: string;
  /** What a query observes: the preset's, or its space's default. */
  readonly objective: string;
}

/** One run to do: a configuration with every option resolved, on its problem, with a seed. */
export interface StudyJob {
  readonly method: string;
  readonly options: ResolvedOptions;
  readonly seed: number;
  readonly budget: number;
  readonly space: string;
  readonly dataset?: string;
  readonly objective: string;
}

type RunIdentity = Pick<StudyJob, "method" | "seed" | "budget" | "space" | "dataset" | "objective"> & { readonly options: unknown };

/** The identity of a run, shared by a job and the record it produces (for resuming). */
export function jobKey(run: RunIdentity): string {
  return canonicalJson({ method: run.method, options: run.options, seed: run.seed, budget: run.budget, space: run.space, dataset: run.dataset, objective: run.objective });
}

/** The problem a preset's runs search. */
export function presetProblem(preset: StudyPreset, data?: string): ProblemSpec {
  return { space: preset.space, ...(preset.dataset === undefined ? {} : { dataset: preset.dataset }), objective: preset.objective, ...(data === undefined ? {} : { data }) };
}

/**
 * The jobs of a preset, seed-major (every configuration for seed 0, then seed 1, ...), so that an
 * interrupted study has comparable numbers of runs for every configuration. Options are resolved
 * here (`source` says where they came from), so the keys of jobs and records agree, and
 * budgets are checked against the space as `prednas search` checks them (search/runLimits.ts).
 */
export function expandJobs(preset: StudyPreset, source: OptionSource = sourceOf(`preset ${preset.name}`)): StudyJob[] {
  // A space file's options are checked against its space (no full pool, its encodings).
  const space = preset.spaceFile === undefined ? undefined : spaceFileSearchProblem(preset.spaceFile).space;
  const sized = { name: preset.space, size: space === undefined ? spaceDefinition(preset.space).size : spaceSize(space) };
  // A benchmark's table does not fail: its runs have no retries.
  const retries = space === undefined ? 0 : (preset.retries ?? SETTING_DEFAULTS.retries);
  const configurations = preset.configurations.map((c, i) => {
    const budget = c.budget ?? preset.budget;
    checkBudget(budget, sized, retries, `${source.describe(c.budget === undefined ? ["budget"] : ["configurations", i, "budget"])}: preset: budget`);
    return { method: c.method, options: resolveMethodOptions(c.method, c.options ?? {}, within(source, ["configurations", i, "options"]), space), budget, runs: c.runs ?? preset.runs };
  });
  const problem = { space: preset.space, ...(preset.dataset === undefined ? {} : { dataset: preset.dataset }), objective: preset.objective };
  const jobs: StudyJob[] = [];
  const maxRuns = Math.max(...configurations.map((c) => c.runs));
  for (let seed = 0; seed < maxRuns; seed++) {
    for (const c of configurations) {
      if (seed < c.runs) jobs.push({ method: c.method, options: c.options, seed, budget: c.budget, ...problem });
    }
  }
  return jobs;
}

/** Validates a preset given as parsed JSON; `source` says where it came from (file and line) in messages. */
/** How a preset is read: `byWorkers` when prednas workers evaluate (study --queue), so that it needs no command. */
export interface PresetReading {
  readonly byWorkers?: boolean;
}

export function parsePreset(value: unknown, source: OptionSource | string, reading: PresetReading = {}): StudyPreset {
  const from = typeof source === "string" ? sourceOf(source) : source;
  const given = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  if (typeof given.spaceFile === "string") return parseSpaceFilePreset(given, from, reading);
  const raw = resolveOptions("preset", PRESET, value, from);
  const misplaced = EVALUATION_FIELDS.filter((field) => raw[field] !== undefined);
  if (misplaced.length > 0) throw new InputError(`${from.describe([misplaced[0]!])}: preset: ${misplaced.join(", ")} apply to a study of a space file of your own: give spaceFile`);
  const space = spaceDefinition(raw.space);
  const datasets = space.datasets ?? [];
  if (raw.dataset !== undefined && !datasets.includes(raw.dataset)) {
    throw new InputError(`${from.describe(["dataset"])}: preset: ${space.title} has ${datasets.length === 0 ? "no datasets to choose from" : `the datasets ${datasets.join(", ")}`}, not '${raw.dataset}'`);
  }
  const objective = raw.objective ?? space.objectives[0]!.name;
  if (!space.objectives.some((o) => o.name === objective)) {
    throw new InputError(`${from.describe(["objective"])}: preset: ${space.title} has the objectives ${space.objectives.map((o) => o.name).join(", ")}, not '${objective}'`);
  }
  const preset: StudyPreset = { ...raw, name: raw.name ?? from.describe([]), objective, ...(raw.dataset === undefined && datasets.length > 0 ? { dataset: datasets[0] } : {}) };
  expandJobs(preset, from);
  return preset;
}

/** A preset of a space file: its space is the file's, evaluated by the preset's command. */
function parseSpaceFilePreset(given: Record<string, unknown>, from: OptionSource, reading: PresetReading): StudyPreset {
  const spaceFile = resolve(String(given.spaceFile));
  const space = spaceFileSearchProblem(spaceFile).space;
  // The space is the file's (a recorded preset names it); a benchmark's fields do not apply.
  if (given.space !== undefined && given.space !== space.name) throw new InputError(`${from.describe(["space"])}: preset: give space or spaceFile, not both`);
  // A recorded preset carries objective "value": the evaluation's.
  for (const field of ["dataset", "objective"]) {
    if (given[field] !== undefined && !(field === "objective" && given[field] === "value")) throw new InputError(`${from.describe([field])}: preset: ${field} names a benchmark's; a space file of your own has none (its objective is the evaluation's value)`);
  }
  const raw = resolveOptions("preset", PRESET, { ...given, space: undefined, spaceFile }, from);
  if (!reading.byWorkers && raw.evaluate === undefined) {
    throw new InputError(`${from.describe(["spaceFile"])}: preset: a space file of your own needs the training command that evaluates it: give evaluate (or run the study with --queue URL for prednas workers)`);
  }
  // The same rules as `prednas search`'s flags; the queue is the study's (--queue).
  checkSettings({ ...presetSettings(raw), ...(reading.byWorkers ? { queue: "--queue" } : {}) }, { call: (setting) => (setting === "queue" ? "--queue" : setting), at: (setting) => `${from.describe([setting])}: preset: ` });
  const preset: StudyPreset = { ...raw, space: space.name, name: raw.name ?? from.describe([]), objective: "value" };
  expandJobs(preset, from);
  return preset;
}

/** Where a path of a JSON text is, as "FILE line N". */
function jsonLines(file: string, text: string, tree: Node): OptionSource {
  const lineOf = (offset: number) => text.slice(0, offset).split("\n").length;
  return {
    describe(path) {
      // The deepest node that exists on the path: an unknown key's line is its object's.
      for (let length = path.length; length >= 0; length--) {
        const node = findNodeAtLocation(tree, path.slice(0, length) as (string | number)[]);
        if (node !== undefined) return `${file} line ${lineOf(node.parent?.type === "property" ? node.parent.offset : node.offset)}`;
      }
      return file;
    },
  };
}

export function readPresetFile(path: string, reading: PresetReading = {}): StudyPreset {
  const { text, value: parsed, tree } = readJsonDocument(path, "preset file");
  // A space file is relative to its preset file.
  const spaceFile = (parsed as { spaceFile?: unknown } | null)?.spaceFile;
  if (typeof spaceFile === "string") (parsed as { spaceFile: string }).spaceFile = resolve(dirname(path), spaceFile);
  return parsePreset(parsed, jsonLines(path, text, tree), reading);
}
