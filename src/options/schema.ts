/**
 * Component options, declared once. Every component that takes options (the search methods and
 * their loop, each candidate pool, each predictor, the study preset) declares them as one zod
 * object schema built from the helpers below; from that one declaration come the TypeScript type
 * (`Resolved<typeof SCHEMA>`), the defaults, the validation, and the help text with each default.
 *
 * Why zod: it is the most used TypeScript-first schema library, infers the type from the schema
 * (no second declaration), rejects unknown keys (`strictObject`) and carries metadata; prednas
 * adds only the wording of its errors (the option, its allowed values, where it came from) and
 * the help table.
 *
 * Options are resolved once, at the boundary (flags, --options, a preset file): the resolved
 * object, every default filled in, is what runs, what a run records, and what a study compares.
 */
import { z } from "zod";
import { InputError } from "../util/errors.js";

/** What the help and the error messages say of an option. */
export interface OptionMeta {
  readonly description: string;
  /** The allowed values, as a phrase: "an integer >= 1", "one of mean, ucb, its". */
  readonly allowed: string;
  readonly default: unknown;
}

/** A schema of one component's options. */
export type OptionSchema = z.ZodObject;
/** The resolved options of a schema: every option present, typed. */
export type Resolved<S extends OptionSchema> = z.output<S>;

function declare<T extends z.ZodType>(schema: T, meta: OptionMeta) {
  return schema.default(meta.default as never).meta({ ...meta });
}

function range(kind: string, min: number | undefined, max: number | undefined, minExclusive = false): string {
  const parts = [min === undefined ? "" : ` ${minExclusive ? ">" : ">="} ${min}`, max === undefined ? "" : ` <= ${max}`].filter(Boolean);
  return `${kind}${parts.join(" and")}`;
}

export function integer(o: { readonly min?: number; readonly max?: number; readonly default: number; readonly description: string }) {
  let schema = z.number().int();
  if (o.min !== undefined) schema = schema.min(o.min);
  if (o.max !== undefined) schema = schema.max(o.max);
  return declare(schema, { description: o.description, allowed: range("an integer", o.min, o.max), default: o.default });
}

export function number(o: { readonly min?: number; readonly minExclusive?: boolean; readonly max?: number; readonly default: number; readonly description: string }) {
  let schema = z.number();
  if (o.min !== undefined) schema = o.minExclusive ? schema.gt(o.min) : schema.min(o.min);
  if (o.max !== undefined) schema = schema.max(o.max);
  return declare(schema, { description: o.description, allowed: range("a number", o.min, o.max, o.minExclusive), default: o.default });
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T, o: { readonly default: T[number]; readonly description: string }) {
  return declare(z.enum(values), { description: o.description, allowed: `one of ${values.join(", ")}`, default: o.default });
}

export function flag(o: { readonly default: boolean; readonly description: string }) {
  return declare(z.boolean(), { description: o.description, allowed: "true or false", default: o.default });
}

const NAME_CHECK = "not a known name";

/** A registry name (a predictor, a pool), checked against the registry when resolved. */
export function name(o: { readonly default: string; readonly description: string; readonly known: () => readonly string[] }) {
  return declare(
    z.string().refine((value) => o.known().includes(value), NAME_CHECK),
    { description: o.description, allowed: `one of ${"{known}"}`, default: o.default },
  ).meta({ known: o.known } as never);
}

/** The options of another component (a pool's, a predictor's), resolved by that component's schema. */
export function nested(o: { readonly default?: Readonly<Record<string, unknown>>; readonly description: string }) {
  return declare(z.record(z.string(), z.unknown()), { description: o.description, allowed: "an object of options", default: o.default ?? {} });
}

/** Where given options came from, for messages: a flag, --options, a preset file and line. */
export interface OptionSource {
  /** The origin of the option at `path` (path within the options being resolved). */
  describe(path: readonly PropertyKey[]): string;
}

export function sourceOf(label: string): OptionSource {
  return { describe: () => label };
}

/** A source for the options at `prefix` inside what `outer` describes. */
export function within(outer: OptionSource, prefix: readonly PropertyKey[]): OptionSource {
  return { describe: (path) => outer.describe([...prefix, ...path]) };
}

function metaOf(schema: z.ZodType | undefined): (OptionMeta & { known?: () => readonly string[] }) | undefined {
  return schema?.meta() as (OptionMeta & { known?: () => readonly string[] }) | undefined;
}

function allowedText(meta: ReturnType<typeof metaOf>): string {
  if (meta === undefined) return "valid";
  return meta.known === undefined ? meta.allowed : `one of ${meta.known().join(", ")}`;
}

/** The schema of the value at `path` inside `schema` (through defaults, optionals, arrays, objects). */
function schemaAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = schema;
  for (const key of path) {
    // Unwrap defaults and optionals, remembering the outermost schema (it carries the metadata).
    let inner = current as { _zod: { def: { innerType?: z.ZodType; element?: z.ZodType; shape?: Record<string, z.ZodType> } } } | undefined;
    while (inner?._zod.def.innerType !== undefined) inner = inner._zod.def.innerType as never;
    const def = inner?._zod.def;
    current = def?.shape !== undefined ? def.shape[String(key)] : def?.element;
    if (current === undefined) return undefined;
  }
  return current;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((inner, key) => (typeof inner === "object" && inner !== null ? (inner as Record<PropertyKey, unknown>)[key] : undefined), value);
}

/** A path as written in messages: poolOptions.parents, configurations[2].budget. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === "number" ? `[${key}]` : `${i === 0 ? "" : "."}${String(key)}`)).join("");
}

/**
 * Validates `given` against a component's schema and fills in every default; an InputError names
 * where the options came from, the component, the option, what it may be and what it was.
 * `prefix` is where these options sit inside a larger set (poolOptions, for a pool's).
 */
export function resolveOptions<S extends OptionSchema>(component: string, schema: S, given: unknown, source: OptionSource, prefix: readonly PropertyKey[] = []): Resolved<S> {
  const at = (path: readonly PropertyKey[]) => source.describe(path);
  const dotted = (path: readonly PropertyKey[]) => formatPath([...prefix, ...path]);
  if (given !== undefined && (typeof given !== "object" || given === null || Array.isArray(given))) {
    throw new InputError(`${at([])}: ${component}: ${prefix.length > 0 ? `option ${formatPath(prefix)} must be` : "options must be"} an object, got ${JSON.stringify(given)}`);
  }
  const result = schema.safeParse(given ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  if (issue.code === "unrecognized_keys") {
    const where = schemaAt(schema, issue.path) as { _zod: { def: { shape?: object } } } | undefined;
    const known = Object.keys(where?._zod.def.shape ?? {});
    const inside = issue.path.length === 0 ? component : `${component}: ${dotted(issue.path)}`;
    throw new InputError(`${at([...issue.path, issue.keys[0]!])}: ${inside} has no option ${issue.keys.join(", ")} (options: ${known.join(", ") || "none"})`);
  }
  // A rule across options (declared with a message of its own).
  if (issue.code === "custom" && issue.message !== NAME_CHECK) throw new InputError(`${at(issue.path)}: ${component}: ${issue.message}`);
  const meta = metaOf(schemaAt(schema, issue.path));
  const value = valueAt(given, issue.path);
  const what = value === undefined ? "is required" : `must be ${allowedText(meta)}, got ${JSON.stringify(value)}`;
  throw new InputError(`${at(issue.path)}: ${component}: ${meta === undefined ? "" : "option "}${dotted(issue.path)} ${what}`);
}

/** The help table of a schema: one line per option, with its allowed values and default. */
export function describeOptions(schema: OptionSchema): { name: string; allowed: string; default: unknown; description: string }[] {
  return Object.entries(schema.shape).map(([name, field]) => {
    const meta = metaOf(field as z.ZodType);
    return { name, allowed: allowedText(meta), default: meta?.default, description: meta?.description ?? "" };
  });
}

export function formatOptionsHelp(schema: OptionSchema, indent = "  "): string {
  const rows = describeOptions(schema);
  if (rows.length === 0) return `${indent}(no options)`;
  const width = Math.max(...rows.map((row) => row.name.length));
  return rows.map((row) => `${indent}${row.name.padEnd(width)}  ${row.description} (${row.allowed}; default ${JSON.stringify(row.default)})`).join("\n");
}
