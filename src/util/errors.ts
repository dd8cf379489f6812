/**
 * Errors a user can act on, and how they cross threads.
 *
 * The command-line program prints their message (never a stack trace, unless PREDNAS_DEBUG=1)
 * and exits with their status; anything else escaping is a bug and is reported as one. The exit
 * statuses, the same for every command:
 *   0  success
 *   1  the work ran but part of it failed (invalid input lines, failed evaluations)
 *   2  usage or input error: a bad flag or value, a file that is missing, unreadable or wrong
 *   70 internal error (a bug)
 *   130, 143  interrupted by SIGINT, SIGTERM
 */
export const EXIT = { ok: 0, partialFailure: 1, input: 2, internal: 70, sigint: 130, sigterm: 143 } as const;

export class PrednasError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.partialFailure,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad input from the user: a value, a flag, a file's content, a path. */
export class InputError extends PrednasError {
  constructor(message: string) {
    super(message, EXIT.input);
  }
}

/** An error as plain data, to cross a thread boundary (structured clone drops classes). */
export interface SerializedError {
  readonly message: string;
  readonly name: string;
  readonly stack?: string;
  /** Set for user errors: their exit code, and whether they are input errors. */
  readonly user?: { readonly exitCode: number; readonly input: boolean };
}

export function serializeError(caught: unknown): SerializedError {
  const error = caught instanceof Error ? caught : new Error(String(caught));
  const base = { message: error.message, name: error.name, ...(error.stack === undefined ? {} : { stack: error.stack }) };
  return error instanceof PrednasError ? { ...base, user: { exitCode: error.exitCode, input: error instanceof InputError } } : base;
}

/** The error back in this thread: user errors keep their class (InputError or PrednasError) and exit code. */
export function deserializeError(data: SerializedError): Error {
  const error = data.user === undefined ? new Error(data.message) : data.user.input ? new InputError(data.message) : new PrednasError(data.message, data.user.exitCode);
  error.name = data.name;
  if (data.stack !== undefined) error.stack = data.stack;
  return error;
}
