/**
 * Whether docs/study.md's claims hold, decided by explicit rules on the SEG estimates (documented in
 * docs/study.md, with the reasons behind each threshold).
 *
 * The verdict is SEG_B's, SEG at the budget: censoring-free, so its bracket is one estimate with
 * one interval. When SEG_B cannot decide (an interval straddles a threshold), the verdict is
 * "inconclusive" with the R that would decide it: intervals narrow as 1/sqrt(R), so R is scaled
 * by the square of how much narrower they must get. The hit-based SEG on each target is judged
 * by the same rules beside it, and the verdict says whether they agree.
 *
 * A hit-based SEG comes as a bracket: the Kaplan-Meier SEG, an upper bound when runs are censored
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
 * A claim is decided per predictor. Configurations with fewer than `minRuns` runs are not used.
 */
import { spearmanRho } from "../util/ranking.js";
import type { StudyAnalysis } from "../statistics/analysis.js";
import { formatCount, formatHits, formatInterval, formatList, formatSeg, formatValue } from "../statistics/format.js";
import type { SampleEfficiency } from "../statistics/seg.js";
import type { SegAtBudget } from "../statistics/segAtBudget.js";

/** The id under which a configuration's SEG_B stands beside its hit-based SEGs. */
export const AT_BUDGET = "budget";

export interface VerdictRules {
  /** Target ids the claims are judged on beside SEG_B (which decides). */
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
  /** By target id, and SEG_B under AT_BUDGET. */
  readonly efficiency: Readonly<Record<string, SampleEfficiency | SegAtBudget>>;
}

/** The predictor-based configurations of a study, as the verdicts see them (the full pool's S is the space size). */
export function poolResults(analysis: StudyAnalysis): PoolResult[] {
  return analysis.configurations
    .filter((r) => r.configuration.method === "predictor")
    .map(({ configuration: c, efficiency, atBudget }) => ({
      predictor: c.predictor ?? "?",
      pool: c.pool ?? "?",
      poolSize: c.pool === "full" ? analysis.spaceSize : (c.poolSize ?? analysis.spaceSize),
      label: c.label,
      efficiency: { ...efficiency, [AT_BUDGET]: atBudget.at(-1)! },
    }));
}

export type Claim = "C1" | "C2" | "C3";
export type Status = "holds" | "does not hold" | "inconclusive";

export interface TargetVerdict {
  readonly target: string;
  readonly status: Status;
  /** The configurations whose numbers decide it, the full pool first (none when it cannot be judged). */
  readonly evidence: readonly PoolResult[];
  /** What those numbers show, as a sentence of its own ("the full pool's SEG is at least 3 ..."). */
  readonly conclusion: string;
  /** A fact about the pools together, beside their numbers (C2's rank correlation of SEG with S). */
  readonly note?: string;
  /** The numbers and the conclusion in one line (summary.json's "why"). */
  readonly reason: string;
  /** For an inconclusive SEG_B verdict: the runs per configuration that would decide it, when more runs can. */
  readonly runsNeeded?: number;
}

export interface Verdict {
  readonly claim: Claim;
  readonly predictor: string;
  /** SEG_B's verdict. */
  readonly status: Status;
  readonly atBudget: TargetVerdict;
  /** The hit-based verdicts, beside it. */
  readonly targets: readonly TargetVerdict[];
  /** Whether the hit-based verdicts say the same as SEG_B's (inconclusive ones aside), and if not which differ. */
  readonly agreement: string;
}

export const CLAIMS: Readonly<Record<Claim, string>> = {
  C1: "with the predictor scored on the whole space, predictor-based NAS is far more sample efficient than random search",
  C2: "scoring only a random subset of S architectures loses much of that efficiency as S shrinks",
  C3: "a smartly chosen pool of S architectures regains full-space efficiency, even for S at or below 1% of the space",
};

type Bracket = { value: number; low: number; high: number };

function atBudget(e: SampleEfficiency | SegAtBudget): e is SegAtBudget {
  return "queries" in e;
}

/** The optimistic end of an estimate's bracket (SEG_B's bracket is one estimate). */
function optimistic(e: SampleEfficiency | SegAtBudget): Bracket {
  return atBudget(e) ? { value: e.seg, ...e.interval } : { value: e.seg, ...e.segInterval };
}

function conservative(e: SampleEfficiency | SegAtBudget): Bracket {
  return atBudget(e) ? { value: e.seg, ...e.interval } : { value: e.fallbackSeg, ...e.fallbackSegInterval };
}

/** "<label>: SEG ... [interval], h/R runs hit" (or SEG_n for SEG_B): the numbers a verdict rests on. */
function facts(result: PoolResult, target: string): string {
  const e = result.efficiency[target]!;
  if (atBudget(e)) return `${result.label}: SEG_${e.queries} ${formatValue(e.seg)} ${formatInterval(e.interval)}, R = ${e.runs}`;
  return `${result.label}: ${formatSeg(e)}, ${formatHits(e)}`;
}

/**
 * The runs that would take an interval (half-width `spread` at R runs) off a threshold `gap`
 * away: half-widths shrink as 1/sqrt(R). Undefined when no number of runs can (no gap).
 */
function runsToSeparate(runs: number, spread: number, gap: number): number | undefined {
  if (!(gap > 0) || !(spread > 0)) return undefined;
  return Math.ceil(runs * (spread / gap) ** 2);
}

/** A verdict resting on these configurations' numbers (and a note on them together). */
function verdict(target: string, status: Status, evidence: readonly PoolResult[], conclusion: string, note?: string): TargetVerdict {
  const numbers = [...evidence.map((p) => facts(p, target)), ...(note === undefined ? [] : [note])].join("; ");
  return { target, status, evidence, conclusion, ...(note === undefined ? {} : { note }), reason: numbers === "" ? conclusion : `${numbers}: ${conclusion}` };
}

/** A verdict that cannot be judged for lack of data. */
function unjudged(target: string, why: string): TargetVerdict {
  return verdict(target, "inconclusive", [], why);
}

/** An inconclusive verdict, with the runs that would decide it when SEG_B is judged and more runs can. */
function inconclusive(target: string, evidence: readonly PoolResult[], conclusion: string, runs?: number, note?: string): TargetVerdict {
  return runs === undefined || target !== AT_BUDGET
    ? verdict(target, "inconclusive", evidence, conclusion, note)
    : { ...verdict(target, "inconclusive", evidence, `${conclusion}; about R = ${runs} runs per configuration would decide it`, note), runsNeeded: runs };
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
  if (missing !== undefined) return unjudged(target, missing);
  const e = context.full!.efficiency[target]!;
  const [low, high] = [conservative(e), optimistic(e)];
  const evidence = [context.full!];
  if (low.value >= rules.c1MinSeg && low.low > 1) {
    return verdict(target, "holds", evidence, `the full pool's SEG is at least ${rules.c1MinSeg} with its interval above 1`);
  }
  if (high.value < rules.c1MinSeg || high.high <= 1) {
    return verdict(target, "does not hold", evidence, `the full pool's SEG is below ${rules.c1MinSeg} or not above 1, even as an upper bound`);
  }
  // Decided by more runs: the interval off 1 (the estimate is at least the threshold) or off the threshold (it is below).
  const runs = low.value >= rules.c1MinSeg ? runsToSeparate(e.runs, low.value - low.low, low.value - 1) : runsToSeparate(e.runs, high.high - high.value, rules.c1MinSeg - high.value);
  const threshold = low.value >= rules.c1MinSeg ? 1 : rules.c1MinSeg;
  return inconclusive(target, evidence, `${target === AT_BUDGET ? "the interval of the full pool's SEG" : "censoring"} leaves it on both sides of ${threshold}`, runs);
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
  if (missing !== undefined) return unjudged(target, missing);
  const small = smallPools(context, (pool) => pool === "random");
  if (small.length === 0) return unjudged(target, `no random pool at ${smallLimit(context)} with ${rules.minRuns} or more runs`);
  const full = context.full!.efficiency[target]!;
  const [fullLow, fullHigh] = [conservative(full), optimistic(full)];
  const trend = randomPoolTrend(context);
  const evidence = [context.full!, ...small];
  const wellBelow = small.every((p) => {
    const high = optimistic(p.efficiency[target]!);
    return high.value <= rules.c2MaxShare * fullLow.value && high.high < fullLow.low;
  });
  const notBelow = small.filter((p) => conservative(p.efficiency[target]!).value > rules.c2MaxShare * fullHigh.value);
  if (notBelow.length > 0) {
    return verdict(target, "does not hold", evidence, `${formatList(notBelow.map((p) => p.label))} keep${notBelow.length === 1 ? "s" : ""} more than ${rules.c2MaxShare} of the full pool's SEG`, trend.text);
  }
  if (wellBelow && trend.rho !== undefined && !(trend.rho > 0)) return verdict(target, "does not hold", evidence, "the SEG of the random pools does not rise with S", trend.text);
  if (wellBelow) {
    return verdict(target, "holds", evidence, `every random pool at ${smallLimit(context)} is at most ${rules.c2MaxShare} of the full pool, intervals apart, and the SEG rises with S`, trend.text);
  }
  // Decided by more runs: the random pools' intervals apart from the full pool's.
  const spread = fullLow.value - fullLow.low;
  const runs = small
    .map((p) => {
      const high = optimistic(p.efficiency[target]!);
      return runsToSeparate(Math.min(p.efficiency[target]!.runs, full.runs), spread + (high.high - high.value), fullLow.value - high.value);
    })
    .reduce<number | undefined>((most, r) => (r === undefined || most === undefined ? undefined : Math.max(most, r)), 0);
  return inconclusive(target, evidence, `the random pools' intervals overlap the full pool's${target === AT_BUDGET ? "" : ", or censoring leaves the ratio undecided"}`, runs, trend.text);
}

/**
 * Spearman's rho between S and SEG over the random pools, with its text (none with fewer than two
 * pools: then the comparison with the full pool is the trend).
 */
function randomPoolTrend(context: Context): { rho?: number; text?: string } {
  const points = context.pools.filter((p) => p.pool === "random" && p.efficiency[context.target]!.runs >= context.rules.minRuns);
  if (points.length < 2) return {};
  const rho = spearmanRho(
    points.map((p) => p.poolSize),
    points.map((p) => p.efficiency[context.target]!.seg),
  );
  return { rho, text: `Spearman's rho of SEG with S over the random pools: ${rho.toFixed(2)}` };
}

function judgeC3(context: Context): TargetVerdict {
  const { rules, target } = context;
  const missing = missingFull(context);
  if (missing !== undefined) return unjudged(target, missing);
  const small = smallPools(context, (pool) => pool !== "random" && pool !== "full");
  if (small.length === 0) return unjudged(target, `no smart pool at ${smallLimit(context)} with ${rules.minRuns} or more runs`);
  const full = context.full!.efficiency[target]!;
  const [fullLow, fullHigh] = [conservative(full), optimistic(full)];
  const regains = small.filter((p) => {
    const low = conservative(p.efficiency[target]!);
    return low.value >= rules.c3MinShare * fullHigh.value || low.high >= fullHigh.low;
  });
  if (regains.length > 0) {
    const who = `${formatList(regains.map((p) => p.label))} ${regains.length === 1 ? "reaches" : "each reach"}`;
    return verdict(target, "holds", [context.full!, ...regains], `${who} ${rules.c3MinShare} of the full pool's SEG or its interval (${formatInterval(fullHigh)})`);
  }
  const fallsShort = small.every((p) => {
    const high = optimistic(p.efficiency[target]!);
    return high.value < rules.c3MinShare * fullLow.value && high.high < fullLow.low;
  });
  const evidence = [context.full!, ...small];
  if (fallsShort) return verdict(target, "does not hold", evidence, `every smart pool at ${smallLimit(context)} stays below ${rules.c3MinShare} of the full pool, intervals apart`);
  return verdict(target, "inconclusive", evidence, "the smart pools' intervals overlap the full pool's, or censoring leaves the ratio undecided");
}

const JUDGES: Readonly<Record<Claim, (context: Context) => TargetVerdict>> = { C1: judgeC1, C2: judgeC2, C3: judgeC3 };

/** Whether the hit-based verdicts say what SEG_B's does (inconclusive ones say nothing). */
function agreement(primary: TargetVerdict, targets: readonly TargetVerdict[]): string {
  const decided = targets.filter((t) => t.status !== "inconclusive");
  const differing = decided.filter((t) => t.status !== primary.status);
  if (decided.length === 0) return "the hit-based SEGs decide nothing (censoring)";
  if (differing.length === 0) return "the hit-based SEGs that decide agree";
  return `the hit-based SEG differs on ${differing.map((t) => `${t.target} (${t.status})`).join(", ")}`;
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
      atBudget: unjudged(AT_BUDGET, "no predictor-based runs"),
      targets: rules.targets.map((target) => unjudged(target, "no predictor-based runs")),
      agreement: "",
    }));
  }
  return predictors.flatMap((predictor) => {
    const own = pools.filter((p) => p.predictor === predictor);
    return (Object.keys(JUDGES) as Claim[]).map((claim) => {
      const judge = (target: string) => JUDGES[claim]({ rules, spaceSize, target, full: fullPool(own, target), pools: own });
      const primary = judge(AT_BUDGET);
      const targets = rules.targets.map(judge);
      return { claim, predictor, status: primary.status, atBudget: primary, targets, agreement: agreement(primary, targets) };
    });
  });
}
