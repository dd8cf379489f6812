import { describe, expect, it } from "vitest";
import type { SampleEfficiency } from "../statistics/seg.js";
import type { SegAtBudget } from "../statistics/segAtBudget.js";
import { AT_BUDGET, judgeClaims, type Claim, type PoolResult, type Status, type TargetVerdict } from "./verdict.js";

const SPACE = 423_624;
const TARGETS = ["top-0.01pct", "top-0.1pct"];

interface Estimate {
  seg: [number, number, number];
  /** The fallback SEG when runs are censored (else equal to `seg`). */
  fallback?: [number, number, number];
  runs?: number;
}

function efficiency({ seg, fallback, runs = 30 }: Estimate): SampleEfficiency {
  const [value, low, high] = seg;
  const [fValue, fLow, fHigh] = fallback ?? seg;
  const hits = fallback === undefined ? runs : runs - 3;
  return {
    runs,
    hits,
    hitRate: hits / runs,
    budget: 150,
    meanQueries: 100,
    seg: value,
    segInterval: { low, high },
    upperBound: fallback !== undefined,
    fallbackSeg: fValue,
    fallbackSegInterval: { low: fLow, high: fHigh },
  };
}

function atBudget([seg, low, high]: [number, number, number], runs = 30): SegAtBudget {
  return { queries: 150, runs, meanBestTruth: 0.94, randomSearchQueries: 150 * seg, seg, interval: { low, high } };
}

/** A pool with the same estimate on both hit-based targets (or one per target), and SEG_B (by default the first's SEG). */
function pool(name: string, poolSize: number, estimate: Estimate, other: Estimate = estimate, predictor = "mlp-ensemble", budget = estimate.seg): PoolResult {
  return {
    predictor,
    pool: name,
    poolSize: name === "full" ? SPACE : poolSize,
    label: `${predictor} ${name} ${poolSize}`,
    efficiency: { [TARGETS[0]!]: efficiency(estimate), [TARGETS[1]!]: efficiency(other), [AT_BUDGET]: atBudget(budget, estimate.runs) },
  };
}

const FULL = pool("full", SPACE, { seg: [20, 10, 40] });

/** The hit-based verdict: holds on every target, does not hold on some, else inconclusive. */
function combined(targets: readonly TargetVerdict[]): Status {
  if (targets.some((t) => t.status === "does not hold")) return "does not hold";
  return targets.every((t) => t.status === "holds") ? "holds" : "inconclusive";
}

function status(pools: PoolResult[], claim: Claim): Status {
  return combined(judgeClaims(pools, SPACE).find((v) => v.claim === claim)!.targets);
}

describe("C1: full-space scoring against random search", () => {
  it("holds when the full pool's SEG is at least 3 with its interval above 1", () => {
    const [c1] = judgeClaims([FULL], SPACE);
    expect(c1).toMatchObject({ claim: "C1", predictor: "mlp-ensemble", status: "holds" });
    expect(c1!.targets.map((t) => t.target)).toEqual(TARGETS);
    expect(c1!.targets[0]!.reason).toContain("SEG 20.0 [10.0, 40.0]");
  });

  it("does not hold when the SEG is small or its interval reaches 1", () => {
    expect(status([pool("full", SPACE, { seg: [2, 1.5, 3] })], "C1")).toBe("does not hold");
    expect(status([pool("full", SPACE, { seg: [4, 0.9, 1] })], "C1")).toBe("does not hold");
  });

  it("is inconclusive when censoring leaves the SEG between a small fallback and a large upper bound", () => {
    const censored = pool("full", SPACE, { seg: [20, 10, 40], fallback: [1.5, 0.8, 3] });
    const [c1] = judgeClaims([censored], SPACE);
    expect(combined(c1!.targets)).toBe("inconclusive");
    expect(c1!.targets[0]!.reason).toBe(
      "mlp-ensemble full 423624: SEG ≤ 20.0 [10.0, 40.0] (upper bound), 1.50 [0.800, 3.00] with the random-search fallback, 27/30 runs hit: censoring leaves it on both sides of 3",
    );
    expect(c1!.targets[0]).toMatchObject({ evidence: [censored], conclusion: "censoring leaves it on both sides of 3" });
  });

  it("is inconclusive with too few runs, or without a full pool", () => {
    expect(status([pool("full", SPACE, { seg: [20, 10, 40], runs: 3 })], "C1")).toBe("inconclusive");
    expect(judgeClaims([pool("random", 100, { seg: [2, 1, 3] })], SPACE)[0]!.targets[0]!.reason).toBe("no full-pool runs");
  });
});

describe("C2: random pools lose efficiency at small S", () => {
  it("holds when every random pool at S <= 1% is at most half the full pool's SEG, intervals apart", () => {
    const pools = [FULL, pool("random", 100, { seg: [2, 1, 3] }), pool("random", 1000, { seg: [5, 3, 8] }), pool("random", 100_000, { seg: [19, 9, 30] })];
    const [, c2] = judgeClaims(pools, SPACE);
    expect(c2!.status).toBe("holds");
    // Spearman's rho over the random pools at S = 100, 1,000 and 100,000.
    expect(c2!.targets[0]!.reason).toContain("Spearman's rho of SEG with S over the random pools: 1.00");
  });

  it("does not hold when a small random pool keeps more than half of it even at its most conservative", () => {
    expect(status([FULL, pool("random", 1000, { seg: [15, 11, 20] })], "C2")).toBe("does not hold");
  });

  it("is inconclusive when the intervals overlap, or no random pool is small enough", () => {
    expect(status([FULL, pool("random", 1000, { seg: [8, 4, 12] })], "C2")).toBe("inconclusive");
    expect(status([FULL, pool("random", 10_000, { seg: [2, 1, 3] })], "C2")).toBe("inconclusive");
  });
});

describe("C3: smart pools regain full-space efficiency at small S", () => {
  it("holds when some smart pool at S <= 1% reaches 80% of the full pool's SEG, or its interval reaches the full pool's", () => {
    expect(status([FULL, pool("mutation", 1000, { seg: [18, 9, 30] })], "C3")).toBe("holds");
    expect(status([FULL, pool("annealing", 100, { seg: [12, 8, 15] }), pool("mutation", 100, { seg: [2, 1, 3] })], "C3")).toBe("holds");
  });

  it("does not hold when every smart pool stays below it, intervals apart", () => {
    expect(status([FULL, pool("mutation", 1000, { seg: [5, 3, 7] }), pool("evolution", 100, { seg: [6, 4, 9] })], "C3")).toBe("does not hold");
  });

  it("is inconclusive without a small smart pool, and when censoring hides how good it is", () => {
    expect(status([FULL, pool("mutation", 10_000, { seg: [18, 9, 30] }), pool("random", 100, { seg: [2, 1, 3] })], "C3")).toBe("inconclusive");
    expect(status([FULL, pool("mutation", 1000, { seg: [18, 12, 30], fallback: [4, 2, 8] })], "C3")).toBe("inconclusive");
  });
});

describe("combining targets and predictors", () => {
  it("holds only when every target holds; fails when any target fails", () => {
    const mixed = pool("full", SPACE, { seg: [20, 10, 40] }, { seg: [2, 1.5, 3] });
    expect(status([mixed], "C1")).toBe("does not hold");
    const partly = pool("full", SPACE, { seg: [20, 10, 40] }, { seg: [20, 10, 40], runs: 2 });
    expect(status([partly], "C1")).toBe("inconclusive");
  });

  it("judges each predictor on its own pools", () => {
    const gcnFull = pool("full", SPACE, { seg: [2, 1.5, 3] }, undefined, "gcn");
    const verdicts = judgeClaims([FULL, gcnFull], SPACE).filter((v) => v.claim === "C1");
    expect(verdicts.map((v) => [v.predictor, v.status])).toEqual([
      ["mlp-ensemble", "holds"],
      ["gcn", "does not hold"],
    ]);
  });

  it("is inconclusive on every claim without predictor-based runs", () => {
    expect(judgeClaims([], SPACE).map((v) => [v.claim, v.status, v.targets[0]!.reason])).toEqual([
      ["C1", "inconclusive", "no predictor-based runs"],
      ["C2", "inconclusive", "no predictor-based runs"],
      ["C3", "inconclusive", "no predictor-based runs"],
    ]);
  });
});

describe("verdicts on SEG at the budget", () => {
  const verdict = (pools: PoolResult[], claim: Claim) => judgeClaims(pools, SPACE).find((v) => v.claim === claim)!;

  it("decide the claim, with the hit-based SEGs judged beside", () => {
    const c1 = verdict([pool("full", SPACE, { seg: [20, 10, 40], fallback: [2, 1.5, 3] })], "C1");
    expect(c1.status).toBe("holds");
    expect(c1.atBudget.reason).toContain("SEG_150 20.0 [10.0, 40.0], R = 30");
    expect(c1.targets.map((t) => t.status)).toEqual(["inconclusive", "inconclusive"]);
    expect(c1.agreement).toMatch(/decide nothing/);
    const differs = verdict([pool("full", SPACE, { seg: [2, 1.5, 2.5] }, undefined, undefined, [10, 5, 20])], "C1");
    expect(differs.status).toBe("holds");
    expect(differs.agreement).toMatch(/differs on top-0.01pct \(does not hold\)/);
  });

  it("say how many runs would decide an inconclusive one", () => {
    // SEG_B 3.5 [0.9, 6.1] at R = 30: the interval must lose (3.5 - 0.9) / (3.5 - 1) of its width below: R = 30 x 1.04^2.
    const c1 = verdict([pool("full", SPACE, { seg: [3.5, 0.9, 6.1] })], "C1");
    expect(c1.status).toBe("inconclusive");
    expect(c1.atBudget.runsNeeded).toBe(Math.ceil(30 * (2.6 / 2.5) ** 2));
    expect(c1.atBudget.reason).toMatch(/about R = 33 runs per configuration would decide it/);
    // C2: a random pool below half the full pool but with overlapping intervals.
    const c2 = verdict([pool("full", SPACE, { seg: [20, 12, 30] }), pool("random", 100, { seg: [8, 4, 14] })], "C2");
    expect(c2.status).toBe("inconclusive");
    expect(c2.atBudget.runsNeeded).toBe(Math.ceil(30 * ((8 + 6) / 12) ** 2));
  });

  it("require C2's SEG to rise with S", () => {
    const pools = [pool("full", SPACE, { seg: [40, 35, 45] }), pool("random", 100, { seg: [10, 8, 12] }), pool("random", 1000, { seg: [5, 4, 6] }), pool("random", 4000, { seg: [4, 3, 5] })];
    expect(verdict(pools, "C2").status).toBe("does not hold");
    expect(verdict(pools, "C2").atBudget.reason).toMatch(/does not rise with S/);
  });
});
