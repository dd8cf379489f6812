/**
 * DIR/summary.json: the report in machine-readable form (docs/study.md, "summary.json"): the
 * study's problem and budget; per configuration its method, predictor, pool, S (absent for the
 * full pool), runs, SEG at each reported budget with its interval, the mean truth of the
 * returned architecture after those queries, and the hit rate and hit-based SEG per target; and
 * the verdicts, one per claim and predictor.
 */
import type { StudyAnalysis } from "../statistics/analysis.js";
import type { Status, Verdict } from "../verdicts/verdict.js";

export const SUMMARY_FILE = "summary.json";

/** The verdict words of summary.json. */
const VERDICT_WORDS: Readonly<Record<Status, "holds" | "fails" | "inconclusive">> = { holds: "holds", "does not hold": "fails", inconclusive: "inconclusive" };

export interface SummaryContext {
  readonly study: string;
  readonly space: string;
  readonly dataset?: string;
  readonly objectives: readonly string[];
  readonly truth: string;
}

export function studySummary(analysis: StudyAnalysis, verdicts: readonly Verdict[], context: SummaryContext): unknown {
  const byQueries = <T>(entries: readonly { queries: number }[], value: (entry: never) => T) =>
    Object.fromEntries(entries.map((entry) => [String(entry.queries), value(entry as never)]));
  return {
    study: context.study,
    space: context.space,
    ...(context.dataset === undefined ? {} : { dataset: context.dataset }),
    objective: context.objectives.length === 1 ? context.objectives[0] : context.objectives,
    truth: context.truth,
    budget: Math.max(0, ...analysis.configurations.map((r) => r.configuration.budget)),
    spaceSize: analysis.spaceSize,
    optimum: analysis.optimum,
    configurations: analysis.configurations.map(({ configuration: c, atBudget, efficiency, bestFound }) => ({
      label: c.label,
      method: c.method,
      ...(c.predictor === undefined ? {} : { predictor: c.predictor }),
      ...(c.pool === undefined ? {} : { pool: c.pool }),
      ...(c.pool === undefined || c.pool === "full" || c.poolSize === undefined ? {} : { poolSize: c.poolSize }),
      runs: c.runs.length,
      budget: c.budget,
      segAtBudget: byQueries(atBudget, (a: (typeof atBudget)[number]) => ({ seg: a.seg, low: a.interval.low, high: a.interval.high })),
      meanBestTruth: byQueries(atBudget, (a: (typeof atBudget)[number]) => a.meanBestTruth),
      ...(bestFound.meanTest === undefined ? {} : { meanBestTest: { [String(bestFound.afterQueries)]: bestFound.meanTest } }),
      hitRate: Object.fromEntries(Object.entries(efficiency).map(([target, e]) => [target, e.hitRate])),
      hitBasedSeg: Object.fromEntries(
        Object.entries(efficiency).map(([target, e]) => [
          target,
          { seg: e.seg, low: e.segInterval.low, high: e.segInterval.high, upperBound: e.upperBound, fallbackSeg: e.fallbackSeg, fallbackLow: e.fallbackSegInterval.low, fallbackHigh: e.fallbackSegInterval.high },
        ]),
      ),
    })),
    verdicts: verdicts.map((v) => ({
      claim: v.claim,
      predictor: v.predictor,
      verdict: VERDICT_WORDS[v.status],
      why: v.atBudget.reason,
      ...(v.atBudget.runsNeeded === undefined ? {} : { runsNeeded: v.atBudget.runsNeeded }),
      hitBased: v.targets.map((t) => ({ target: t.target, verdict: VERDICT_WORDS[t.status], why: t.reason })),
      agreement: v.agreement,
    })),
  };
}
