/** Shared command-line plumbing: option parsers, line input, output, progress. */
import { InvalidArgumentError } from "commander";
import cliProgress from "cli-progress";
import { InputError } from "../util/errors.js";
import { MAX_JSON_DEPTH, tooDeepAt } from "../util/jsonDocument.js";
import { formatBytes, MAX_LINE_BYTES, streamLines } from "../util/lines.js";

/** A commander parser for an integer option within [min, max]. */
export function integerOption(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}, got '${value}'`);
    }
    return parsed;
  };
}

/** A commander parser for a number option within [min, max]. */
export function numberOption(min: number, max = Number.MAX_VALUE): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (value.trim() === "" || !Number.isFinite(parsed) || parsed < min || parsed > max) {
      throw new InvalidArgumentError(`expected a number from ${min} to ${max}, got '${value}'`);
    }
    return parsed;
  };
}

/** A commander parser for one of a fixed set of names. */
export function choiceOption<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`expected one of ${choices.join(", ")}, got '${value}'`);
    }
    return value as T;
  };
}

/** A JSON object given as an option's value (`flag` names it in errors); undefined when the option is absent. */
export function parseJsonOption(text: string | undefined, flag: string): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  checkDepth(text, `${flag}: `);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${flag} must be a JSON object: ${(error as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new InputError(`${flag} must be a JSON object, got ${text}`);
  return parsed as Record<string, unknown>;
}

/**
 * Runs `handle` on every non-blank line of standard input with its 1-based line number. A line
 * whose handling throws a user error, or longer than MAX_LINE_BYTES (not read: util/lines.ts), is
 * reported by `onError` and the rest go on; returns the number of such failed lines.
 */
export async function forEachInputLine(
  handle: (line: string, lineNumber: number) => void,
  onError: (message: string, lineNumber: number) => void,
): Promise<number> {
  let failed = 0;
  for await (const line of streamLines(process.stdin)) {
    if (line.tooLong) {
      failed++;
      onError(`longer than ${formatBytes(MAX_LINE_BYTES)}, the most an input line may hold`, line.number);
      continue;
    }
    if (line.text.trim() === "") continue;
    try {
      handle(line.text, line.number);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      failed++;
      onError(error.message, line.number);
    }
  }
  return failed;
}

/** Refuses JSON text nested deeper than MAX_JSON_DEPTH (what reads the parsed value recurses); `prefix` starts the message. */
function checkDepth(text: string, prefix: string): void {
  const at = tooDeepAt(text);
  if (at >= 0) throw new InputError(`${prefix}nested deeper than ${MAX_JSON_DEPTH} levels of objects and arrays (at character ${at + 1})`);
}

/** Parses one JSON line, turning a syntax error or a nesting too deep into a user error. */
export function parseJsonLine(line: string): unknown {
  checkDepth(line, "");
  try {
    return JSON.parse(line);
  } catch (error) {
    throw new InputError(`not valid JSON (${(error as Error).message})`);
  }
}

/** Writes text to standard output, waiting when the pipe is full. */
export async function writeOut(text: string): Promise<void> {
  if (!process.stdout.write(text)) {
    await new Promise<void>((resolve) => process.stdout.once("drain", () => resolve()));
  }
}

export interface Progress {
  /** `fields` fill the `{name}` tokens of the bar's `details`. */
  update(done: number, total?: number, fields?: Readonly<Record<string, string | number>>): void;
  stop(): void;
}

/**
 * When standard error is not a terminal (a log file, a pipe, CI): a plain progress line at most
 * this often as work advances, and at least this often while it does not (a study's run can take
 * minutes), so that the log shows the command is alive.
 */
const PLAIN_PROGRESS_MS = { atMost: 5_000, atLeast: 30_000 } as const;

/** "1 min 05 s" from milliseconds. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, "0")} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** The time left at the rate so far, or "-" before there is a rate to go by. */
function remaining(done: number, total: number, elapsedMs: number): string {
  if (done <= 0 || total <= done) return "-";
  return formatDuration((elapsedMs / done) * (total - done));
}

/**
 * Progress on standard error, or nothing when `quiet` is set. On a terminal, a bar; elsewhere (a
 * log file, a pipe) a plain line every few seconds, so that a long command piped to a log is not
 * silent, and a last one at the end if any was printed. `details` adds to the line, with `{name}`
 * tokens filled from each update's fields.
 */
export function progressBar(label: string, quiet = false, details = ""): Progress {
  if (quiet) return { update: () => {}, stop: () => {} };
  return process.stderr.isTTY ? terminalBar(label, details) : plainLines(label, details);
}

function terminalBar(label: string, details: string): Progress {
  // Our own ETA: cli-progress prints "NFs" before the first step is done.
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total}${details} | elapsed {elapsed} | left {left}`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  const start = performance.now();
  let started = false;
  let total = 0;
  return {
    update(done, newTotal, fields = {}) {
      if (newTotal !== undefined) total = newTotal;
      const elapsedMs = performance.now() - start;
      const payload = { ...fields, elapsed: formatDuration(elapsedMs), left: remaining(done, total, elapsedMs) };
      if (!started) {
        bar.start(total, done, payload);
        started = true;
      } else {
        if (newTotal !== undefined) bar.setTotal(total);
        bar.update(done, payload);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

function plainLines(label: string, details: string): Progress {
  const start = performance.now();
  let printedAt: number | undefined;
  let last: { done: number; total: number; fields: Readonly<Record<string, string | number>> } | undefined;
  let printed: typeof last;
  const print = () => {
    if (last === undefined) return;
    printed = last;
    const elapsedMs = performance.now() - start;
    const { done, total, fields } = last;
    const percent = total > 0 ? ` (${Math.floor((100 * done) / total)}%)` : "";
    const filled = details.replace(/\{(\w+)\}/g, (_, name: string) => String(fields[name] ?? ""));
    process.stderr.write(`prednas: ${label}: ${done}/${total}${percent}${filled} | elapsed ${formatDuration(elapsedMs)} | left ${remaining(done, total, elapsedMs)}\n`);
    printedAt = performance.now();
  };
  const heartbeat = setInterval(() => {
    if (performance.now() - (printedAt ?? start) >= PLAIN_PROGRESS_MS.atLeast) print();
  }, 1_000);
  heartbeat.unref();
  return {
    update(done, total, fields = {}) {
      last = { done, total: total ?? last?.total ?? 0, fields };
      if (performance.now() - (printedAt ?? start) >= PLAIN_PROGRESS_MS.atMost) print();
    },
    stop() {
      clearInterval(heartbeat);
      // A last line for the end, unless the last one printed already says it.
      if (printedAt !== undefined && printed !== last) print();
    },
  };
}
