/**
 * Configurations: the unit the study compares. A configuration is a method with every option
 * (and the budget and objective it ran with); its runs, one per seed, are the replicates every
 * estimate is computed over. Runs with the same method and options but another budget or
 * objective are a different configuration: their numbers do not pool.
 */
import { POOL_NAMES } from "../pools/registry.js";
import type { RunRecord } from "../search/record.js";
import { formatCount } from "./format.js";
import { canonicalJson } from "../util/json.js";
import { currentOptions } from "../search/methods.js";

type RunIdentity = Pick<RunRecord, "method" | "options" | "budget" | "objective">;

/**
 * The identity of a configuration, shared by its runs and by the study jobs that produce them.
 * The full pool scores the whole space and has no S (records written before that was settled carry
 * the space size or the default there), so S is not part of its identity; options added since a
 * record was written take their defaults (`currentOptions`). The space is not either:
 * a study's runs are all of one problem (the report refuses a mixture).
 */
export function configurationKey(run: RunIdentity): string {
  const current = currentOptions(run.method, run.options);
  const { poolSize: _ignored, ...withoutSize } = current;
  const options = current.pool === "full" ? withoutSize : current;
  return canonicalJson({ method: run.method, options, budget: run.budget, objective: run.objective });
}

export interface Configuration {
  readonly key: string;
  /** A human label, unique within the study, e.g. "predictor mlp-ensemble / pool mutation S=1,000". */
  readonly label: string;
  readonly method: string;
  /** For the predictor-based loop: the predictor, the candidate pool and its size S. */
  readonly predictor?: string;
  readonly pool?: string;
  readonly poolSize?: number;
  readonly budget: number;
  readonly objective: string;
  /** The replicates, by seed. */
  readonly runs: readonly RunRecord[];
}

const BASELINE_LABELS: Readonly<Record<string, string>> = {
  random: "random search",
  evolution: "regularized evolution",
  local: "local search",
  bananas: "BANANAS",
};

/** Order of methods and pools in tables and legends: baselines, then the ceiling, then the pools. */
const METHOD_ORDER = ["random", "evolution", "local", "bananas", "predictor"];

function stringOption(options: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = options[name];
  return typeof value === "string" ? value : undefined;
}

function numberOption(options: Readonly<Record<string, unknown>>, name: string): number | undefined {
  const value = options[name];
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** The predictor-based loop's defining options, read defensively (records may carry more). */
function poolSettings(run: Pick<RunRecord, "method" | "options">): Pick<Configuration, "predictor" | "pool" | "poolSize"> {
  if (run.method !== "predictor") return {};
  return { predictor: stringOption(run.options, "predictor"), pool: stringOption(run.options, "pool"), poolSize: numberOption(run.options, "poolSize") };
}

/** The label of a method and its defining options, e.g. "predictor gcn / pool random S=100" or "local search". */
export function baseLabel(run: Pick<RunRecord, "method" | "options">): string {
  if (run.method !== "predictor") return BASELINE_LABELS[run.method] ?? run.method;
  const { predictor, pool, poolSize } = poolSettings(run);
  const size = pool === "full" || poolSize === undefined ? "" : ` S=${formatCount(poolSize)}`;
  return `predictor ${predictor ?? "?"} / pool ${pool ?? "?"}${size}`;
}

/** Options as dotted paths to leaf values: {poolOptions: {parents: 5}} gives "poolOptions.parents" = 5. */
function flatten(value: unknown, prefix = ""): Map<string, string> {
  const leaves = new Map<string, string>();
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) for (const [path, leaf] of flatten(inner, prefix === "" ? key : `${prefix}.${key}`)) leaves.set(path, leaf);
  } else {
    leaves.set(prefix, JSON.stringify(value));
  }
  return leaves;
}

/**
 * Labels configurations that share a base label apart: each gets the settings (options, budget,
 * objective) on which the configurations sharing its base label differ.
 */
function distinguish(shared: readonly (RunIdentity & { base: string })[]): string[] {
  if (shared.length === 1) return [shared[0]!.base];
  const settings = shared.map((c) => flatten({ ...c.options, budget: c.budget, objective: c.objective }));
  const paths = [...new Set(settings.flatMap((s) => [...s.keys()]))].sort();
  const differing = paths.filter((path) => new Set(settings.map((s) => s.get(path))).size > 1);
  return shared.map((c, i) => `${c.base} (${differing.map((path) => `${path}=${settings[i]!.get(path) ?? "unset"}`).join(", ")})`);
}

/** The position of `item` in `list`; unknown (or absent) items after every known one. */
function rank(list: readonly string[], item: string | undefined): number {
  const index = item === undefined ? -1 : list.indexOf(item);
  return index < 0 ? list.length : index;
}

/** A pool's place in tables and legends: registry order (the ceiling, random, then the smart pools), unknown pools last. */
export function poolRank(pool: string | undefined): number {
  return rank(POOL_NAMES, pool);
}

/** The sort key of a configuration: method, predictor, pool (see poolRank), S, budget. */
function sortKey(c: Configuration): (number | string)[] {
  return [rank(METHOD_ORDER, c.method), c.predictor ?? "", poolRank(c.pool), c.pool ?? "", c.poolSize ?? 0, c.budget, c.label];
}

function compareConfigurations(a: Configuration, b: Configuration): number {
  const [x, y] = [sortKey(a), sortKey(b)];
  for (let i = 0; i < x.length; i++) {
    if (x[i]! < y[i]!) return -1;
    if (x[i]! > y[i]!) return 1;
  }
  return 0;
}

/**
 * The runs with each (configuration, seed) once: a seed is one replicate, and a run repeated
 * (a journal appended twice, a resumed study that did not recognise a finished run) would
 * count twice in every estimate. The first is kept; `repeated` are the others.
 */
export function dropRepeatedRuns(records: readonly RunRecord[]): { runs: RunRecord[]; repeated: RunRecord[] } {
  const seen = new Set<string>();
  const runs: RunRecord[] = [];
  const repeated: RunRecord[] = [];
  for (const record of records) {
    const key = `${configurationKey(record)}#${record.seed}`;
    if (seen.has(key)) repeated.push(record);
    else {
      seen.add(key);
      runs.push(record);
    }
  }
  return { runs, repeated };
}

/** The configurations of a set of runs, runs sorted by seed, in reading order (baselines, then pools by S). */
export function groupByConfiguration(records: readonly RunRecord[]): Configuration[] {
  const groups = new Map<string, RunRecord[]>();
  for (const record of records) {
    const key = configurationKey(record);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [record]);
    else group.push(record);
  }
  const described = [...groups].map(([key, runs]) => {
    const first = runs[0]!;
    return {
      key,
      method: first.method,
      ...poolSettings(first),
      budget: first.budget,
      objective: first.objective,
      options: first.options,
      base: baseLabel(first),
      runs: [...runs].sort((a, b) => a.seed - b.seed),
    };
  });
  const labels = new Map<string, string>();
  for (const base of new Set(described.map((c) => c.base))) {
    const shared = described.filter((c) => c.base === base);
    distinguish(shared).forEach((label, i) => labels.set(shared[i]!.key, label));
  }
  return described
    .map(({ options: _options, base: _base, ...c }): Configuration => ({ ...c, label: labels.get(c.key)! }))
    .sort(compareConfigurations);
}
