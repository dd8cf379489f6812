/**
 * Target sets (docs/study.md, "Definitions"): the architectures ranked best by their true accuracy.
 * A target is named by a rank k (the global optimum is k = 1, the top 0.1% of NAS-Bench-101 is
 * k = 424); its threshold is the k-th best truth and every architecture at or above the threshold
 * is in the set, so ties at the threshold make |T| larger than k. Everything downstream (hits,
 * E[N_RS], SEG) uses the real |T|.
 */

export interface TargetSpec {
  /** Stable identifier, used in file names. */
  readonly id: string;
  /** What a reader sees. */
  readonly label: string;
  /** The rank k that defines the target in a space of `spaceSize` architectures (at least 1). */
  readonly rank: (spaceSize: number) => number;
}

export interface TargetSet {
  readonly id: string;
  readonly label: string;
  readonly rank: number;
  /** The k-th best truth: a query hits the target when its truth is at least this. */
  readonly threshold: number;
  /** |T|: the architectures at or above the threshold (>= rank when there are ties). */
  readonly size: number;
  /** |A|. */
  readonly spaceSize: number;
  /** E[N_RS] = (|A| + 1) / (|T| + 1): the queries random search without replacement needs on average. */
  readonly randomSearchQueries: number;
}

function topFraction(fraction: number): (spaceSize: number) => number {
  return (spaceSize) => Math.max(1, Math.round(fraction * spaceSize));
}

/** docs/study.md's targets: the global optimum, the top 10, the top 0.01% and the top 0.1%. */
export const STUDY_TARGETS: readonly TargetSpec[] = [
  { id: "optimum", label: "global optimum", rank: () => 1 },
  { id: "top-10", label: "top 10", rank: () => 10 },
  { id: "top-0.01pct", label: "top 0.01%", rank: topFraction(0.0001) },
  { id: "top-0.1pct", label: "top 0.1%", rank: topFraction(0.001) },
];

/** E[N_RS]: the exact expected first-hit query count of random search without replacement. */
export function randomSearchQueries(spaceSize: number, targetSize: number): number {
  return (spaceSize + 1) / (targetSize + 1);
}

/** The target sets of `specs` over the truths of every architecture of a space. */
export function targetSets(truths: ArrayLike<number>, specs: readonly TargetSpec[] = STUDY_TARGETS): TargetSet[] {
  const descending = Float64Array.from(truths).sort().reverse();
  const spaceSize = descending.length;
  if (spaceSize === 0) throw new RangeError("target sets of an empty space");
  return specs.map((spec) => {
    const rank = spec.rank(spaceSize);
    if (!Number.isInteger(rank) || rank < 1 || rank > spaceSize) throw new RangeError(`target '${spec.id}': rank ${rank} outside 1..${spaceSize}`);
    const threshold = descending[rank - 1]!;
    let size = rank;
    while (size < spaceSize && descending[size]! >= threshold) size++;
    return { id: spec.id, label: spec.label, rank, threshold, size, spaceSize, randomSearchQueries: randomSearchQueries(spaceSize, size) };
  });
}
