/**
 * Failed attempts: what went wrong, and whether trying again may help.
 *
 * The rule for "looks transient" (an attempt is then retried, up to --retries times, while the
 * budget lasts): the attempt timed out; or it was killed by a signal it did not ask for (SIGKILL
 * from the out-of-memory killer, SIGSEGV, SIGBUS...), which a shell reports as an exit status
 * above 128; or its error output or message says so: CUDA, cuDNN, cuBLAS or NCCL errors, "out of
 * memory" / OOM, a resource temporarily unavailable, a connection reset or timed out. Anything
 * else (an exit status of 1 with a Python traceback, a last line that is not a result, a value
 * that is not a finite number) is taken for a fault of the code or the architecture, which a
 * retry would repeat: it is not retried.
 */

export type FailureKind =
  /** A non-zero exit status. */
  | "exit"
  /** Killed by a signal. */
  | "signal"
  | "timeout"
  /** The last line of standard output is not a JSON object. */
  | "no-result"
  /** The result's `value` is missing or not a finite number. */
  | "bad-value"
  /** The evaluation function threw. */
  | "error"
  /** Stopped because the run was interrupted: not a finished attempt, it runs again on resume. */
  | "interrupted";

export interface Failure {
  readonly kind: FailureKind;
  readonly message: string;
  readonly exitCode?: number;
  readonly signal?: string;
  /** The end of the attempt's error output. */
  readonly stderrTail?: string;
  readonly transient: boolean;
}

const TRANSIENT_TEXT =
  /\bCUDA\b|CUDA_ERROR|cudaError|CUBLAS_STATUS|CUDNN_STATUS|\bNCCL\b|out of memory|\bOOM\b|resource temporarily unavailable|connection (?:reset|timed out)|ECONNRESET|ETIMEDOUT/i;

export function looksTransient(kind: FailureKind, text: string, exitCode?: number): boolean {
  if (kind === "timeout" || kind === "signal") return true;
  if (kind === "exit" && exitCode !== undefined && exitCode > 128) return true;
  return (kind === "exit" || kind === "error") && TRANSIENT_TEXT.test(text);
}

/** The last `lines` lines of a text, at most `bytes` characters of them. */
export function tail(text: string, lines = 20, bytes = 2000): string {
  const kept = text.replace(/\s+$/, "").split("\n").slice(-lines).join("\n");
  return kept.length > bytes ? `...${kept.slice(-bytes)}` : kept;
}

/**
 * The result of an attempt from what it returned or printed last: a JSON object with a finite
 * numeric `value`; other fields are metrics. `source` says where it came from, for messages.
 */
export function parseResult(value: unknown, source: string): { ok: true; value: number; metrics: Record<string, unknown> } | { ok: false; kind: FailureKind; message: string } {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, kind: "no-result", message: `${source} is not a JSON object with a "value"` };
  const { value: result, ...metrics } = value as Record<string, unknown>;
  if (typeof result !== "number" || !Number.isFinite(result)) {
    return { ok: false, kind: "bad-value", message: `${source} has ${result === undefined ? "no \"value\"" : `"value": ${typeof result === "number" ? String(result) : JSON.stringify(result)}, not a finite number`}` };
  }
  return { ok: true, value: result, metrics };
}
