/**
 * Real file systems that refuse, for the tests of a full or read-only disk: a small tmpfs mounted
 * on a fresh directory, and a directory made read-only under a running program (a read-only bind
 * mount of it on itself: files the program holds open stay writable, as on a disk remounted
 * read-only, and every new file, rename or removal fails with EROFS). Mounting needs root (or a
 * user namespace that allows it); where it is refused, the helpers say why and the test skips
 * with that message.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Tmpfs {
  readonly dir: string;
  unmount(): void;
}

function run(args: string[]): string | undefined {
  const result = spawnSync(args[0]!, args.slice(1), { encoding: "utf8" });
  return result.status === 0 ? undefined : `${args.join(" ")}: ${(result.stderr || result.error?.message || `status ${result.status}`).trim()}`;
}

/** A tmpfs of `size` (mount's notation: "2m"), or why none could be mounted. */
export function smallTmpfs(size: string): Tmpfs | string {
  const dir = mkdtempSync(join(tmpdir(), "prednas-tmpfs-"));
  const refused = run(["mount", "-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir]);
  if (refused !== undefined) {
    rmSync(dir, { recursive: true, force: true });
    return `cannot mount a tmpfs here (${refused}): run the tests as root to test a full disk`;
  }
  return {
    dir,
    unmount() {
      run(["umount", "-l", dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Fills a file system to its last byte: a file as large as it takes. */
export function fill(dir: string): void {
  // dd stops with "No space left on device", which is the point.
  spawnSync("dd", ["if=/dev/zero", `of=${join(dir, "filler")}`, "bs=64k"], { stdio: "ignore" });
}

/** Makes `dir` read-only from now on; returns what undoes it, or why it could not be done. */
export function makeReadOnly(dir: string): (() => void) | string {
  const refusal = (why: string) => `cannot make ${dir} read-only here (${why}): run the tests as root to test a read-only disk`;
  const bound = run(["mount", "--bind", dir, dir]);
  if (bound !== undefined) return refusal(bound);
  const readOnly = run(["mount", "-o", "remount,ro,bind", dir, dir]);
  if (readOnly !== undefined) {
    run(["umount", dir]);
    return refusal(readOnly);
  }
  return () => void run(["umount", dir]);
}
