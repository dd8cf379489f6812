/**
 * Processes that outlive the program that started them: telling whether a recorded PID is still
 * the same process (its start time), and stopping a whole process group (an evaluation command
 * with its children and grandchildren) politely, then firmly.
 *
 * A PID alone does not identify a process: after the process ends its number is reused. The start
 * time does (with the PID): on Linux the start tick in /proc/PID/stat, elsewhere what `ps` says.
 * A process group's id is the PID of its first member, and the kernel does not hand that number to
 * a new process while any member of the group lives: a group with members whose leader is gone is
 * still the recorded one.
 */
import { execFileSync } from "node:child_process";
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

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Stops every process of a group: SIGTERM, then SIGKILL to whatever is left after `graceMs`;
 * resolves when the group is empty (or, should a member survive SIGKILL, a second later).
 */
export async function stopGroup(pgid: number, graceMs: number): Promise<void> {
  if (!groupAlive(pgid)) return;
  signalGroup(pgid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < deadline) await sleep(Math.min(50, graceMs));
  if (!groupAlive(pgid)) return;
  signalGroup(pgid, "SIGKILL");
  for (let i = 0; i < 20 && groupAlive(pgid); i++) await sleep(50);
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
