/**
 * Finding the NAS-Bench-101 table: the --data flag, then the PREDNAS_DATA environment variable,
 * then the default places: the user data directory where `prednas bench import` writes by
 * default (e.g. ~/.local/share/prednas/nasbench101), then ../shared/data/nasbench101/ beside the
 * project. Each may name a table file or a directory holding one (an imported table is preferred
 * to the shared test-only one).
 */
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import envPaths from "env-paths";
import { PrednasError } from "../util/errors.js";
import { TABLE_FILES } from "./tableFormat.js";

export type DataOrigin = "--data" | "PREDNAS_DATA" | "default";

export interface DataLocation {
  readonly tablePath: string;
  readonly origin: DataOrigin;
}

/** The project root: two levels above this module (src/benchmark or dist/benchmark). */
export function projectRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
}

/** The shared data beside the project. */
export function defaultDataDirectory(): string {
  return resolve(projectRoot(), "..", "shared", "data", "nasbench101");
}

/** Where `prednas bench import` writes when given no --out and no PREDNAS_DATA. */
export function importedDataDirectory(): string {
  return join(envPaths("prednas", { suffix: "" }).data, "nasbench101");
}

export class DataNotFoundError extends PrednasError {}

/** The table a path designates: the file itself, or the best table file in the directory. */
function tableAt(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  if (statSync(path).isFile()) return path;
  return TABLE_FILES.map((name) => join(path, name)).find((file) => existsSync(file));
}

export function locateTable(flag?: string, env: NodeJS.ProcessEnv = process.env): DataLocation {
  const candidates: { path: string; origin: DataOrigin }[] = [];
  if (flag !== undefined) candidates.push({ path: resolve(flag), origin: "--data" });
  else if (env.PREDNAS_DATA) candidates.push({ path: resolve(env.PREDNAS_DATA), origin: "PREDNAS_DATA" });
  else candidates.push({ path: importedDataDirectory(), origin: "default" }, { path: defaultDataDirectory(), origin: "default" });
  for (const { path, origin } of candidates) {
    const tablePath = tableAt(path);
    if (tablePath !== undefined) return { tablePath, origin };
  }
  const looked = candidates.map(({ path, origin }) => `  ${path} (${origin === "default" ? "default location" : origin})`).join("\n");
  throw new DataNotFoundError(
    `no NAS-Bench-101 table found. Looked for ${TABLE_FILES.join(" or ")} in:\n${looked}\n` +
      "To get the data, either:\n" +
      "  - point --data (or PREDNAS_DATA) at a directory holding nasbench101_108_test.csv.gz (the shared data), or\n" +
      "  - import the official file: prednas bench import nasbench_only108.tfrecord --out DIR, then use --data DIR.",
  );
}
