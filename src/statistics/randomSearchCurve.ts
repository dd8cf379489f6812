/**
 * Random search's expected best, exactly, for every number of queries: E_RS(m), the expected
 * truth of the best of m architectures drawn uniformly without replacement (docs/study.md, "SEG
 * at a budget"), and its inverse n_RS(q), how many queries random search needs to reach q in
 * expectation. SEG at a budget is n_RS(q_X(n)) / n.
 *
 * With the truths sorted best first, f_(1) >= ... >= f_(N), the k-th best is the best of the m
 * drawn with probability p_k = C(N-k, m-1) / C(N, m): p_1 = m / N and p_(k+1) = p_k (N-k-m+1) /
 * (N-k). The sum stops once what is left of it (at most p_k N / m, since p falls at least
 * geometrically with ratio 1 - m/N) is below 1e-17: the table of all N values then costs about
 * 40 N ln N operations (under a second for NAS-Bench-101's 423,624 cells), once per space.
 */

/** E_RS(m) for m = 1..N, and its inverse. */
export class RandomSearchCurve {
  /** E_RS(m) at index m - 1. */
  readonly expected: Float64Array;

  constructor(truths: ArrayLike<number>) {
    const best = Float64Array.from(truths).sort().reverse();
    const size = best.length;
    if (size === 0) throw new RangeError("random search needs at least one architecture");
    this.expected = new Float64Array(size);
    for (let m = 1; m <= size; m++) {
      let p = m / size;
      let sum = best[0]! * p;
      const cutoff = (1e-17 * m) / size;
      for (let k = 1; k <= size - m && p > cutoff; k++) {
        p *= (size - k - m + 1) / (size - k);
        sum += best[k]! * p;
      }
      this.expected[m - 1] = sum;
    }
  }

  get size(): number {
    return this.expected.length;
  }

  /** E_RS(m) for an integer m in 1..N. */
  expectedBest(m: number): number {
    if (!Number.isInteger(m) || m < 1 || m > this.size) throw new RangeError(`random search takes 1 to ${this.size} queries, not ${m}`);
    return this.expected[m - 1]!;
  }

  /**
   * n_RS(q): the smallest real m with E_RS(m) >= q, interpolated log-linearly between integer m
   * (linear in E_RS against log m); 1 for q at or below E_RS(1), N above E_RS(N).
   */
  queriesFor(q: number): number {
    const { expected, size } = this;
    if (q <= expected[0]!) return 1;
    if (q > expected[size - 1]!) return size;
    let lo = 0; // expected[lo] < q
    let hi = size - 1; // expected[hi] >= q
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (expected[mid]! >= q) hi = mid;
      else lo = mid;
    }
    const [below, above] = [expected[lo]!, expected[hi]!];
    const t = above > below ? (q - below) / (above - below) : 1;
    return Math.exp(Math.log(lo + 1) + t * (Math.log(hi + 1) - Math.log(lo + 1)));
  }
}
