/**
 * The limits of a run that depend on its space, one set whoever asks for it: `prednas search`'s
 * flags and a study preset's fields are both checked here, so that a run refused by one is
 * refused by the other with the same rule (the limits of the evaluation settings are in their
 * declaration, evaluation/settings.ts).
 *
 * - The budget: no more than the space can spend. Each architecture is evaluated once, and with
 *   retries at most 1 + retries times, so a budget above size x (1 + retries) attempts could never
 *   be spent (on a benchmark, whose table does not fail, above the size).
 */
import { InputError } from "../util/errors.js";
import type { SearchSpace } from "../spaces/types.js";

/** How many architectures a space holds, when that is known (a listed space, a space file's choices). */
export function spaceSize(space: Pick<SearchSpace<unknown>, "enumeration" | "size">): number | undefined {
  return space.enumeration?.size ?? space.size;
}

/**
 * Refuses a budget the space cannot spend (see the module comment). `what` names the budget in
 * the message ("--budget", "preset.json line 4: budget"); `retries` is 0 for a benchmark's runs.
 */
export function checkBudget(budget: number, space: { readonly name: string; readonly size: number | undefined }, retries: number, what: string): void {
  if (space.size === undefined) return;
  const attempts = space.size * (1 + retries);
  if (budget <= attempts) return;
  const per = retries === 0 ? "" : ` x ${1 + retries} attempts each (1 + ${retries} ${retries === 1 ? "retry" : "retries"}) = ${attempts.toLocaleString("en")} attempts`;
  throw new InputError(`${what} ${budget} exceeds the ${space.size.toLocaleString("en")} architectures of ${space.name}${per}: the run could not spend it; give a budget of at most ${attempts.toLocaleString("en")}`);
}
