/**
 * Where a `prednas worker` started without --work-dir keeps its logs and running evaluations: a
 * slot of the per-user state directory (e.g. ~/.local/share/prednas/workers/slot-0), the first
 * one no live worker holds, so that a second worker on a machine just works and none writes into
 * the directory it was started from. A slot is held by its directory lock (util/directoryLock.ts):
 * a worker that dies leaves a lock that the next worker takes over, with the slot's logs.
 *
 * A dead worker's evaluations keep running (SIGKILL does not reach its children): the worker
 * that takes its slot stops them, and meanwhile every live worker looks at the other slots every
 * few seconds (`sweepSlots`) and stops what a dead one left running there, so that an orphaned
 * training does not hold a GPU until another worker happens to start.
 */
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import envPaths from "env-paths";
import { stopLeftRunning } from "../evaluation/commandBackend.js";
import { DirectoryInUse, lockDirectory, type DirectoryLock } from "../util/directoryLock.js";
import { fileSystemError } from "../util/files.js";

/** More slots than workers one machine runs; past it, something is wrong (locks not released). */
const MAX_SLOTS = 256;
const SLOT = /^slot-\d+$/;

/** The user's directory of worker slots. */
export function defaultWorkersDirectory(): string {
  return join(envPaths("prednas", { suffix: "" }).data, "workers");
}

const lockOptions = (onLog: (message: string) => void) => ({
  name: "worker",
  holds: "a worker's evaluations",
  onCompromised: (error: Error) => onLog(`the lock on a worker slot was lost: ${error.message}`),
  onWait: onLog,
});

/** Takes the first slot under `root` that no live worker holds. */
export async function takeSlot(root: string, onLog: (message: string) => void): Promise<{ readonly dir: string; readonly lock: DirectoryLock }> {
  for (let slot = 0; slot < MAX_SLOTS; slot++) {
    const dir = join(root, `slot-${slot}`);
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw fileSystemError(error, `cannot create the worker directory ${dir} (or give one with --work-dir)`);
    }
    try {
      return { dir, lock: await lockDirectory(dir, lockOptions(onLog)) };
    } catch (error) {
      if (!(error instanceof DirectoryInUse)) throw error;
    }
  }
  throw new DirectoryInUse(`all ${MAX_SLOTS} worker slots under ${root} are held by live workers; stop some, or give this one a --work-dir`);
}

/** Stops what dead workers left running in the other slots under `root` (a slot a live worker holds is its own business). */
export async function sweepSlots(root: string, own: string, graceMs: number, onLog: (message: string) => void): Promise<void> {
  const names = existsSync(root) ? readdirSync(root).filter((name) => SLOT.test(name)) : [];
  for (const name of names) {
    const dir = join(root, name);
    const running = join(dir, "running");
    if (dir === own || !existsSync(running) || readdirSync(running).length === 0) continue;
    let lock: DirectoryLock;
    try {
      lock = await lockDirectory(dir, lockOptions(() => undefined));
    } catch (error) {
      if (error instanceof DirectoryInUse) continue;
      throw error;
    }
    try {
      const left = await stopLeftRunning(running, graceMs);
      for (const what of left.stopped) onLog(`stopped an evaluation a dead worker left running in ${dir}: ${what}`);
    } finally {
      await lock.release();
    }
  }
}
