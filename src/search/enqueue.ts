/**
 * `--enqueue FILE`: architectures a user knows and wants evaluated first (as Optuna's
 * enqueue_trial), one JSON value a line in the space's input forms (what `prednas sample` and a
 * record's `arch` print), each read by the problem's own `parse`. Blank lines are skipped.
 */
import { readFileSync } from "node:fs";
import { InputError } from "../util/errors.js";
import { fileSystemError } from "../util/files.js";
import type { SearchProblem } from "../spaces/types.js";

/** The architectures of `path`, in order; an InputError naming the file and line for one that is not. */
export function readEnqueued<A>(path: string, problem: SearchProblem<A>): A[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw fileSystemError(error, `cannot read --enqueue ${path}`);
  }
  const archs: A[] = [];
  const keys = new Set<string>();
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    const where = `--enqueue ${path} line ${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new InputError(`${where} is not JSON (${(error as Error).message}): give one architecture a line, as 'prednas sample' prints them`);
    }
    let arch: A;
    try {
      arch = problem.parse(value);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      throw new InputError(`${where}: ${error.message}`);
    }
    const key = problem.space.key(arch);
    if (keys.has(key)) throw new InputError(`${where}: the same architecture as an earlier line; each is evaluated once`);
    keys.add(key);
    archs.push(arch);
  });
  return archs;
}
