/**
 * The search spaces by name. Everything generic (the commands, the study, the search, the pools,
 * the predictors, the worker threads) asks this registry for a space: its description, datasets
 * and objectives, how its architectures are written, and its problem (space and benchmark),
 * loaded from a `ProblemSpec` that crosses threads as plain data. Adding a space is one folder
 * implementing spaces/types.ts plus one line here. A user's space comes from a space file
 * (`spaceFile` in the spec: custom/file.ts) and is a search problem without a benchmark.
 */
import { InputError } from "../util/errors.js";
import { NASBENCH101 } from "./nasbench101/problem.js";
import { NASBENCH201 } from "./nasbench201/problem.js";
import { ACCEL_NASBENCH } from "./accelnasbench/problem.js";
import { spaceFileProblem } from "./custom/file.js";
import { isTabular, type Problem, type ProblemSpec, type SearchProblem, type SpaceDefinition, type SurrogateProblem } from "./types.js";

export const SPACES: Readonly<Record<string, SpaceDefinition>> = {
  [NASBENCH101.name]: NASBENCH101,
  [NASBENCH201.name]: NASBENCH201,
  [ACCEL_NASBENCH.name]: ACCEL_NASBENCH,
};

export const SPACE_NAMES = Object.keys(SPACES);

/** The space commands and presets use when none is named. */
export const DEFAULT_SPACE = SPACE_NAMES[0]!;

export function spaceDefinition(name: string): SpaceDefinition {
  const definition = SPACES[name];
  if (definition === undefined) throw new InputError(`unknown search space '${name}' (known: ${SPACE_NAMES.join(", ")})`);
  return definition;
}

/**
 * Loads a tabular problem; the same spec gives the same problem in any thread (cheap once the
 * caches exist). A space file has no benchmark, and a space that cannot be listed has no table:
 * `what` names what needed one in the message.
 */
export async function loadProblem(spec: ProblemSpec, what = "this command"): Promise<Problem<unknown>> {
  if (spec.spaceFile !== undefined) {
    throw new InputError(`${what} needs a benchmark's table, and a space file's space has none (it is evaluated by your training: prednas search --space-file FILE --evaluate CMD)`);
  }
  const problem = await loadBenchmarkProblem(spec);
  if (!isTabular(problem)) {
    const definition = spaceDefinition(spec.space);
    throw new InputError(`${what} needs the whole table of the space, and ${definition.title} cannot be listed (${definition.size.toLocaleString("en")} architectures; its benchmark is a set of surrogates, asked one architecture at a time: bench info, bench query, search)`);
  }
  return problem;
}

/** Loads a registered space's problem with its benchmark, tabular or judged by surrogates. */
export function loadBenchmarkProblem(spec: ProblemSpec): Promise<Problem<unknown> | SurrogateProblem<unknown>> {
  return spaceDefinition(spec.space).load(spec);
}

/** The problem of a space file (it needs no table, so this is immediate); InputError for a file that names a built-in space. */
export function spaceFileSearchProblem(file: string): SearchProblem<unknown> {
  const problem = spaceFileProblem(file);
  if (SPACES[problem.space.name] !== undefined) {
    throw new InputError(`${file}: at /name: '${problem.space.name}' is the name of a built-in space; give the space file another "name"`);
  }
  return problem;
}

/** Loads the problem a search runs on: a registered space's, or a space file's. */
export async function loadSearchProblem(spec: ProblemSpec): Promise<SearchProblem<unknown>> {
  return spec.spaceFile === undefined ? loadBenchmarkProblem(spec) : spaceFileSearchProblem(spec.spaceFile);
}
