/**
 * SIGINT and SIGTERM during a run that evaluates for real: the first signal stops launching
 * (what runs finishes and is journaled), a second one stops what runs as well; either way the run
 * ends properly (journal, record) and the program exits 130 or 143. Without this, Node would die
 * at once and leave the evaluations running.
 */
import { EXIT, PrednasError } from "../util/errors.js";

export interface Interruption {
  /** Aborted at the first signal: launch nothing more. */
  readonly stop: AbortSignal;
  /** Aborted at the second: stop what runs. */
  readonly interrupt: AbortSignal;
  /** The error to end the program with when a signal came, else undefined. */
  outcome(): PrednasError | undefined;
  dispose(): void;
}

export function handleInterruptions(onSignal: (message: string) => void): Interruption {
  const stop = new AbortController();
  const interrupt = new AbortController();
  let received: NodeJS.Signals | undefined;
  const handler = (signal: NodeJS.Signals) => {
    received ??= signal;
    if (!stop.signal.aborted) {
      stop.abort();
      onSignal(`${signal}: launching nothing more; waiting for the evaluations in flight to finish (send it again to stop them now)`);
    } else if (!interrupt.signal.aborted) {
      interrupt.abort();
      onSignal(`${signal}: stopping the evaluations in flight (they run again when the run is resumed)`);
    }
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    stop: stop.signal,
    interrupt: interrupt.signal,
    outcome: () =>
      received === undefined
        ? undefined
        : new PrednasError(`interrupted by ${received}: the finished evaluations are in the journal; run the same command again to resume`, received === "SIGINT" ? EXIT.sigint : EXIT.sigterm),
    dispose() {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    },
  };
}
