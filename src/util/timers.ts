/**
 * Timers of any length. Node's setTimeout holds at most 2^31 - 1 ms (24.8 days): a longer delay
 * fires at once, with only a warning. A training may run for weeks and a timeout in seconds may be
 * as long as its user likes, so a longer delay is waited for in chunks, against the monotonic
 * clock (a wall clock set back or forward moves no deadline).
 */

/** The longest delay setTimeout keeps. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Calls `callback` after `ms` milliseconds (any length, Infinity for never); returns what cancels it. */
export function setLongTimeout(callback: () => void, ms: number): () => void {
  const deadline = performance.now() + ms;
  let timer: NodeJS.Timeout;
  const arm = (): void => {
    const left = deadline - performance.now();
    timer = left > MAX_TIMER_MS ? setTimeout(arm, MAX_TIMER_MS) : setTimeout(callback, Math.max(0, left));
  };
  arm();
  return () => clearTimeout(timer);
}
