/**
 * The command-line side of the space registry: the --space, --dataset and --data options every
 * command takes (and --space-file where a user's space applies), and the flags that give an
 * architecture, each space contributing its own (spaces/types.ts, `ArchitectureInput`). Commands
 * name no space: they ask the registry.
 */
import { resolve } from "node:path";
import type { Command } from "commander";
import { InputError } from "../util/errors.js";
import { DEFAULT_SPACE, SPACES, SPACE_NAMES, spaceDefinition } from "../spaces/registry.js";
import type { ProblemSpec, SpaceDefinition } from "../spaces/types.js";

export interface ProblemFlags {
  readonly space: string;
  readonly dataset?: string;
  readonly data?: string;
  readonly spaceFile?: string;
}

const datasetHelp = Object.values(SPACES)
  .filter((space) => space.datasets !== undefined)
  .map((space) => `${space.name}: ${space.datasets!.join(", ")}`)
  .join("; ");

/** Adds --space (and, with `data`, --dataset and --data; with `spaceFile`, --space-file) to a command. */
export function withProblemOptions(command: Command, options: { data?: boolean; spaceFile?: boolean } = { data: true }): Command {
  command.option("--space <NAME>", `search space: ${SPACE_NAMES.join(", ")} (prednas spaces)`, DEFAULT_SPACE);
  if (options.spaceFile === true) {
    command.option("--space-file <FILE>", 'your own search space, from a JSON file: {"type": "choices", "choices": {...}} or {"type": "cell", "vertices": V, "maxEdges": E, "ops": [...]} (README, "Your own space and training")');
  }
  if (options.data !== false) {
    command
      .option("--dataset <NAME>", `dataset, for a space that has several (${datasetHelp}; default: the first)`)
      .option("--data <PATH>", "a table file or directory to use instead of the built-in data");
  }
  return command;
}

/** The problem the flags name, with the objective given (the space's default when absent). */
export function problemSpec(flags: ProblemFlags, objective?: string): ProblemSpec {
  if (flags.spaceFile !== undefined) {
    const misplaced = [flags.space !== DEFAULT_SPACE && "--space", flags.dataset !== undefined && "--dataset", flags.data !== undefined && "--data", objective !== undefined && "--objective"].filter(Boolean);
    if (misplaced.length > 0) throw new InputError(`${misplaced.join(", ")} name a built-in space's benchmark; --space-file gives a space of your own, which has none: give one or the other`);
    return { space: flags.space, spaceFile: resolve(flags.spaceFile) };
  }
  spaceDefinition(flags.space);
  return {
    space: flags.space,
    ...(flags.dataset === undefined ? {} : { dataset: flags.dataset }),
    ...(flags.data === undefined ? {} : { data: flags.data }),
    ...(objective === undefined ? {} : { objective }),
  };
}

/** Every space's architecture flags, once each (spaces may share a flag). */
export function withArchitectureOptions(command: Command): Command {
  const seen = new Set<string>();
  for (const space of Object.values(SPACES)) {
    for (const { flag, description } of space.input.flags) {
      if (seen.has(flag)) continue;
      seen.add(flag);
      command.option(flag, description);
    }
  }
  return command;
}

/** The camel-case name commander gives a flag's value ("--arch <STRING>" -> "arch"). */
function flagKey(flag: string): string {
  return flag
    .split(" ")[0]!
    .replace(/^--/, "")
    .replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/**
 * The architecture the flags give, in its JSON form, or undefined when none is given; flags of
 * another space are refused, naming the spaces they belong to.
 */
export function architectureFromFlags(definition: SpaceDefinition, flags: Readonly<Record<string, unknown>>): unknown {
  const own = new Set(definition.input.flags.map(({ flag }) => flagKey(flag)));
  for (const space of Object.values(SPACES)) {
    for (const { flag } of space.input.flags) {
      const key = flagKey(flag);
      if (flags[key] !== undefined && !own.has(key)) {
        throw new InputError(`${flag.split(" ")[0]} gives a ${space.title} architecture; the space is ${definition.name} (use --space ${space.name}, or ${definition.input.flags.map((f) => f.flag.split(" ")[0]).join(" and ")})`);
      }
    }
  }
  return definition.input.fromFlags(flags);
}
