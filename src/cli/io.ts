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
 * A progress bar on standard error, or nothing when it is not a terminal or `quiet` is set;
 * `details` adds to the line, with `{name}` tokens filled from each update's fields.
 */
export function progressBar(label: string, quiet = false, details = ""): Progress {
  if (quiet || !process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total}${details} | ETA {eta_formatted}`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total, fields = {}) {
      if (!started) {
        bar.start(total ?? 0, done, fields);
        started = true;
      } else {
        if (total !== undefined) bar.setTotal(total);
        bar.update(done, fields);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
