/**
 * The study's answer to "what did the searches find?": the best architectures the runs returned,
 * with where they stand in the whole space and which configuration and run returned them. A run
 * returns the architecture it observed as best within its budget (a search cannot see the truth);
 * the returned architectures are ranked by their truth, as every other figure of the report is.
 */
import type { StudyAnalysis } from "../statistics/analysis.js";
import { bestQuery } from "../search/record.js";

export interface RunFinding {
  readonly configuration: string;
  readonly seed: number;
  /** The query at which the run first evaluated the architecture it returns. */
  readonly query: number;
}

export interface FoundArchitecture {
  readonly key: string;
  readonly truth: number;
  /** Its test accuracy, when the truth is something else (NAS-Bench-201: validation). */
  readonly test?: number;
  /** 1 + how many architectures of the space have a higher truth: 1 is the global optimum. */
  readonly rankInSpace: number;
  /** How many runs returned it, and of how many configurations. */
  readonly runs: number;
  readonly configurations: number;
  /** The run that reached it in the fewest queries (the first configuration and seed on ties). */
  readonly first: RunFinding;
}

/** The `count` best distinct architectures returned by the study's runs, best first (ties: more runs first). */
export function bestArchitectures(analysis: StudyAnalysis, truths: ArrayLike<number>, count = 3): FoundArchitecture[] {
  const found = new Map<string, { truth: number; test?: number; runs: number; configurations: Set<string>; first: RunFinding }>();
  for (const { configuration } of analysis.configurations) {
    for (const run of configuration.runs) {
      const returned = bestQuery(run);
      if (returned === undefined) continue;
      const finding = { configuration: configuration.label, seed: run.seed, query: returned.n };
      const known = found.get(returned.key);
      if (known === undefined) {
        found.set(returned.key, { truth: returned.truth, ...(returned.test === undefined ? {} : { test: returned.test }), runs: 1, configurations: new Set([configuration.label]), first: finding });
        continue;
      }
      known.runs++;
      known.configurations.add(configuration.label);
      if (finding.query < known.first.query) known.first = finding;
    }
  }
  const best = [...found].sort(([, a], [, b]) => b.truth - a.truth || b.runs - a.runs).slice(0, count);
  return best.map(([key, f]) => {
    let higher = 0;
    for (let i = 0; i < truths.length; i++) if (truths[i]! > f.truth) higher++;
    return { key, truth: f.truth, ...(f.test === undefined ? {} : { test: f.test }), rankInSpace: higher + 1, runs: f.runs, configurations: f.configurations.size, first: f.first };
  });
}

/** Lists of words longer than this go one item a line, so that descriptions stay narrow enough to sit side by side. */
const LINE_WIDTH = 40;

/**
 * An architecture's description (the space's `describe`, a JSON value) as aligned lines a person
 * reads: one field a line, lists joined (a long list of words one item a line), a list of lists
 * (an adjacency matrix) one row a line.
 */
export function readableDescription(description: unknown): string {
  if (description === null || typeof description !== "object" || Array.isArray(description)) return plainValue(description).join("\n");
  const fields = Object.entries(description as Record<string, unknown>);
  const width = Math.max(...fields.map(([name]) => name.length));
  return fields
    .flatMap(([name, value]) => plainValue(value).map((line, i) => `${(i === 0 ? name : "").padEnd(width)}  ${line}`))
    .join("\n");
}

function plainValue(value: unknown): string[] {
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every(Array.isArray)) return value.map((row: unknown[]) => row.map(scalar).join(" "));
    if (value.every((v) => typeof v === "number")) return [value.join(" ")];
    const joined = value.map(scalar).join(", ");
    return joined.length > LINE_WIDTH ? value.map(scalar) : [joined];
  }
  return [scalar(value)];
}

function scalar(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}
