/**
 * The benchmark harness behind `npm run bench`: named sections, each measuring one area and
 * reporting figures against the targets of the issues. Performance targets live here, never in
 * timed unit tests.
 */

export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** The target and whether higher or lower is better; absent for context figures. */
  readonly target?: { readonly value: number; readonly better: "higher" | "lower" };
  readonly note?: string;
}

export interface Section {
  readonly name: string;
  readonly description: string;
  /** Run only when named (`npm run bench -- NAME`): too long for every run. */
  readonly optIn?: boolean;
  run(): Promise<Figure[]>;
}

export function meets(figure: Figure): boolean | undefined {
  if (figure.target === undefined) return undefined;
  return figure.target.better === "higher" ? figure.value >= figure.target.value : figure.value <= figure.target.value;
}

export function formatFigure(figure: Figure): string {
  const ok = meets(figure);
  const mark = ok === undefined ? "    " : ok ? "PASS" : "MISS";
  const value = Math.abs(figure.value) >= 100 ? figure.value.toFixed(0) : figure.value.toPrecision(4);
  const target = figure.target ? ` (target ${figure.target.better === "higher" ? ">=" : "<="} ${figure.target.value} ${figure.unit})` : "";
  return `${mark}  ${figure.name.padEnd(58)} ${`${value} ${figure.unit}`.padStart(18)}${target}${figure.note ? `  ${figure.note}` : ""}`;
}

/** The median of a few timings: the figure to quote on a shared, noisy machine. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs `f` `repeats` times and returns the median wall time in milliseconds. */
export async function timeMedian(repeats: number, f: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    await f();
    times.push(performance.now() - start);
  }
  return median(times);
}
