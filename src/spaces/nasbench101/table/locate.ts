/**
 * Finding the NAS-Bench-101 table: the --data flag, then the PREDNAS_DATA environment variable,
 * then a table imported from the official file into the user data directory (where `prednas
 * bench import` writes, e.g. ~/.local/share/prednas/nasbench101), then the table built into
 * prednas (data/nasbench101/). A flag or variable that names nothing usable is an error, never a
 * silent fall back to another table.
 */
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import envPaths from "env-paths";
import { InputError } from "../../../util/errors.js";
import { builtinTablePath } from "./tablePack.js";
import { TABLE_FILES } from "./tableFormat.js";

export type DataOrigin = "--data" | "PREDNAS_DATA" | "imported" | "built-in";

export interface DataLocation {
  readonly tablePath: string;
  readonly origin: DataOrigin;
}

/** Where `prednas bench import` writes when given no --out. */
export function importedDataDirectory(): string {
  return join(envPaths("prednas", { suffix: "" }).data, "nasbench101");
}

export class DataNotFoundError extends InputError {}

/** The table a path designates: the file itself, or the best table file in the directory. */
function tableAt(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  if (statSync(path).isFile()) return path;
  return TABLE_FILES.map((name) => join(path, name)).find((file) => existsSync(file));
}

export function locateTable(flag?: string, env: NodeJS.ProcessEnv = process.env): DataLocation {
  const given = flag !== undefined ? { path: flag, origin: "--data" as const } : env.PREDNAS_DATA ? { path: env.PREDNAS_DATA, origin: "PREDNAS_DATA" as const } : undefined;
  if (given !== undefined) {
    const tablePath = tableAt(resolve(given.path));
    if (tablePath !== undefined) return { tablePath, origin: given.origin };
    throw new DataNotFoundError(
      `${given.origin} names ${resolve(given.path)}, which ${existsSync(given.path) ? `holds no NAS-Bench-101 table (looked for ${TABLE_FILES.join(", ")})` : "does not exist"}. ` +
        `Give a table file or a directory holding one${given.origin === "PREDNAS_DATA" ? ", or unset PREDNAS_DATA" : ", or leave --data out"} to use the table built into prednas.`,
    );
  }
  const imported = tableAt(importedDataDirectory());
  if (imported !== undefined) return { tablePath: imported, origin: "imported" };
  return { tablePath: builtinTablePath(), origin: "built-in" };
}
