/**
 * Ranking agreement between a prediction and the truth, for whole-space evaluation (423,624
 * values): Kendall's tau-b in O(n log n), Spearman's rho with average ranks for ties, and how many
 * of the truly best architectures a predicted shortlist holds.
 */

/**
 * Kendall's tau-b (ties in either variable handled, as scipy.stats.kendalltau), by Knight's
 * algorithm: sort by (x, y), count the discordant pairs as the inversions a merge sort of y
 * removes, and count tied pairs from runs of equal values. NaN when either variable is constant.
 */
export function kendallTau(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = checkPaired(x, y);
  const order = sortedIndices(n, (a, b) => x[a]! - x[b]! || y[a]! - y[b]!);
  let xTies = 0;
  let jointTies = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && x[order[end]!] === x[order[start]!]) end++;
    xTies += pairs(end - start);
    for (let s = start; s < end; ) {
      let e = s + 1;
      while (e < end && y[order[e]!] === y[order[s]!]) e++;
      jointTies += pairs(e - s);
      s = e;
    }
    start = end;
  }
  const ys = Float64Array.from(order, (i) => y[i]!);
  const discordant = sortCountingInversions(ys);
  let yTies = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && ys[end] === ys[start]) end++;
    yTies += pairs(end - start);
    start = end;
  }
  const total = pairs(n);
  return (total - xTies - yTies + jointTies - 2 * discordant) / Math.sqrt((total - xTies) * (total - yTies));
}

/** Spearman's rho: Pearson's correlation of the ranks, tied values sharing their average rank. */
export function spearmanRho(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkPaired(x, y);
  return pearson(averageRanks(x), averageRanks(y));
}

/**
 * How many of the `trueCount` best architectures by `truth` are among the `predictedCount` best by
 * `predicted` ("true top 100 in the predicted top 1,000"). Higher is better for both arrays; ties
 * are broken by the lower index, so the answer is deterministic.
 */
export function topHits(truth: ArrayLike<number>, predicted: ArrayLike<number>, trueCount = 100, predictedCount = 1000): number {
  const n = checkPaired(truth, predicted);
  const shortlist = new Set(topIndices(predicted, Math.min(predictedCount, n)));
  return topIndices(truth, Math.min(trueCount, n)).filter((i) => shortlist.has(i)).length;
}

/** The indices of the `k` largest values, largest first (ties: lower index first). */
export function topIndices(values: ArrayLike<number>, k: number): number[] {
  return Array.from(sortedIndices(values.length, (a, b) => values[b]! - values[a]! || a - b).subarray(0, k));
}

/** 1-based ranks, ties sharing the average of the ranks they span. */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = sortedIndices(n, (a, b) => values[a]! - values[b]!);
  const ranks = new Float64Array(n);
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && values[order[end]!] === values[order[start]!]) end++;
    const rank = (start + end + 1) / 2;
    for (let i = start; i < end; i++) ranks[order[i]!] = rank;
    start = end;
  }
  return ranks;
}

function pearson(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

function checkPaired(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new RangeError(`paired samples differ in length (${x.length} and ${y.length})`);
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || Number.isNaN(y[i])) throw new RangeError(`value ${i} is NaN`);
  }
  return x.length;
}

function pairs(count: number): number {
  return (count * (count - 1)) / 2;
}

function sortedIndices(n: number, compare: (a: number, b: number) => number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i).sort(compare);
}

/** Sorts `values` ascending (bottom-up merge sort) and returns the number of strict inversions it removed. */
function sortCountingInversions(values: Float64Array): number {
  const n = values.length;
  let from: Float64Array = values;
  let to: Float64Array = new Float64Array(n);
  let inversions = 0;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        if (from[j]! < from[i]!) {
          inversions += mid - i;
          to[k++] = from[j++]!;
        } else {
          to[k++] = from[i++]!;
        }
      }
      while (i < mid) to[k++] = from[i++]!;
      while (j < hi) to[k++] = from[j++]!;
    }
    [from, to] = [to, from];
  }
  if (from !== values) values.set(from);
  return inversions;
}
