/**
 * Whether docs/study.md's claims hold, decided by explicit rules on the SEG estimates (documented in
 * docs/study.md, with the reasons behind each threshold).
 *
 * Every SEG comes as a bracket: the Kaplan-Meier SEG, an upper bound when runs are censored
 * ("optimistic"), and the SEG with a random-search fallback after the budget ("conservative");
 * each has a 95% bootstrap interval, and the two are equal when nothing is censored. A rule
 * that says a configuration is good uses the conservative estimate; a rule that says it is bad
 * uses the optimistic one. Censoring therefore never decides a verdict by itself: when the
 * bracket straddles a threshold the verdict is "inconclusive", with the numbers that say why.
 *
 *  - C1 (full-space scoring beats random search): the full pool's conservative SEG is at least
 *    `c1MinSeg` and its interval lies above 1. It fails when even its optimistic SEG is below
 *    `c1MinSeg` or its optimistic interval lies at or below 1.
 *  - C2 (a random pool loses much of it at small S): every random pool with S at or below
 *    `smallPoolFraction` of the space has an optimistic SEG at most `c2MaxShare` of the full
 *    pool's conservative SEG, with the intervals apart. It fails when some such pool's
 *    conservative SEG exceeds `c2MaxShare` of the full pool's optimistic SEG.
 *  - C3 (a smart pool regains it at small S): some smart pool (neither full nor random) with S at
 *    or below `smallPoolFraction` of the space reaches `c3MinShare` of the full pool's SEG
 *    (conservative against optimistic), or its conservative interval reaches the full pool's
 *    optimistic one. It fails when every such pool stays below `c3MinShare` of the full pool's
 *    conservative SEG (optimistic against conservative) with the intervals apart.
 *
 * A claim is decided per target and per predictor: it holds when it holds for every judged
 * target, does not hold when it fails for some target, and is inconclusive otherwise.
 * Configurations with fewer than `minRuns` runs are not used.
 */
import { spearmanRho } from "../util/ranking.js";
import type { StudyAnalysis } from "../statistics/analysis.js";
import { formatCount, formatHits, formatInterval, formatSeg } from "../statistics/format.js";
import type { SampleEfficiency } from "../statistics/seg.js";

export interface VerdictRules {
  /** Target ids the claims are judged on. */
  readonly targets?: readonly string[];
  readonly minRuns?: number;
  readonly c1MinSeg?: number;
  /** "Small" pools: S at most this fraction of the space. */
  readonly smallPoolFraction?: number;
  readonly c2MaxShare?: number;
  readonly c3MinShare?: number;
}

export const VERDICT_DEFAULTS: Required<VerdictRules> = {
  targets: ["top-0.01pct", "top-0.1pct"],
  minRuns: 5,
  c1MinSeg: 3,
  smallPoolFraction: 0.01,
  c2MaxShare: 0.5,
  c3MinShare: 0.8,
};

/** What the verdicts need to know about one predictor-based configuration. */
export interface PoolResult {
  readonly predictor: string;
  readonly pool: string;
  /** S (for the full pool: the space size). */
  readonly poolSize: number;
  readonly label: string;
  /** By target id. */
  readonly efficiency: Readonly<Record<string, SampleEfficiency>>;
}

/** The predictor-based configurations of a study, as the verdicts see them (the full pool's S is the space size). */
export function poolResults(analysis: StudyAnalysis): PoolResult[] {
  return analysis.configurations
    .filter((r) => r.configuration.method === "predictor")
    .map(({ configuration: c, efficiency }) => ({
      predictor: c.predictor ?? "?",
      pool: c.pool ?? "?",
      poolSize: c.pool === "full" ? analysis.spaceSize : (c.poolSize ?? analysis.spaceSize),
      label: c.label,
      efficiency,
    }));
}

export type Claim = "C1" | "C2" | "C3";
export type Status = "holds" | "does not hold" | "inconclusive";

export interface TargetVerdict {
  readonly target: string;
  readonly status: Status;
  /** The numbers that decide it, in words. */
  readonly reason: string;
}

export interface Verdict {
  readonly claim: Claim;
  readonly predictor: string;
  readonly status: Status;
  readonly targets: readonly TargetVerdict[];
}

export const CLAIMS: Readonly<Record<Claim, string>> = {
  C1: "with the predictor scored on the whole space, predictor-based NAS is far more sample efficient than random search",
  C2: "scoring only a random subset of S architectures loses much of that efficiency as S shrinks",
  C3: "a smartly chosen pool of S architectures regains full-space efficiency, even for S at or below 1% of the space",
};

/** The bracket of one SEG estimate. */
function optimistic(e: SampleEfficiency): { value: number; low: number; high: number } {
  return { value: e.seg, ...e.segInterval };
}

function conservative(e: SampleEfficiency): { value: number; low: number; high: number } {
  return { value: e.fallbackSeg, ...e.fallbackSegInterval };
}

/** "<label>: SEG ... [interval], h/R runs hit": the numbers a verdict rests on. */
function facts(result: PoolResult, target: string): string {
  const e = result.efficiency[target]!;
  return `${result.label}: ${formatSeg(e)}, ${formatHits(e)}`;
}

interface Context {
  readonly rules: Required<VerdictRules>;
  readonly spaceSize: number;
  readonly target: string;
  readonly full: PoolResult | undefined;
  readonly pools: readonly PoolResult[];
}

/** The reason a claim cannot be judged for lack of a usable full pool, if there is one. */
function missingFull({ full, rules, target }: Context): string | undefined {
  if (full === undefined) return "no full-pool runs";
  const runs = full.efficiency[target]!.runs;
  return runs < rules.minRuns ? `the full pool has ${runs} runs (fewer than ${rules.minRuns})` : undefined;
}

function judgeC1(context: Context): TargetVerdict {
  const { rules, target } = context;
  const missing = missingFull(context);
  if (missing !== undefined) return { target, status: "inconclusive", reason: missing };
  const e = context.full!.efficiency[target]!;
  const [low, high] = [conservative(e), optimistic(e)];
  const numbers = facts(context.full!, target);
  if (low.value >= rules.c1MinSeg && low.low > 1) {
    return { target, status: "holds", reason: `${numbers}: at least ${rules.c1MinSeg} with its interval above 1` };
  }
  if (high.value < rules.c1MinSeg || high.high <= 1) {
    return { target, status: "does not hold", reason: `${numbers}: below ${rules.c1MinSeg} or not above 1 even as an upper bound` };
  }
  return { target, status: "inconclusive", reason: `${numbers}: censoring leaves it on both sides of ${rules.c1MinSeg}` };
}

/** Pools of a kind at S at most the small-pool limit, with enough runs. */
function smallPools(context: Context, kind: (pool: string) => boolean): PoolResult[] {
  const limit = context.rules.smallPoolFraction * context.spaceSize;
  return context.pools.filter((p) => kind(p.pool) && p.poolSize <= limit && p.efficiency[context.target]!.runs >= context.rules.minRuns);
}

function smallLimit(context: Context): string {
  return `S ≤ ${formatCount(Math.floor(context.rules.smallPoolFraction * context.spaceSize))}`;
}

function judgeC2(context: Context): TargetVerdict {
  const { rules, target } = context;
  const missing = missingFull(context);
  if (missing !== undefined) return { target, status: "inconclusive", reason: missing };
  const small = smallPools(context, (pool) => pool === "random");
  if (small.length === 0) return { target, status: "inconclusive", reason: `no random pool at ${smallLimit(context)} with ${rules.minRuns} or more runs` };
  const full = context.full!.efficiency[target]!;
  const [fullLow, fullHigh] = [conservative(full), optimistic(full)];
  const trend = randomPoolTrend(context);
  const numbers = `${facts(context.full!, target)}; ${small.map((p) => facts(p, target)).join("; ")}${trend}`;
  const wellBelow = small.every((p) => {
    const high = optimistic(p.efficiency[target]!);
    return high.value <= rules.c2MaxShare * fullLow.value && high.high < fullLow.low;
  });
  if (wellBelow) return { target, status: "holds", reason: `${numbers}: every random pool at ${smallLimit(context)} is at most ${rules.c2MaxShare} of the full pool, intervals apart` };
  const notBelow = small.filter((p) => conservative(p.efficiency[target]!).value > rules.c2MaxShare * fullHigh.value);
  if (notBelow.length > 0) {
    return { target, status: "does not hold", reason: `${numbers}: ${notBelow.map((p) => p.label).join(", ")} keeps more than ${rules.c2MaxShare} of the full pool's SEG` };
  }
  return { target, status: "inconclusive", reason: `${numbers}: the intervals overlap or censoring leaves the ratio undecided` };
}

/** Spearman's rho between S and SEG over the random pools and the full pool (informational). */
function randomPoolTrend(context: Context): string {
  const points = [...context.pools.filter((p) => p.pool === "random"), context.full!];
  if (points.length < 3) return "";
  const rho = spearmanRho(
    points.map((p) => p.poolSize),
    points.map((p) => p.efficiency[context.target]!.seg),
  );
  return `; Spearman's rho of SEG with S over the random and full pools: ${rho.toFixed(2)}`;
}

function judgeC3(context: Context): TargetVerdict {
  const { rules, target } = context;
  const missing = missingFull(context);
  if (missing !== undefined) return { target, status: "inconclusive", reason: missing };
  const small = smallPools(context, (pool) => pool !== "random" && pool !== "full");
  if (small.length === 0) return { target, status: "inconclusive", reason: `no smart pool at ${smallLimit(context)} with ${rules.minRuns} or more runs` };
  const full = context.full!.efficiency[target]!;
  const [fullLow, fullHigh] = [conservative(full), optimistic(full)];
  const regains = small.filter((p) => {
    const low = conservative(p.efficiency[target]!);
    return low.value >= rules.c3MinShare * fullHigh.value || low.high >= fullHigh.low;
  });
  const numbers = (pools: readonly PoolResult[]): string => `${facts(context.full!, target)}; ${pools.map((p) => facts(p, target)).join("; ")}`;
  if (regains.length > 0) {
    return { target, status: "holds", reason: `${numbers(regains)}: reaches ${rules.c3MinShare} of the full pool's SEG or its interval (${formatInterval(full.segInterval)})` };
  }
  const fallsShort = small.every((p) => {
    const high = optimistic(p.efficiency[target]!);
    return high.value < rules.c3MinShare * fullLow.value && high.high < fullLow.low;
  });
  if (fallsShort) return { target, status: "does not hold", reason: `${numbers(small)}: every smart pool at ${smallLimit(context)} stays below ${rules.c3MinShare} of the full pool, intervals apart` };
  return { target, status: "inconclusive", reason: `${numbers(small)}: the intervals overlap or censoring leaves the ratio undecided` };
}

const JUDGES: Readonly<Record<Claim, (context: Context) => TargetVerdict>> = { C1: judgeC1, C2: judgeC2, C3: judgeC3 };

function combine(verdicts: readonly TargetVerdict[]): Status {
  if (verdicts.some((v) => v.status === "does not hold")) return "does not hold";
  return verdicts.length > 0 && verdicts.every((v) => v.status === "holds") ? "holds" : "inconclusive";
}

/** The full pool of a predictor; with several (other options), the one with the most runs. */
function fullPool(pools: readonly PoolResult[], target: string): PoolResult | undefined {
  const full = pools.filter((p) => p.pool === "full");
  return full.sort((a, b) => b.efficiency[target]!.runs - a.efficiency[target]!.runs)[0];
}

/**
 * The verdicts on C1, C2 and C3 for every predictor that has predictor-based runs (one set of
 * inconclusive verdicts when there are none at all).
 */
export function judgeClaims(pools: readonly PoolResult[], spaceSize: number, options: VerdictRules = {}): Verdict[] {
  const rules = { ...VERDICT_DEFAULTS, ...options };
  const predictors = [...new Set(pools.map((p) => p.predictor))];
  if (predictors.length === 0) {
    return (Object.keys(JUDGES) as Claim[]).map((claim) => ({
      claim,
      predictor: "any",
      status: "inconclusive",
      targets: rules.targets.map((target) => ({ target, status: "inconclusive", reason: "no predictor-based runs" })),
    }));
  }
  return predictors.flatMap((predictor) => {
    const own = pools.filter((p) => p.predictor === predictor);
    return (Object.keys(JUDGES) as Claim[]).map((claim) => {
      const targets = rules.targets.map((target) => JUDGES[claim]({ rules, spaceSize, target, full: fullPool(own, target), pools: own }));
      return { claim, predictor, status: combine(targets), targets };
    });
  });
}
