/**
 * Processes that outlive the program that started them: telling whether a recorded PID is still
 * the same process (its start time), and stopping everything a command started (an evaluation with
 * its children and grandchildren) politely, then firmly.
 *
 * What a command started is found two ways: its process group, and a token in the environment.
 * A process that leaves the group (`setsid`, a daemonising server, `nohup ... &` under some
 * shells) keeps the environment it inherited, and on Linux /proc/PID/environ shows the environment
 * a process was started with: every process of this user carrying the token is the command's.
 * Not found that way, and so left running: a process started with a cleared or rewritten
 * environment (`env -i`, `sudo`, a service manager such as `systemd-run`, a container started
 * through a daemon), a process of another user, and anything on a system without /proc (macOS),
 * where only the process group is stopped.
 *
 * A PID alone does not identify a process: after the process ends its number is reused. The start
 * time does (with the PID): on Linux the start tick in /proc/PID/stat, elsewhere what `ps` says.
 * A process group's id is the PID of its first member, and the kernel does not hand that number to
 * a new process while any member of the group lives: a group with members whose leader is gone is
 * still the recorded one.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";

/** The fields of /proc/PID/stat after the command name (which may hold spaces and parentheses). */
function procStat(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

const hasProc = procStat(process.pid) !== undefined;

/** When a process started, as an opaque string; undefined when there is no such process (or the platform does not say). */
export function processStartTime(pid: number): string | undefined {
  if (hasProc) {
    // Field 22 of stat (starttime, in clock ticks since boot) is the 20th after the name.
    const fields = procStat(pid);
    return fields === undefined ? undefined : `boot+${fields[19]}`;
  }
  try {
    const started = execFileSync("ps", ["-o", "lstart=", "-p", String(pid)], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    return started === "" ? undefined : started;
  } catch {
    return undefined;
  }
}

/**
 * Whether any process of the group lives. A killed process whose parent died stays a zombie
 * until the system's init reaps it, which some (containers' inits) do late; signals still reach
 * a zombie, so on Linux the group's members are looked up and zombies left out.
 */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  if (!hasProc) return true;
  // Fields 3 and 5 of stat are the state and the process group, the 1st and 3rd after the name.
  return readdirSync("/proc").some((entry) => {
    if (!/^\d+$/.test(entry)) return false;
    const fields = procStat(Number(entry));
    return fields?.[2] === String(pgid) && fields[0] !== "Z";
  });
}

/** The environment variable that marks the processes of one command (every descendant inherits it). */
export const TOKEN_VARIABLE = "PREDNAS_ATTEMPT_TOKEN";

/** A new token: 128 random bits, as hex. */
export function newToken(): string {
  return randomBytes(16).toString("hex");
}

/** Whether `text` is a token as newToken makes them (a recorded token is checked before it is looked for). */
export function isToken(text: unknown): text is string {
  return typeof text === "string" && /^[0-9a-f]{32}$/.test(text);
}

/** A recorded start time's clock tick ("boot+N"), to compare with others; undefined for another platform's. */
function startTick(started: string | undefined): number | undefined {
  const match = /^boot\+(\d+)$/.exec(started ?? "");
  return match === null ? undefined : Number(match[1]);
}

/**
 * The live processes (this one excepted) whose environment at start holds TOKEN_VARIABLE=token;
 * none without /proc. Reading a process's environment is slow (the kernel reads the other
 * process's memory), so only processes that started no earlier than `notBefore` (a start time:
 * the command's, which all it started follow) are read. Synchronous: a scan is a few small reads
 * per process, and asynchronous reads (a round trip to libuv's thread pool per file) made it
 * several times slower; an attempt's end waits for one scan.
 */
export function processesWithToken(token: string, notBefore?: string): number[] {
  if (!hasProc) return [];
  const since = startTick(notBefore);
  const needle = Buffer.from(`\0${TOKEN_VARIABLE}=${token}\0`);
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    if (since !== undefined && !((startTick(processStartTime(Number(entry))) ?? -1) >= since)) continue;
    let environ: Buffer;
    try {
      environ = readFileSync(`/proc/${entry}/environ`);
    } catch {
      // Gone, or another user's.
      continue;
    }
    // The first variable has no NUL before it; a zombie's environment reads empty.
    if (environ.includes(needle) || environ.subarray(0, needle.length - 1).equals(needle.subarray(1))) found.push(Number(entry));
  }
  return found;
}

/** What a command started: its process group and, where it has one, its token and its start time (processStartTime). */
export interface Started {
  readonly pgid?: number;
  readonly token?: string;
  readonly since?: string;
}

function signal(started: Started, name: NodeJS.Signals): void {
  const targets = [...(started.pgid === undefined ? [] : [-started.pgid]), ...(started.token === undefined ? [] : processesWithToken(started.token, started.since))];
  for (const target of targets) {
    try {
      process.kill(target, name);
    } catch {
      // Already gone.
    }
  }
}

function alive(started: Started): boolean {
  return (started.pgid !== undefined && groupAlive(started.pgid)) || (started.token !== undefined && processesWithToken(started.token, started.since).length > 0);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Stops every process a command started (its group, and those carrying its token): SIGTERM, then
 * SIGKILL to whatever is left after `graceMs`; resolves when none is left (or, should one
 * survive SIGKILL, a second later).
 */
export async function stopStarted(started: Started, graceMs: number): Promise<void> {
  if (!alive(started)) return;
  signal(started, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (alive(started) && Date.now() < deadline) await sleep(Math.min(50, graceMs));
  if (!alive(started)) return;
  signal(started, "SIGKILL");
  for (let i = 0; i < 20 && alive(started); i++) await sleep(50);
}

/** A process group recorded while it ran: its id (its leader's PID) and the leader's start time. */
export interface RecordedGroup {
  readonly pgid: number;
  readonly started?: string;
}

/**
 * Whether a recorded group may be stopped: it has members, and its leader is the recorded process
 * (same start time) or gone (its members are then the recorded group's: see the module comment).
 */
export function isRecordedGroupAlive(group: RecordedGroup): boolean {
  if (!groupAlive(group.pgid)) return false;
  const leaderStarted = processStartTime(group.pgid);
  return leaderStarted === undefined || group.started === undefined || leaderStarted === group.started;
}
