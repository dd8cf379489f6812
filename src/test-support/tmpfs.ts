/**
 * A real small file system for the tests of a full or read-only disk: a tmpfs of a given size,
 * mounted on a fresh directory. Mounting needs root (or a user namespace that allows it); where it
 * is refused, `smallTmpfs` says why and the test skips with that message.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Tmpfs {
  readonly dir: string;
  /** Remounts it read-only (what a disk that fails or a mount by an administrator does mid-run). */
  readOnly(): void;
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
    readOnly() {
      const failed = run(["mount", "-o", "remount,ro", dir]);
      if (failed !== undefined) throw new Error(failed);
    },
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
