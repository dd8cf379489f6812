/**
 * Running the built `prednas` (dist/) as a user runs it, for the end-to-end tests: a process
 * started with its output collected, waiting for a condition, and reading what a run left (its
 * journal, the fixture evaluator's trace).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { JournalEntry } from "../evaluation/journal.js";
import { REPO_ROOT } from "./data.js";

export const MAIN = join(REPO_ROOT, "dist", "cli", "main.js");
export const FIXTURES = join(REPO_ROOT, "src", "evaluation", "fixtures");
export const SPACE = join(FIXTURES, "space.json");
export const EVALUATE = `"${process.execPath}" "${join(FIXTURES, "evaluator.mjs")}"`;

export type Env = Record<string, string>;

function checkBuilt(): void {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run 'npm run build' first (npm test does)`);
}

/** Runs prednas to its end (with `input` on its standard input). */
export function prednas(args: string[], options: { env?: Env; cwd: string; input?: string }) {
  checkBuilt();
  const result = spawnSync(process.execPath, [MAIN, ...args], { encoding: "utf8", env: { ...process.env, ...options.env }, cwd: options.cwd, input: options.input, maxBuffer: 1 << 26 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts prednas; `done` is its exit status, `stderr()` what it printed there so far. */
export function startPrednas(args: string[], options: { env?: Env; cwd: string }) {
  checkBuilt();
  const child = spawn(process.execPath, [MAIN, ...args], { env: { ...process.env, ...options.env }, cwd: options.cwd, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  let stdout = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  child.stdout.on("data", (chunk) => (stdout += chunk));
  const done = new Promise<{ status: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (status, signal) => resolve({ status, signal })));
  return { child, done, stderr: () => stderr, stdout: () => stdout };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitUntil(condition: () => boolean, ms = 60_000, what = "a condition"): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

export const readJournal = (runDir: string): JournalEntry[] =>
  existsSync(join(runDir, "journal.jsonl")) ? readFileSync(join(runDir, "journal.jsonl"), "utf8").split("\n").filter((line) => line.endsWith("}")).map((line) => JSON.parse(line) as JournalEntry) : [];

export interface Trace {
  readonly what: string;
  readonly at: number;
  readonly pid: number;
  readonly key: string;
}

/** The fixture evaluator's trace (EVAL_TRACE): "start|end|grandchild <ms> <pid> <key>" lines. */
export const readTrace = (path: string): Trace[] =>
  existsSync(path)
    ? readFileSync(path, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => {
          const [what, at, pid, ...key] = line.split(" ");
          return { what: what!, at: Number(at), pid: Number(pid), key: key.join(" ") };
        })
    : [];
