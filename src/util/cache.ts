/**
 * Load-or-build for binary caches: a cache whose file is missing, damaged, or made from another
 * source (its `identity` differs) is rebuilt and rewritten atomically; it is never trusted
 * blindly.
 */
import { existsSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { readColumns, writeColumns, type Column } from "./columns.js";

export interface CacheOutcome<T> {
  readonly value: T;
  /** Why the cache was (re)built, or undefined when it was loaded. */
  readonly rebuilt?: "missing" | "corrupt" | "stale";
}

export async function loadOrBuild<T>(options: {
  readonly path: string;
  /** What the cache must have been built from (format version, source size and date...). */
  readonly identity: unknown;
  readonly decode: (columns: Record<string, Column>) => T;
  readonly build: () => Promise<Record<string, Column>> | Record<string, Column>;
}): Promise<CacheOutcome<T>> {
  let rebuilt: CacheOutcome<T>["rebuilt"] = "missing";
  if (existsSync(options.path)) {
    try {
      const { meta, columns } = readColumns(options.path);
      if (isDeepStrictEqual(meta, options.identity)) return { value: options.decode(columns) };
      rebuilt = "stale";
    } catch {
      // Unreadable, failing its checksum, or with columns `decode` rejects: all mean rebuild.
      rebuilt = "corrupt";
    }
  }
  const columns = await options.build();
  const value = options.decode(columns);
  try {
    writeColumns(options.path, options.identity, columns);
  } catch (error) {
    // A cache that cannot be written (read-only home, full disk) costs time, not correctness.
    process.emitWarning(`could not write the cache ${options.path}: ${(error as Error).message}`);
  }
  return { value, rebuilt };
}
