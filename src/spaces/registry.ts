/**
 * The search spaces by name. Everything generic (the commands, the study, the search, the pools,
 * the predictors, the worker threads) asks this registry for a space: its description, datasets
 * and objectives, how its architectures are written, and its problem (space and benchmark),
 * loaded from a `ProblemSpec` that crosses threads as plain data. Adding a space is one folder
 * implementing spaces/types.ts plus one line here.
 */
import { InputError } from "../util/errors.js";
import { NASBENCH101 } from "./nasbench101/problem.js";
import { NASBENCH201 } from "./nasbench201/problem.js";
import type { Problem, ProblemSpec, SpaceDefinition } from "./types.js";

export const SPACES: Readonly<Record<string, SpaceDefinition>> = {
  [NASBENCH101.name]: NASBENCH101,
  [NASBENCH201.name]: NASBENCH201,
};

export const SPACE_NAMES = Object.keys(SPACES);

/** The space commands and presets use when none is named. */
export const DEFAULT_SPACE = SPACE_NAMES[0]!;

export function spaceDefinition(name: string): SpaceDefinition {
  const definition = SPACES[name];
  if (definition === undefined) throw new InputError(`unknown search space '${name}' (known: ${SPACE_NAMES.join(", ")})`);
  return definition;
}

/** Loads a problem; the same spec gives the same problem in any thread (cheap once the caches exist). */
export function loadProblem(spec: ProblemSpec): Promise<Problem<unknown>> {
  return spaceDefinition(spec.space).load(spec);
}
