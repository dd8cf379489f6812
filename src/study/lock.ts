/**
 * One process at a time per study directory: two `prednas study` runs on one --out would both run
 * every job. The lock is proper-lockfile's (an atomic mkdir whose mtime the holder refreshes), so
 * a holder that crashes or is killed leaves a lock that goes stale within seconds instead of one
 * stuck forever; beside it a small file names the holder, for the message another process prints.
 */
import { readFileSync, rmSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import lockfile from "proper-lockfile";
import { InputError } from "../util/errors.js";
import { writeFileAtomic } from "../util/files.js";

const LOCK = ".study.lock";
const OWNER = ".study.lock.owner.json";
/** A lock not refreshed for this long belongs to a dead process (the holder refreshes it every STALE / 2). */
const STALE_MS = 10_000;

export interface DirectoryLock {
  release(): Promise<void>;
}

interface Owner {
  readonly pid?: unknown;
  readonly host?: unknown;
  readonly since?: unknown;
}

function readOwner(dir: string): Owner {
  try {
    return JSON.parse(readFileSync(join(dir, OWNER), "utf8")) as Owner;
  } catch {
    return {};
  }
}

function ownerText(owner: Owner): string {
  return owner.pid === undefined ? "another process" : `process ${String(owner.pid)} on ${String(owner.host)} (since ${String(owner.since)})`;
}

/** Whether the owner is a process of this machine that no longer runs (its lock will go stale). */
function ownerIsGone(owner: Owner): boolean {
  if (owner.host !== hostname() || typeof owner.pid !== "number") return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/**
 * Takes the directory's lock, or throws an InputError naming its holder. A lock left by a
 * process of this machine that has died (killed, crashed) is waited for until it goes stale,
 * so that resuming right after a kill just works.
 */
export async function lockDirectory(dir: string, onCompromised: (error: Error) => void, onWait?: (message: string) => void): Promise<DirectoryLock> {
  let release: () => Promise<void>;
  const options = { lockfilePath: join(dir, LOCK), stale: STALE_MS, realpath: false, onCompromised };
  try {
    release = await lockfile.lock(dir, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ELOCKED") throw error;
    const owner = readOwner(dir);
    if (ownerIsGone(owner)) {
      onWait?.(`${dir} was left locked by ${ownerText(owner)}, which no longer runs: taking it over when the lock expires (within ${STALE_MS / 1000} s)`);
      release = await lockfile.lock(dir, { ...options, retries: { retries: (2 * STALE_MS) / 500, minTimeout: 500, maxTimeout: 500 } });
    } else {
      throw new InputError(
        `${dir} is in use by ${ownerText(owner)}: two studies on one directory would repeat each other's runs. ` +
          `Wait for it to finish, or stop it (a lock left by a killed process expires within ${STALE_MS / 1000} s).`,
      );
    }
  }
  writeFileAtomic(join(dir, OWNER), `${JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() })}\n`);
  return {
    async release() {
      rmSync(join(dir, OWNER), { force: true });
      await release();
    },
  };
}
