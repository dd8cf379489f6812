/** How the study's numbers are written, the same in the verdicts, the tables and the plots. */
import type { Interval } from "./bootstrap.js";
import type { SampleEfficiency } from "./seg.js";

/** A count with thousands separators: 4,236. */
export function formatCount(value: number): string {
  return value.toLocaleString("en-US");
}

/** A positive quantity (SEG, a query count) to about three significant digits: 0.214, 3.17, 45.2, 1,024. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return "–";
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return formatCount(Math.round(value));
  if (magnitude >= 10) return value.toFixed(1);
  if (magnitude >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

export function formatInterval(interval: Interval): string {
  return `[${formatValue(interval.low)}, ${formatValue(interval.high)}]`;
}

export function formatPercent(fraction: number, digits = 0): string {
  return `${(100 * fraction).toFixed(digits)}%`;
}

/** An accuracy as a percentage with three decimals (the literature's precision): 94.318%. */
export function formatAccuracy(accuracy: number): string {
  return formatPercent(accuracy, 3);
}

/** "SEG 12.3 [8.10, 20.4]", or with censored runs "SEG ≤ 12.3 [...] (upper bound), 4.51 [...] with the random-search fallback". */
export function formatSeg(e: SampleEfficiency): string {
  const seg = `${formatValue(e.seg)} ${formatInterval(e.segInterval)}`;
  if (!e.upperBound) return `SEG ${seg}`;
  return `SEG ≤ ${seg} (upper bound), ${formatValue(e.fallbackSeg)} ${formatInterval(e.fallbackSegInterval)} with the random-search fallback`;
}

/** "a", "a and b", "a, b and c". */
export function formatList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** "1 run", "6 runs". */
export function plural(count: number, noun: string): string {
  return `${formatCount(count)} ${noun}${count === 1 ? "" : "s"}`;
}

/** "5/6 runs hit". */
export function formatHits(e: SampleEfficiency): string {
  return `${e.hits}/${e.runs} runs hit`;
}
