/**
 * Warnings: what prednas can go on with but the user should know (a table that is not the whole
 * space, a pool that fell short of its size). Printed once each on standard error, from the main
 * thread only: worker threads load the same data and would repeat them.
 */
import { isMainThread } from "node:worker_threads";

const said = new Set<string>();
let sink: (message: string) => void = (message) => void process.stderr.write(`prednas: warning: ${message}\n`);

export function warn(message: string): void {
  if (!isMainThread || said.has(message)) return;
  said.add(message);
  sink(message);
}

/** Replaces where warnings go (tests); returns the previous sink. */
export function setWarningSink(next: (message: string) => void): (message: string) => void {
  const previous = sink;
  sink = next;
  said.clear();
  return previous;
}
