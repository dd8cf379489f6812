/**
 * Errors a user can act on. The command-line program prints their message (never a stack trace)
 * and exits with their status; anything else escaping is a bug and is reported as one.
 */
export class PrednasError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad input from the user: a value, a flag, a file's content. */
export class InputError extends PrednasError {
  constructor(message: string) {
    super(message, 2);
  }
}
