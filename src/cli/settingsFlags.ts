/**
 * The evaluation settings as command-line flags: one flag per setting of
 * evaluation/settings.ts, its help and default from the declaration, its value converted
 * (a number, a list for a repeatable flag) and checked by the setting's own schema as commander
 * reads it. Commander gets no defaults: what the user did not give stays undefined, so that the
 * combination rules see what was given, and the settings' resolution fills in the rest.
 */
import { InvalidArgumentError, Option, type Command } from "commander";
import { z } from "zod";
import { EVALUATION_SETTINGS, GIVEN_SETTINGS, SETTING_NAMES, settingMeta, type SettingName } from "../evaluation/settings.js";

/** The kind of value a setting holds, through its default and optional wrappers. */
function kindOf(schema: z.ZodType): string {
  let inner = schema as unknown as { _zod: { def: { type: string; innerType?: unknown } } };
  while (inner._zod.def.innerType !== undefined) inner = inner._zod.def.innerType as typeof inner;
  return inner._zod.def.type;
}

/** The commander parser of a setting: text to its kind, checked by its schema. */
function parserOf(setting: SettingName): (text: string, previous: unknown) => unknown {
  const field = GIVEN_SETTINGS.shape[setting] as z.ZodType;
  const kind = kindOf(field);
  return (text, previous) => {
    const value = kind === "number" ? (text.trim() === "" ? Number.NaN : Number(text)) : text;
    const given = kind === "array" ? [...((previous as unknown[] | undefined) ?? []), value] : value;
    if (!field.safeParse(given).success) throw new InvalidArgumentError(`expected ${settingMeta(setting).allowed}, got '${text}'`);
    return given;
  };
}

/** Adds one flag per evaluation setting to `command` (all of them, or `only` those). */
export function addSettingsFlags(command: Command, only: readonly SettingName[] = SETTING_NAMES): Command {
  for (const setting of only) {
    const meta = settingMeta(setting);
    const defaultText = meta.default === undefined || meta.default === false ? "" : ` (default ${String(meta.default)})`;
    const description = `${meta.needsEvaluator ? "with --evaluate: " : ""}${meta.description}${defaultText}`;
    if (kindOf(EVALUATION_SETTINGS.shape[setting]) === "boolean") command.option(meta.flag, description);
    else command.option(meta.flag, description, parserOf(setting));
  }
  return command;
}

/** The flag of a setting, for messages: "--retries". */
export function flagOf(setting: SettingName): string {
  return settingMeta(setting).flag.split(" ")[0]!;
}

/** The settings given as flags (commander's values, by its name of each flag: --evaluation-env is evaluationEnv), by the settings' names. */
export function givenSettings(flags: Readonly<Record<string, unknown>>): Partial<Record<SettingName, unknown>> {
  const valueOf = (setting: SettingName) => flags[new Option(settingMeta(setting).flag).attributeName()];
  return Object.fromEntries(SETTING_NAMES.filter((setting) => valueOf(setting) !== undefined).map((setting) => [setting, valueOf(setting)]));
}
