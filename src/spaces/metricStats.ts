/**
 * Statistics of one metric over a whole space (values by enumeration index): the best, ranks, the
 * top n, the distribution. The bench commands, the search summary and every benchmark use these,
 * whatever the space.
 */
import { quantileSorted } from "simple-statistics";
import { InputError } from "../util/errors.js";

export interface MetricSummary {
  readonly count: number;
  readonly best: { readonly index: number; readonly value: number };
  readonly mean: number;
  readonly min: number;
  /** Linear-interpolation quantiles (NumPy's default) at 1%, 10%, 25%, 50%, 75%, 90%, 99%. */
  readonly quantiles: Readonly<Record<string, number>>;
}

export class MetricColumn {
  private sortedValues?: Float64Array;

  constructor(readonly values: Float64Array) {}

  /** The values sorted ascending (computed once). */
  get sorted(): Float64Array {
    this.sortedValues ??= Float64Array.from(this.values).sort();
    return this.sortedValues;
  }

  /** 1 + the number of architectures strictly better than this one (ties share the better rank). */
  rank(index: number): number {
    const value = this.values[index]!;
    const sorted = this.sorted;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! <= value) lo = mid + 1;
      else hi = mid;
    }
    return sorted.length - lo + 1;
  }

  /** The indices of the n best architectures, best first (ties in index order). */
  top(n: number): number[] {
    if (!Number.isInteger(n) || n < 1) throw new InputError(`n must be a positive integer, got ${n}`);
    const { values, sorted } = this;
    const threshold = sorted[Math.max(0, sorted.length - n)]!;
    const chosen: number[] = [];
    for (let i = 0; i < values.length; i++) if (values[i]! >= threshold) chosen.push(i);
    chosen.sort((a, b) => values[b]! - values[a]! || a - b);
    return chosen.slice(0, n);
  }

  summary(): MetricSummary {
    const { values, sorted } = this;
    let sum = 0;
    for (const value of values) sum += value;
    const [best] = this.top(1) as [number];
    const quantiles: Record<string, number> = {};
    for (const p of [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99]) quantiles[String(p)] = quantileSorted(sorted as unknown as number[], p);
    return { count: values.length, best: { index: best, value: values[best]! }, mean: sum / values.length, min: sorted[0]!, quantiles };
  }
}
