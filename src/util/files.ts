/**
 * Writing files so that a crash or a kill never leaves a half-written one in place, saying what
 * to do when the file system refuses (a full disk, a read-only mount), and finding prednas's cache
 * directory.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import envPaths from "env-paths";
import { InputError } from "./errors.js";

/** The file-system refusals a user fixes, what they mean and what to do. */
const FILE_SYSTEM_PROBLEMS: Readonly<Record<string, string>> = {
  ENOSPC: "no space is left on its device: free some space, or use a directory on another device",
  EDQUOT: "the disk quota is exceeded: free some space, or use a directory on another device",
  EROFS: "its file system is read-only: make it writable, or use a directory on another device",
  EACCES: "permission denied: make it writable by this user, or use another directory",
  EPERM: "the operation is not permitted: make it writable by this user, or use another directory",
  EIO: "the device reports an input/output error: check the disk",
  ENOENT: "it, or a directory on its path, does not exist (was it removed while prednas used it?)",
  ENOTDIR: "a part of its path is a file, not a directory (was it replaced while prednas used it?)",
};

/**
 * `error` as an InputError that says what could not be done (`doing`: "cannot write FILE") and
 * what to do, when it is a refusal of the file system that the user fixes (full disk, read-only,
 * permissions); any other error unchanged.
 */
export function fileSystemError(error: unknown, doing: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const problem = code === undefined ? undefined : FILE_SYSTEM_PROBLEMS[code];
  return problem === undefined ? error : new InputError(`${doing}: ${problem} (${code})`);
}

/**
 * Writes `chunks` to `path` atomically: into a temporary file beside it, flushed to disk, then
 * renamed over `path`. Readers see the old file or the new one, never a mixture. A full disk or a
 * read-only file system is an InputError naming the file.
 */
export function writeFileAtomic(path: string, chunks: readonly Uint8Array[] | Uint8Array | string): void {
  const temporary = `${path}.tmp-${process.pid}-${Date.now()}`;
  let fd: number | undefined;
  try {
    mkdirSync(dirname(path), { recursive: true });
    fd = openSync(temporary, "w");
    const list = typeof chunks === "string" ? [Buffer.from(chunks)] : chunks instanceof Uint8Array ? [chunks] : chunks;
    for (const chunk of list) {
      let offset = 0;
      while (offset < chunk.length) offset += writeSync(fd, chunk, offset, chunk.length - offset);
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      rmSync(temporary, { force: true });
    } catch {
      // A read-only file system kept nothing to remove.
    }
    throw fileSystemError(error, `cannot write ${path}`);
  }
}

/**
 * Checks, before any work is done for it, that a directory exists or can be made and that files
 * can be created in it; an InputError says why not (`what` names the destination, e.g. "--out").
 * Creates nothing: a directory not there yet is checked through its nearest existing ancestor.
 */
export function ensureWritableDirectory(dir: string, what: string): void {
  let existing = resolve(dir);
  while (!existsSync(existing)) existing = dirname(existing);
  if (!statSync(existing).isDirectory()) {
    throw new InputError(existing === resolve(dir) ? `${what} ${dir} is a file, not a directory` : `${what} ${dir} lies under ${existing}, which is a file`);
  }
  const probe = join(existing, `.prednas-probe-${process.pid}-${Date.now()}`);
  try {
    closeSync(openSync(probe, "wx"));
    rmSync(probe);
  } catch (error) {
    const where = existing === resolve(dir) ? "" : ` (its nearest existing directory ${existing} is not writable)`;
    throw new InputError(`${what} ${dir} cannot be written${where}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** Makes sure a file can be written at `path` (its directory made if needed), before any work is done for it. */
export function ensureWritableFile(path: string, what: string): void {
  if (existsSync(path) && statSync(path).isDirectory()) throw new InputError(`${what} ${path} is a directory; give a file name`);
  ensureWritableDirectory(dirname(resolve(path)), `the directory of ${what}`);
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

/** The project (or installed package) root: two levels above this module (src/util or dist/util). */
export function projectRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
}
