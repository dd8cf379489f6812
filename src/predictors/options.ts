/**
 * Validation of predictor options at the edge: each predictor declares a rule per option and
 * `resolveOptions` fills in the defaults and rejects a bad value with a message naming the
 * predictor, the option and the accepted range (unknown option names are rejected by the registry).
 */
import { InputError } from "../util/errors.js";

export type OptionRule =
  | { readonly integer: true; readonly min: number; readonly max?: number }
  | { readonly integer?: false; readonly min: number; readonly max?: number; readonly minExclusive?: boolean }
  | { readonly oneOf: readonly string[] };

export function resolveOptions<O extends object>(
  predictor: string,
  defaults: Required<O>,
  given: Partial<O>,
  rules: { readonly [K in keyof O]-?: OptionRule },
): Required<O> {
  const resolved = { ...defaults, ...given };
  for (const key of Object.keys(rules) as (keyof O & string)[]) {
    const problem = violation(resolved[key], rules[key]);
    if (problem !== undefined) throw new InputError(`predictor '${predictor}': option ${key} ${problem}, got ${JSON.stringify(resolved[key])}`);
  }
  return resolved;
}

function violation(value: unknown, rule: OptionRule): string | undefined {
  if ("oneOf" in rule) return rule.oneOf.includes(value as string) ? undefined : `must be one of ${rule.oneOf.join(", ")}`;
  const range = `${rule.integer ? "an integer" : "a number"} ${"minExclusive" in rule && rule.minExclusive ? ">" : ">="} ${rule.min}${rule.max === undefined ? "" : ` and <= ${rule.max}`}`;
  if (typeof value !== "number" || !Number.isFinite(value) || (rule.integer && !Number.isInteger(value))) return `must be ${range}`;
  const tooLow = "minExclusive" in rule && rule.minExclusive ? value <= rule.min : value < rule.min;
  return tooLow || (rule.max !== undefined && value > rule.max) ? `must be ${range}` : undefined;
}
