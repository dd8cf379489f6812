/**
 * One process at a time per directory (a study's --out, a search's --run-dir): two processes on
 * one directory would both run the same work. The lock is proper-lockfile's (an atomic mkdir
 * whose mtime the holder refreshes), so a holder that crashes or is killed leaves a lock that goes
 * stale within seconds instead of one stuck forever; beside it a small file names the holder
 * (PID, host, the process's start time), for the message another process prints and so that a
 * lock whose holder is provably gone is taken over at once instead of after the stale delay.
 */
import { readFileSync, rmSync, utimesSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import lockfile from "proper-lockfile";
import { InputError } from "./errors.js";
import { fileSystemError, writeFileAtomic } from "./files.js";
import { processStartTime } from "./processes.js";

/** A lock not refreshed for this long belongs to a dead process (the holder refreshes it every STALE / 2). */
const STALE_MS = 10_000;

/** The directory is held by a live process (the message names it). */
export class DirectoryInUse extends InputError {}

export interface DirectoryLock {
  release(): Promise<void>;
}

interface Owner {
  readonly pid?: unknown;
  readonly host?: unknown;
  readonly since?: unknown;
  /** The holder's start time (processes.ts), when the platform says. */
  readonly started?: unknown;
}

function readOwner(path: string): Owner {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Owner;
  } catch {
    return {};
  }
}

function ownerText(owner: Owner): string {
  return owner.pid === undefined ? "another process" : `process ${String(owner.pid)} on ${String(owner.host)} (since ${String(owner.since)})`;
}

/** Whether the owner is a process of this machine that no longer runs (its PID is free, or now another process's). */
function ownerIsGone(owner: Owner): boolean {
  if (owner.host !== hostname() || typeof owner.pid !== "number") return false;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
  return typeof owner.started === "string" && processStartTime(owner.pid) !== owner.started;
}

export interface LockOptions {
  /** The lock's name: DIR/.NAME.lock, and the holder beside it. */
  readonly name: string;
  /** What the directory holds, for messages: "a study", "a search". */
  readonly holds: string;
  readonly onCompromised: (error: Error) => void;
  readonly onWait?: (message: string) => void;
}

/**
 * Takes the directory's lock, or throws an InputError naming its holder. A lock left by a
 * process of this machine that has died (killed, crashed) is taken over: at once when its
 * holder's start time is known (the lock is aged so that proper-lockfile treats it as stale),
 * else when it goes stale, so that resuming right after a kill just works. A file system that
 * refuses (full, read-only) is an InputError naming the directory.
 */
export async function lockDirectory(dir: string, options: LockOptions): Promise<DirectoryLock> {
  try {
    return await takeLock(dir, options);
  } catch (error) {
    throw fileSystemError(error, `cannot lock ${dir}`);
  }
}

async function takeLock(dir: string, { name, holds, onCompromised, onWait }: LockOptions): Promise<DirectoryLock> {
  const lockPath = join(dir, `.${name}.lock`);
  const ownerPath = join(dir, `.${name}.lock.owner.json`);
  let release: () => Promise<void>;
  const options = { lockfilePath: lockPath, stale: STALE_MS, realpath: false, onCompromised };
  try {
    release = await lockfile.lock(dir, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ELOCKED") throw error;
    const owner = readOwner(ownerPath);
    if (!ownerIsGone(owner)) {
      throw new DirectoryInUse(
        `${dir} is in use by ${ownerText(owner)}: two processes on one directory would repeat each other's work (it holds ${holds}). ` +
          `Wait for it to finish, or stop it (a lock left by a killed process expires within ${STALE_MS / 1000} s).`,
      );
    }
    if (typeof owner.started === "string") {
      utimesSync(lockPath, 0, 0);
      onWait?.(`${dir} was left locked by ${ownerText(owner)}, which no longer runs: taking it over`);
    } else {
      onWait?.(`${dir} was left locked by ${ownerText(owner)}, which no longer runs: taking it over when the lock expires (within ${STALE_MS / 1000} s)`);
    }
    release = await lockfile.lock(dir, { ...options, retries: { retries: (2 * STALE_MS) / 500, minTimeout: 500, maxTimeout: 500 } });
  }
  const started = processStartTime(process.pid);
  try {
    writeFileAtomic(ownerPath, `${JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString(), ...(started === undefined ? {} : { started }) })}\n`);
  } catch (error) {
    await release().catch(() => undefined);
    throw error;
  }
  return {
    async release() {
      try {
        rmSync(ownerPath, { force: true });
      } catch {
        // Left behind (a read-only file system): it names a process that no longer holds the lock, which the next one sees.
      }
      try {
        await release();
      } catch (error) {
        throw fileSystemError(error, `cannot release the lock on ${dir} (it expires within ${STALE_MS / 1000} s)`);
      }
    },
  };
}
