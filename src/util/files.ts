/**
 * Writing files so that a crash or a kill never leaves a half-written one in place, and finding
 * prednas's cache directory.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import envPaths from "env-paths";

/**
 * Writes `chunks` to `path` atomically: into a temporary file beside it, flushed to disk, then
 * renamed over `path`. Readers see the old file or the new one, never a mixture.
 */
export function writeFileAtomic(path: string, chunks: readonly Uint8Array[] | Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.tmp-${process.pid}-${Date.now()}`;
  const fd = openSync(temporary, "w");
  try {
    const list = typeof chunks === "string" ? [Buffer.from(chunks)] : chunks instanceof Uint8Array ? [chunks] : chunks;
    for (const chunk of list) {
      let offset = 0;
      while (offset < chunk.length) offset += writeSync(fd, chunk, offset, chunk.length - offset);
    }
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, path);
}

/**
 * The directory for caches: `PREDNAS_CACHE_DIR` when set, else the platform's user cache
 * directory (e.g. ~/.cache/prednas). Never inside the data directory, which may be read-only.
 */
export function cacheDirectory(): string {
  const configured = process.env.PREDNAS_CACHE_DIR;
  if (configured !== undefined && configured !== "") return configured;
  return envPaths("prednas", { suffix: "" }).cache;
}

export function cachePath(...parts: string[]): string {
  return join(cacheDirectory(), ...parts);
}
