/**
 * The evaluation settings of a search evaluated by the user's training, declared once: what
 * evaluates (a command, or prednas workers through a queue), which way is better, retries, the
 * timeout and kill grace of an attempt, the attempts in flight. From this one declaration come
 * `prednas search`'s flags (cli/settingsFlags.ts), a study preset's fields (study/preset.ts), the
 * rules of which settings go together (checkSettings, for both), what belongs to a run's identity
 * (evaluatorIdentity: a setting that changes the results) and the library's types.
 *
 * Each setting's metadata says, besides its help and default:
 * - `flag`: its command-line flag (and argument);
 * - `needsEvaluator`: it means something only when the user's training evaluates (not on a
 *   benchmark's table);
 * - `onWorker`: with a queue, the workers apply it, each with its own value (`prednas worker`),
 *   so the controller refuses it;
 * - `identity`: it changes what a run does, so a run directory checks a resumed run against it;
 * - `attempt`: it travels with each attempt (the job a queue's worker receives), so that the
 *   attempt runs with it wherever it runs.
 *
 * Settings are given partially (flags, a preset's fields: GIVEN_SETTINGS, nothing filled in, so
 * that the rules see what the user wrote) and resolved once (EVALUATION_SETTINGS, every default
 * filled in) for the run.
 */
import { z } from "zod";
import { flag, number, resolveOptions, type OptionMeta, type OptionSource, type Resolved } from "../options/schema.js";
import { InputError } from "../util/errors.js";
import { PASSWORD_VARIABLE, SECRET_VARIABLES } from "../util/secretVariables.js";

/**
 * The limits of the settings:
 * - evaluations in flight: at most MAX_PARALLEL (each is a process with its files; beyond that a
 *   machine runs out of processes or descriptors before it runs out of work);
 * - retries of a transient failure: at most MAX_RETRIES;
 * - an evaluation timeout: at least MIN_EVALUATION_TIMEOUT_SECONDS, and as long as wanted (timers
 *   of any length: util/timers.ts).
 */
export const MAX_PARALLEL = 1024;
export const MAX_RETRIES = 100;
export const MIN_EVALUATION_TIMEOUT_SECONDS = 0.001;
/** Between SIGTERM and SIGKILL when an evaluation is stopped (`prednas worker` has the same default). */
export const DEFAULT_KILL_GRACE_SECONDS = 5;

/** What a setting says of itself besides its help (see the module comment). */
export interface SettingMeta extends OptionMeta {
  readonly flag: string;
  readonly needsEvaluator: boolean;
  readonly onWorker: boolean;
  readonly identity: boolean;
  /** It travels with each attempt (in a queue's job, to the worker that runs it): see ATTEMPT_SETTINGS. */
  readonly attempt?: boolean;
}

/** A count within bounds, said as the flags have always said it ("an integer from 1 to 1024"). */
const count = (o: { readonly min: number; readonly max: number; readonly default: number; readonly description: string }) =>
  z.number().int().min(o.min).max(o.max).default(o.default).meta({ description: o.description, allowed: `an integer from ${o.min} to ${o.max}`, default: o.default });

const optionalText = (description: string, allowed: string) => z.string().min(1).optional().meta({ description, allowed, default: undefined });

/** The evaluator of a run through a queue, in its identity: the workers' commands are theirs, not the run's. */
export const QUEUE_EVALUATOR = "prednas workers through a queue";

/** An entry of --evaluation-env: a variable's name, '=', its value; never one of prednas's secrets. */
const ENVIRONMENT_ENTRY = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*=[^\0]*$/)
  .refine((entry) => !SECRET_VARIABLES.includes(entry.slice(0, entry.indexOf("="))))
  .meta({ description: "a variable of the evaluation's environment", allowed: "KEY=VALUE, KEY a variable name and not prednas's secret", default: undefined });

export const EVALUATION_SETTINGS = z.strictObject({
  evaluate: optionalText("the training command that evaluates each architecture (run through the shell; the architecture as one JSON line on its standard input; its last line of output a JSON object with a \"value\")", "a shell command").meta({
    flag: "--evaluate <CMD>",
    needsEvaluator: false,
    onWorker: true,
    identity: true,
  }),
  queue: optionalText(`evaluate on prednas workers through Redis instead of a command: redis://[user:password@]host:port[/db] (the password may come from ${PASSWORD_VARIABLE})`, "a redis:// URL").meta({
    flag: "--queue <URL>",
    needsEvaluator: false,
    onWorker: false,
    identity: false,
  }),
  minimize: flag({ default: false, description: "lower values are better (a loss)" }).meta({ flag: "--minimize", needsEvaluator: true, onWorker: false, identity: true }),
  retries: count({ min: 0, max: MAX_RETRIES, default: 1, description: "retries of an evaluation whose failure looks transient" }).meta({ flag: "--retries <N>", needsEvaluator: true, onWorker: false, identity: true }),
  evaluationTimeout: z
    .number()
    .min(MIN_EVALUATION_TIMEOUT_SECONDS)
    .optional()
    .meta({ description: "seconds after which an evaluation is stopped (its whole process group)", allowed: `a number >= ${MIN_EVALUATION_TIMEOUT_SECONDS}`, default: undefined })
    .meta({ flag: "--evaluation-timeout <SEC>", needsEvaluator: true, onWorker: true, identity: true }),
  killGrace: number({ min: 0, default: DEFAULT_KILL_GRACE_SECONDS, description: "seconds between SIGTERM and SIGKILL when an evaluation is stopped" }).meta({
    flag: "--kill-grace <SEC>",
    needsEvaluator: true,
    onWorker: true,
    identity: false,
  }),
  parallel: count({ min: 1, max: MAX_PARALLEL, default: 1, description: "evaluations in flight at once" }).meta({ flag: "--parallel <N>", needsEvaluator: false, onWorker: false, identity: false }),
  env: z
    .array(ENVIRONMENT_ENTRY)
    .optional()
    .meta({ description: "a variable put in the evaluation command's environment, KEY=VALUE (repeatable)", allowed: "a list of KEY=VALUE, KEY a variable name and not prednas's secret", default: undefined })
    .meta({ flag: "--evaluation-env <KEY=VALUE>", needsEvaluator: true, onWorker: false, identity: true, attempt: true }),
});

/** Every setting's default: what a run that gives none of them uses. */
export const SETTING_DEFAULTS: EvaluationSettings = EVALUATION_SETTINGS.parse({});

export type SettingName = keyof typeof EVALUATION_SETTINGS.shape;
/** The settings of a run, every default filled in. */
export type EvaluationSettings = Resolved<typeof EVALUATION_SETTINGS>;
/** The settings as given (the library's, a preset's): any may be left out. */
export type GivenEvaluationSettings = z.input<typeof EVALUATION_SETTINGS>;

export const SETTING_NAMES = Object.keys(EVALUATION_SETTINGS.shape) as SettingName[];

export function settingMeta(setting: SettingName): SettingMeta {
  return EVALUATION_SETTINGS.shape[setting].meta() as unknown as SettingMeta;
}

/** A setting without its default: given or not. */
function withoutDefault(schema: z.ZodType): z.ZodType {
  const inner = schema instanceof z.ZodDefault ? (schema.unwrap() as z.ZodType) : schema;
  return inner.optional().meta({ ...(schema.meta() as object), default: undefined });
}

/** The settings as given, nothing filled in (a preset's fields, what the rules check). */
export const GIVEN_SETTINGS = z.strictObject(Object.fromEntries(SETTING_NAMES.map((setting) => [setting, withoutDefault(EVALUATION_SETTINGS.shape[setting])])) as {
  [K in SettingName]: z.ZodOptional<z.ZodType<NonNullable<z.output<(typeof EVALUATION_SETTINGS.shape)[K]>>>>;
});

/** Where the settings were given, for the rules' messages. */
export interface SettingsContext {
  /** How a setting is called where it was given: "--retries", or "retries" in a preset. */
  readonly call: (setting: SettingName) => string;
  /** Where it was given, as the start of a message: "" for a flag, "p.json line 3: preset: " in a file. */
  readonly at: (setting: SettingName) => string;
  /** Whether a run directory was given; undefined where the run always has one (a study's). */
  readonly runDir?: boolean;
}

/** The flag-combination rules, one set for the command line and presets: refuses settings that make no sense together. */
export function checkSettings(given: Partial<Record<SettingName, unknown>>, context: SettingsContext): void {
  const { call, at } = context;
  const present = SETTING_NAMES.filter((setting) => given[setting] !== undefined);
  const list = (settings: readonly SettingName[]) => settings.map(call).join(", ");
  if (given.queue !== undefined) {
    if (given.evaluate !== undefined) {
      throw new InputError(`${at("evaluate")}${call("evaluate")} and ${call("queue")}: with ${call("queue")} the workers evaluate, each with its own command (prednas worker --queue URL --evaluate CMD); give one of them`);
    }
    const onWorkers = present.filter((setting) => settingMeta(setting).onWorker);
    if (onWorkers.length > 0) throw new InputError(`${at(onWorkers[0]!)}${list(onWorkers)} with ${call("queue")}: the workers run and stop their evaluations; give it to prednas worker`);
    if (context.runDir === false) throw new InputError(`${call("queue")} needs --run-dir DIR: the directory that keeps every evaluation's result, so that nothing finished is lost and the same command resumes the run`);
    return;
  }
  if (given.evaluate === undefined) {
    const misplaced = present.filter((setting) => settingMeta(setting).needsEvaluator);
    if (misplaced.length > 0) throw new InputError(`${at(misplaced[0]!)}${list(misplaced)} apply to evaluations by your command: give ${call("evaluate")}`);
  } else if (context.runDir === false) {
    throw new InputError(`${call("evaluate")} needs --run-dir DIR: the directory that keeps every evaluation's result and logs, so that nothing finished is lost and the same command resumes the run`);
  }
}

/** Validates given settings and fills in every default; `source` says where they came from. */
export function resolveSettings(given: unknown, source: OptionSource): EvaluationSettings {
  return resolveOptions("evaluation settings", EVALUATION_SETTINGS, given, source);
}

/** How a run's evaluations are made, as far as it changes the results: its identity's "evaluator" (evaluation/runDirectory.ts). */
export function evaluatorIdentity(settings: EvaluationSettings): { readonly command: string; readonly minimize: boolean; readonly retries: number; readonly evaluationTimeout?: number } {
  const identity: Record<string, unknown> = { command: settings.evaluate ?? QUEUE_EVALUATOR };
  for (const setting of SETTING_NAMES) {
    if (setting !== "evaluate" && settingMeta(setting).identity && settings[setting] !== undefined) identity[setting] = settings[setting];
  }
  return identity as ReturnType<typeof evaluatorIdentity>;
}

/** The settings that travel with each attempt (`attempt` in their metadata), as a job carries them. */
export const ATTEMPT_SETTINGS = GIVEN_SETTINGS.pick(Object.fromEntries(SETTING_NAMES.filter((setting) => settingMeta(setting).attempt === true).map((setting) => [setting, true])) as Record<SettingName, true>);
export type AttemptSettings = Partial<EvaluationSettings>;

/** The attempt settings of a run's settings (those given). */
export function attemptSettings(settings: Partial<EvaluationSettings>): AttemptSettings {
  return Object.fromEntries(Object.keys(ATTEMPT_SETTINGS.shape).filter((setting) => settings[setting as SettingName] !== undefined).map((setting) => [setting, settings[setting as SettingName]]));
}

/** Attempt settings read from a job (a queue anyone with the password can write to): checked, or an Error saying what is wrong. */
export function parseAttemptSettings(value: unknown): AttemptSettings {
  const parsed = ATTEMPT_SETTINGS.safeParse(value ?? {});
  if (!parsed.success) throw new Error(`the job's settings are not valid: ${parsed.error.issues.map((issue) => `${issue.path.join(".") || "settings"}: ${issue.message}`).join("; ")}`);
  return parsed.data as AttemptSettings;
}

/** The variables --evaluation-env gives, by name. */
export function environmentOf(settings: AttemptSettings | undefined): Record<string, string> {
  return Object.fromEntries((settings?.env ?? []).map((entry) => [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)]));
}
