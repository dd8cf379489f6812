/**
 * What the report says, as document blocks: the verdicts first (what a reader came for), then how
 * the study was run, the targets, the SEG tables and plots, the best architecture after 150
 * queries against the field's figures, and the regret curves. Pure: numbers in, blocks out.
 */
import type { StudyAnalysis, ConfigurationResult } from "../statistics/analysis.js";
import type { BootstrapOptions } from "../statistics/bootstrap.js";
import { baseLabel } from "../statistics/configurations.js";
import type { Block, Text } from "./document.js";
import type { PeerFigures } from "../spaces/types.js";
import { againstBest, fieldBest, peerFigureFor, testError } from "./field.js";
import { formatAccuracy, formatCount, formatInterval, formatPercent, formatValue, plural } from "../statistics/format.js";
import type { StudyPlan } from "../study/plan.js";
import type { TargetSet } from "../statistics/targets.js";
import { CLAIMS, type Claim, type Verdict, type VerdictRules } from "../verdicts/verdict.js";

export interface RenderedFigure {
  readonly file: string;
  readonly title: string;
  readonly caption: string;
  readonly svg: string;
}

export interface ReportInput {
  readonly title: string;
  /** What the truth of the space is, in words ("mean test accuracy"). */
  readonly truthLabel: string;
  /** The field's figures on the space. */
  readonly peers?: PeerFigures;
  readonly analysis: StudyAnalysis;
  readonly verdicts: readonly Verdict[];
  readonly rules: Required<VerdictRules>;
  readonly bootstrap: Required<BootstrapOptions>;
  readonly plan?: StudyPlan;
  /** Problems met reading the study (skipped lines, an unreadable plan). */
  readonly warnings: readonly string[];
  readonly generated: Date;
  readonly segFigures: readonly RenderedFigure[];
  readonly regretFigure?: RenderedFigure;
}

/** Seeds as ranges: 0–29, 31, 40–41. */
function seedRanges(seeds: readonly number[]): string {
  const sorted = [...new Set(seeds)].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    ranges.push(i === j ? `${sorted[i]}` : `${sorted[i]}–${sorted[j]}`);
    i = j + 1;
  }
  return ranges.join(", ");
}

function targetLabel(analysis: StudyAnalysis, id: string): string {
  return analysis.targets.find((t) => t.id === id)?.label ?? id;
}

function summary({ analysis, verdicts, rules }: ReportInput): Block[] {
  const blocks: Block[] = [{ kind: "heading", level: 2, text: "Summary: do the claims hold?", id: "summary" }];
  const small = formatPercent(rules.smallPoolFraction);
  blocks.push({
    kind: "paragraph",
    text:
      "Judged on SEG at the budget, SEG_B (censoring-free), by the rules of docs/study.md " +
      `(C1: the full pool's SEG_B at least ${rules.c1MinSeg} with its interval above 1; C2: every random pool at S ≤ ${small} of the space at most ${rules.c2MaxShare} ` +
      `of the full pool's SEG_B, intervals apart, and SEG_B rising with S; C3: some smart pool at S ≤ ${small} of the space at least ${rules.c3MinShare} of it or its interval reaching ` +
      "the full pool's). A verdict is inconclusive only when an interval straddles a threshold, and then says about how many runs per configuration would decide it. " +
      `The hit-based SEG on the ${rules.targets.map((t) => targetLabel(analysis, t)).join(" and ")} targets is judged by the same rules beside it (with censored runs it is only bracketed ` +
      `between an upper bound and a random-search fallback). Configurations with fewer than ${rules.minRuns} runs are not used.`,
  });
  for (const claim of Object.keys(CLAIMS) as Claim[]) {
    blocks.push({ kind: "heading", level: 3, text: `${claim}: ${CLAIMS[claim]}` });
    for (const verdict of verdicts.filter((v) => v.claim === claim)) {
      blocks.push({ kind: "paragraph", text: [`Predictor ${verdict.predictor}: `, { status: verdict.status }, ` ${verdict.atBudget.reason}.`] });
      blocks.push({
        kind: "list",
        items: [
          ...verdict.targets.map((t): Text => [{ strong: targetLabel(analysis, t.target) }, " ", { status: t.status }, ` ${t.reason}.`]),
          ...(verdict.agreement === "" ? [] : [`Beside SEG_B: ${verdict.agreement}.`]),
        ],
      });
    }
  }
  return blocks;
}

function atBudgetTables({ analysis }: ReportInput): Block[] {
  const budgets = [...new Set(analysis.configurations.flatMap((r) => r.atBudget.map((a) => a.queries)))].sort((a, b) => a - b);
  const blocks: Block[] = [
    { kind: "heading", level: 2, text: "SEG at a budget", id: "seg-at-budget" },
    {
      kind: "paragraph",
      text:
        "SEG_n = n_RS(q(n)) / n: q(n) is the mean over runs of the truth of the architecture a run returns after n queries (the best by observed value), " +
        "n_RS(q) the exact number of queries random search needs to return, in expectation, as good an architecture (log-linear between integers). " +
        "It needs no target set and no run is censored. Intervals: 95% percentile bootstrap over runs.",
    },
  ];
  for (const n of budgets) {
    const rows = analysis.configurations.flatMap((r) => {
      const a = r.atBudget.find((x) => x.queries === n);
      return a === undefined ? [] : [[r.configuration.label, formatCount(a.runs), formatAccuracy(a.meanBestTruth), formatValue(a.randomSearchQueries), `${formatValue(a.seg)} ${formatInterval(a.interval)}`]];
    });
    blocks.push({ kind: "heading", level: 3, text: `n = ${formatCount(n)}` });
    blocks.push({ kind: "table", header: ["configuration", "R", `q(${n})`, "n_RS", `SEG_${n} [95% interval]`], numeric: [false, true, true, true, true], rows });
  }
  return blocks;
}

/** What the study lacks: planned configurations without runs, runs short of the plan, configurations too small for the verdicts. */
function shortfalls({ analysis, plan, rules }: ReportInput): Text[] {
  const notes: Text[] = [];
  const configurations = analysis.configurations.map((r) => r.configuration);
  if (plan !== undefined) {
    const found = new Map(configurations.map((c) => [c.key, c.runs.length]));
    const missing = [...plan.runs].filter(([key]) => !found.has(key)).map(([, planned]) => `${baseLabel(planned)} (${planned.count} planned)`);
    if (missing.length > 0) notes.push(`No runs yet: ${missing.join("; ")}.`);
    const short = configurations.filter((c) => c.runs.length < (plan.runs.get(c.key)?.count ?? 0));
    if (short.length > 0) notes.push(`Fewer runs than planned: ${short.length} of ${configurations.length} configurations (the table's R against planned).`);
  }
  const small = configurations.filter((c) => c.runs.length < rules.minRuns);
  if (small.length > 0) notes.push(`Fewer than ${rules.minRuns} runs, so not used in the verdicts: ${small.map((c) => `${c.label} (${plural(c.runs.length, "run")})`).join("; ")}.`);
  return notes;
}

function howRun(input: ReportInput, recordCount: number): Block[] {
  const { analysis, plan, bootstrap, warnings, generated, truthLabel } = input;
  const configurations = analysis.configurations.map((r) => r.configuration);
  const objectives = [...new Set(configurations.map((c) => c.objective))];
  const allSeeds = configurations.flatMap((c) => c.runs.map((run) => run.seed));
  const facts: Text[] = [
    `Search space: ${configurations[0]?.runs[0]?.space ?? "?"}, |A| = ${formatCount(analysis.spaceSize)} architectures; global optimum f(a*) = ${analysis.optimum.toFixed(6)} ${truthLabel}.`,
    `Objective observed by the searches: ${objectives.join(", ") || "none"}; targets, regret and accuracies are judged on the ${truthLabel} (the truth).`,
    `${formatCount(recordCount)} runs in ${configurations.length} configurations; seeds ${allSeeds.length === 0 ? "none" : seedRanges(allSeeds)} (the same seeds for every configuration, so that all start from the same initial architectures).`,
    `Intervals: 95% percentile bootstrap over runs, ${formatCount(bootstrap.resamples)} resamples, seed ${bootstrap.seed}.`,
    `Study ${plan === undefined ? "plan not recorded (no study.json)" : `'${plan.name}'${plan.description === "" ? "" : ` (${plan.description})`}${plan.updated === undefined ? "" : `, last started ${plan.updated}`}`}; report written ${generated.toISOString()}.`,
  ];
  const blocks: Block[] = [
    { kind: "heading", level: 2, text: "How the study was run", id: "setup" },
    { kind: "list", items: facts },
    {
      kind: "table",
      header: ["configuration", "runs R", "planned", "seeds", "budget B", "objective"],
      numeric: [false, true, true, false, true, false],
      rows: configurations.map((c) => [
        c.label,
        formatCount(c.runs.length),
        plan?.runs.get(c.key) === undefined ? "–" : formatCount(plan.runs.get(c.key)!.count),
        seedRanges(c.runs.map((run) => run.seed)),
        formatCount(c.budget),
        c.objective,
      ]),
    },
  ];
  const notes = [...shortfalls(input), ...warnings];
  if (notes.length > 0) blocks.push({ kind: "paragraph", text: [{ strong: "Partial data." }, " The numbers below rest on what was found:"] }, { kind: "list", items: notes });
  return blocks;
}

function targetsTable(input: ReportInput): Block[] {
  const { analysis } = input;
  return [
    { kind: "heading", level: 2, text: "Targets", id: "targets" },
    {
      kind: "paragraph",
      text: "A query hits a target when its true accuracy is at least the k-th best of the space; ties at the threshold are in the target, so |T| can exceed k. E[N_RS] = (|A| + 1) / (|T| + 1) is the exact mean number of queries random search without replacement needs.",
    },
    {
      kind: "table",
      header: ["target", "k", "|T|", `threshold (${input.truthLabel})`, "E[N_RS]"],
      numeric: [false, true, true, true, true],
      rows: analysis.targets.map((t) => [t.label, formatCount(t.rank), formatCount(t.size), t.threshold.toFixed(6), formatValue(t.randomSearchQueries)]),
    },
  ];
}

function segNote(r: ConfigurationResult, target: TargetSet, minRuns: number): string {
  const e = r.efficiency[target.id]!;
  const notes: string[] = [];
  if (e.hits === 0) notes.push("all censored: SEG ≤ E[N_RS] / B");
  else if (e.upperBound) notes.push(`upper bound (${e.runs - e.hits}/${e.runs} censored)`);
  if (e.runs < minRuns) notes.push(`only ${plural(e.runs, "run")}`);
  return notes.join("; ");
}

function segTables({ analysis, rules }: ReportInput): Block[] {
  const blocks: Block[] = [
    { kind: "heading", level: 2, text: "Sample efficiency gain on target sets (hit-based)", id: "seg" },
    {
      kind: "paragraph",
      text:
        "SEG = E[N_RS] / E[N_X], N_X being the query count at which a run first hits the target. E[N_X] is the Kaplan-Meier restricted mean up to the budget B, " +
        "which counts runs that never hit (censored) instead of dropping them; with censored runs it underestimates E[N_X], so the SEG is an upper bound (marked ≤). " +
        "The fallback SEG assumes censored runs go on as random search after B: a conservative companion, equal to the SEG when every run hits. Intervals: 95% percentile bootstrap over runs.",
    },
  ];
  for (const target of analysis.targets) {
    blocks.push({ kind: "heading", level: 3, text: `${target.label} (|T| = ${formatCount(target.size)}, E[N_RS] = ${formatValue(target.randomSearchQueries)})` });
    blocks.push({
      kind: "table",
      header: ["configuration", "R", "hit rate", "E[N_X]", "SEG [95% interval]", "fallback SEG [95% interval]", "note"],
      numeric: [false, true, true, true, true, true, false],
      rows: analysis.configurations.map((r) => {
        const e = r.efficiency[target.id]!;
        return [
          r.configuration.label,
          formatCount(e.runs),
          `${formatPercent(e.hitRate)} (${e.hits}/${e.runs})`,
          `${e.upperBound ? "≥ " : ""}${formatValue(e.meanQueries)}`,
          `${e.upperBound ? "≤ " : ""}${formatValue(e.seg)} ${formatInterval(e.segInterval)}`,
          `${formatValue(e.fallbackSeg)} ${formatInterval(e.fallbackSegInterval)}`,
          segNote(r, target, rules.minRuns),
        ];
      }),
    });
  }
  return blocks;
}

function figureBlock(figure: RenderedFigure): Block {
  return { kind: "figure", ...figure };
}

function segPlots({ analysis, segFigures }: ReportInput): Block[] {
  const blocks: Block[] = [{ kind: "heading", level: 2, text: "SEG against pool size", id: "seg-plots" }];
  if (!analysis.configurations.some((r) => r.configuration.method === "predictor")) {
    return [...blocks, { kind: "paragraph", text: "No predictor-based runs yet: nothing to plot." }];
  }
  return [...blocks, ...segFigures.map(figureBlock)];
}

function bestFound({ analysis, truthLabel, peers }: ReportInput): Block[] {
  const after = Math.min(...analysis.configurations.map((r) => r.bestFound.afterQueries));
  const withTest = analysis.configurations.some((r) => r.bestFound.meanTest !== undefined);
  const best = fieldBest(peers);
  const rows = analysis.configurations.map((r) => {
    const b = r.bestFound;
    const field = peerFigureFor(peers, r.configuration.method);
    const se = Number.isFinite(b.standardError) ? ` ± ${formatAccuracy(b.standardError)}` : "";
    return [
      r.configuration.label,
      formatCount(b.runs),
      b.afterQueries === 150 ? "150" : `${b.afterQueries} (budget)`,
      `${formatAccuracy(b.meanTruth)}${se}`,
      `${(100 * (1 - b.meanTruth)).toFixed(3)}%`,
      `${b.optimumFound}/${b.runs}`,
      ...(withTest ? [b.meanTest === undefined ? "" : formatAccuracy(b.meanTest)] : []),
      field === undefined ? "" : `${field.testErrorPercent.toFixed(3)}% (${field.protocol})`,
      ...(best === undefined ? [] : [againstBest(testError(b), best)]),
    ];
  });
  return [
    { kind: "heading", level: 2, text: "Best architecture after 150 queries", id: "best" },
    {
      kind: "paragraph",
      text:
        `Each run returns the architecture with the best observed value among its first 150 queries (a search cannot see the truth); the table gives its true ${truthLabel}, ` +
        `averaged over runs (± standard error), the matching error, and how many runs returned the global optimum${withTest ? ", and the mean test accuracy of the returned architectures" : ""}.` +
        (best === undefined ? "" : ` The last column sets the mean test error beside the field's lowest published figure on this space, whatever its method.`) +
        (after < 150 ? ` Configurations whose budget is below 150 are judged at their budget.` : ""),
    },
    {
      kind: "table",
      header: [
        "configuration",
        "R",
        "after queries",
        `mean best (${truthLabel})`,
        "error",
        "optimum found",
        ...(withTest ? ["its mean test accuracy"] : []),
        "field (test error)",
        ...(best === undefined ? [] : [`against the field's best (${best.label}, ${best.testErrorPercent.toFixed(3)}%, ${best.protocol})`]),
      ],
      numeric: [false, true, true, true, true, true, ...(withTest ? [true] : []), false, ...(best === undefined ? [] : [false])],
      rows,
    },
    {
      kind: "paragraph",
      text:
        `Exactly, random search without replacement, uniform over the ${formatCount(analysis.spaceSize)} unique architectures and observing the truth, returns after ` +
        `${analysis.randomSearchBest.afterQueries} queries an architecture of expected ${truthLabel} ${formatAccuracy(analysis.randomSearchBest.truth)} ` +
        `(error ${formatPercent(1 - analysis.randomSearchBest.truth, 3)}): prednas's random search samples this way, so its row should agree within its standard error.`,
    },
    ...peerBlocks(peers),
  ];
}

function peerBlocks(peers: PeerFigures | undefined): Block[] {
  if (peers === undefined || (peers.figures.length === 0 && peers.notes.length === 0)) return [];
  return [
    { kind: "heading", level: 3, text: `The field's figures (test error after ${peers.afterQueries} queries)` },
    ...(peers.figures.length === 0
      ? []
      : [
          {
            kind: "table" as const,
            header: ["method", "test error", "protocol"],
            numeric: [false, true, false],
            rows: peers.figures.map((f) => [f.label, `${f.testErrorPercent.toFixed(3)}%`, peers.protocols[f.protocol] ?? f.protocol]),
          },
        ]),
    ...(peers.notes.length === 0 ? [] : [{ kind: "list" as const, items: peers.notes }]),
  ];
}

function regret({ regretFigure }: ReportInput): Block[] {
  return [{ kind: "heading", level: 2, text: "Regret against queries", id: "regret" }, regretFigure === undefined ? { kind: "paragraph", text: "No runs: nothing to plot." } : figureBlock(regretFigure)];
}

export function reportBlocks(input: ReportInput): Block[] {
  const recordCount = input.analysis.configurations.reduce((sum, r) => sum + r.configuration.runs.length, 0);
  const intro: Block[] = [
    { kind: "heading", level: 1, text: input.title },
    {
      kind: "paragraph",
      text:
        recordCount === 0
          ? "No complete runs were found: the study has not produced results yet."
          : `Sample efficiency of predictor-based NAS with candidate pools, from ${formatCount(recordCount)} runs. docs/study.md defines every quantity and rule used here.`,
    },
  ];
  return [...intro, ...summary(input), ...howRun(input, recordCount), ...atBudgetTables(input), ...targetsTable(input), ...segTables(input), ...segPlots(input), ...bestFound(input), ...regret(input)];
}
