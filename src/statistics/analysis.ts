/**
 * The numbers of a study: for every configuration, its sample efficiency for every target, its
 * mean regret curve, and the true accuracy of what it returns after 150 queries (or its budget). Pure: it takes
 * the run records and the truths of the whole space, and the report only formats what it returns.
 */
import { max } from "simple-statistics";
import type { RunRecord } from "../search/record.js";
import type { BootstrapOptions } from "./bootstrap.js";
import { groupByConfiguration, type Configuration } from "./configurations.js";
import { RandomSearchCurve } from "./randomSearchCurve.js";
import { bestFoundAfter, meanRegretCurve, type BestFound, type MeanCurve } from "./regret.js";
import { reportedBudgets, segAtBudgets, type SegAtBudget } from "./segAtBudget.js";
import { sampleEfficiency, type SampleEfficiency } from "./seg.js";
import { firstHit } from "./survival.js";
import { STUDY_TARGETS, targetSets, type TargetSet, type TargetSpec } from "./targets.js";

export interface AnalysisOptions {
  readonly targets?: readonly TargetSpec[];
  /** The percentile bootstrap of every SEG interval (2,000 resamples, seed 0 by default). */
  readonly bootstrap?: BootstrapOptions;
  /** The query count of the best-found figure (the literature quotes 150). */
  readonly bestAfterQueries?: number;
}

export interface ConfigurationResult {
  readonly configuration: Configuration;
  /** By target id. */
  readonly efficiency: Readonly<Record<string, SampleEfficiency>>;
  /** SEG at 50, 100, 150 queries and the budget (those within it), the last at the budget: SEG_B. */
  readonly atBudget: readonly SegAtBudget[];
  readonly regret: MeanCurve;
  readonly bestFound: BestFound;
}

export interface StudyAnalysis {
  readonly spaceSize: number;
  /** f(a*): the best truth of the space. */
  readonly optimum: number;
  readonly targets: readonly TargetSet[];
  readonly configurations: readonly ConfigurationResult[];
  /** The query count the best found is judged after, when a configuration's budget allows (the literature's 150). */
  readonly bestAfterQueries: number;
  /** The exact expected truth of random search's best after `bestAfterQueries` queries, when it observes the truth. */
  readonly randomSearchBest: { readonly afterQueries: number; readonly truth: number };
}

export function analyseStudy(records: readonly RunRecord[], truths: ArrayLike<number>, options: AnalysisOptions = {}): StudyAnalysis {
  const targets = targetSets(truths, options.targets ?? STUDY_TARGETS);
  const bestAfterQueries = options.bestAfterQueries ?? 150;
  const optimum = max(Array.from(truths));
  const curve = new RandomSearchCurve(truths);
  const configurations = groupByConfiguration(records).map((configuration): ConfigurationResult => {
    const { runs, budget } = configuration;
    const efficiency = Object.fromEntries(
      targets.map((target) => [target.id, sampleEfficiency(runs.map((run) => firstHit(run.queries, target.threshold)), target, budget, options.bootstrap)]),
    );
    return {
      configuration,
      efficiency,
      atBudget: segAtBudgets(runs, reportedBudgets(budget), curve, options.bootstrap),
      regret: meanRegretCurve(runs, optimum, budget),
      bestFound: bestFoundAfter(runs, optimum, bestAfterQueries),
    };
  });
  // Random search's exact figure at the query count prednas's random search was judged at (its budget when below the literature's), to set beside it.
  const judged = configurations.find((r) => r.configuration.method === "random") ?? configurations[0];
  const randomAfter = Math.min(truths.length, judged?.bestFound.afterQueries ?? bestAfterQueries);
  return {
    spaceSize: truths.length,
    optimum,
    targets,
    configurations,
    bestAfterQueries,
    randomSearchBest: { afterQueries: randomAfter, truth: curve.expectedBest(randomAfter) },
  };
}
