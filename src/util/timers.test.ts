import { afterEach, describe, expect, it, vi } from "vitest";
import { MAX_TIMER_MS, setLongTimeout } from "./timers.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("timers of any length", () => {
  it("fires a delay longer than setTimeout holds at its time, not before, and not once cancelled", () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    const fired: number[] = [];
    const delay = 3 * MAX_TIMER_MS + 12_345;
    setLongTimeout(() => fired.push(performance.now()), delay);
    const cancel = setLongTimeout(() => fired.push(-1), delay);
    vi.advanceTimersByTime(delay - 1);
    cancel();
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toHaveLength(1);
    vi.advanceTimersByTime(10 * MAX_TIMER_MS);
    expect(fired).toHaveLength(1);
  });
});
