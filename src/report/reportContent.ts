/**
 * What the report says, as document blocks: what a reader came for first (the best architectures
 * the searches found, then the verdicts, each term defined where it is first used), then how the
 * study was run, the targets, the SEG tables and plots, the mean best architecture per
 * configuration against the field's figures, and the regret curves. Pure: numbers in, blocks out.
 */
import type { StudyAnalysis, ConfigurationResult } from "../statistics/analysis.js";
import type { BootstrapOptions } from "../statistics/bootstrap.js";
import { baseLabel } from "../statistics/configurations.js";
import type { Block, Text } from "./document.js";
import type { PeerFigures } from "../spaces/types.js";
import { againstBest, fieldBest, peerFigureFor, testError } from "./field.js";
import { formatAccuracy, formatCount, formatInterval, formatList, formatPercent, formatValue, plural } from "../statistics/format.js";
import type { StudyPlan } from "../study/plan.js";
import type { TargetSet } from "../statistics/targets.js";
import { AT_BUDGET, CLAIMS, type Claim, type TargetVerdict, type Verdict, type VerdictRules } from "../verdicts/verdict.js";
import type { FoundArchitecture } from "./bestArchitectures.js";

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
  /** The predictor-based configurations' budget B: the verdicts are judged on SEG_B (0 without such runs). */
  readonly budget: number;
  /** The best architectures the runs returned, best first, each with the space's description of it as readable lines. */
  readonly best: readonly (FoundArchitecture & { readonly description: string })[];
  readonly verdicts: readonly Verdict[];
  readonly rules: Required<VerdictRules>;
  readonly bootstrap: Required<BootstrapOptions>;
  readonly plan?: StudyPlan;
  /** Problems met reading the study (skipped lines, an unreadable plan). */
  readonly warnings: readonly string[];
  readonly generated: Date;
  readonly segFigures: readonly RenderedFigure[];
  /** Targets without a SEG figure: no predictor-based run hit them, so there is nothing but bounds to draw. */
  readonly unplotted: readonly TargetSet[];
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

/** A verdict's text with the target ids it names ("top-0.1pct") written as their labels ("top 0.1%"). */
function targetLabels(analysis: StudyAnalysis, text: string): string {
  return analysis.targets.reduce((written, t) => written.replaceAll(t.id, t.label), text);
}

/** The numbers of a hit-based SEG in a cell: the estimate, "≤" when it is only an upper bound, and its interval. */
function segCell(value: number, interval: { readonly low: number; readonly high: number }, upperBound = false): string {
  return `${upperBound ? "≤ " : ""}${formatValue(value)} ${formatInterval(interval)}`;
}

/** SEG at the budget by its name in the study: SEG_150, or SEG_B without predictor-based runs. */
function segB(budget: number): string {
  return budget > 0 ? `SEG_${budget}` : "SEG_B";
}

/** What a verdict line calls an estimate: SEG_B's name, or the target's label. */
function estimateName(analysis: StudyAnalysis, target: string, budget: number): string {
  return target === AT_BUDGET ? segB(budget) : `${targetLabel(analysis, target)} SEG`;
}

/**
 * The numbers one claim's verdict for one predictor rests on, one row per configuration: SEG_B,
 * and per target the runs that hit it, the SEG and the SEG with the random-search fallback.
 */
function evidenceTable({ analysis, rules }: ReportInput, verdict: Verdict, budget: number): Block[] {
  const labels = new Set([verdict.atBudget, ...verdict.targets].flatMap((t) => t.evidence.map((p) => p.label)));
  const results = analysis.configurations.filter((r) => labels.has(r.configuration.label));
  if (results.length === 0) return [];
  const targets = rules.targets.filter((t) => analysis.targets.some((x) => x.id === t));
  return [
    {
      kind: "table",
      header: ["configuration", "R", `${segB(budget)} [95%]`, ...targets.flatMap((t) => [`${targetLabel(analysis, t)}: runs hit`, "SEG [95%]", "fallback SEG [95%]"])],
      numeric: [false, true, true, ...targets.flatMap(() => [true, true, true])],
      rows: results.map((r) => {
        const b = r.atBudget.at(-1)!;
        return [
          withinPredictor(r.configuration.label, verdict.predictor),
          formatCount(b.runs),
          segCell(b.seg, b.interval),
          ...targets.flatMap((t) => {
            const e = r.efficiency[t]!;
            return [`${e.hits}/${e.runs}`, segCell(e.seg, e.segInterval, e.upperBound), e.upperBound ? segCell(e.fallbackSeg, e.fallbackSegInterval) : "same"];
          }),
        ];
      }),
    },
  ];
}

/** Configuration labels under a predictor's verdict, without the predictor it names already. */
function withinPredictor(text: string, predictor: string): string {
  return text.replaceAll(`predictor ${predictor} / `, "");
}

function verdictLine(analysis: StudyAnalysis, verdict: Verdict, t: TargetVerdict, budget: number): Text {
  const conclusion = withinPredictor(t.conclusion, verdict.predictor);
  return [{ strong: estimateName(analysis, t.target, budget) }, " ", { status: t.status }, `: ${conclusion}${t.note === undefined ? "" : ` (${t.note})`}.`];
}

/** The words the summary uses, each in a sentence or two, before the verdicts use them. */
function terms(input: ReportInput, budget: number): Block[] {
  const { analysis, rules } = input;
  const targets = formatList(rules.targets.map((t) => targetLabel(analysis, t)));
  return [
    { kind: "paragraph", text: "The words of the verdicts:" },
    {
      kind: "list",
      items: [
        [{ strong: "Pool, S" }, ": each iteration the predictor scores a pool of S candidate architectures and the best-scored are queried. The full pool is the whole space; a random pool is S architectures drawn at random; the smart pools (mutation, evolution, annealing, mixed) build their S candidates from the best architectures found so far."],
        [{ strong: "SEG" }, " (sample efficiency gain): how many times fewer queries a search needs than random search for an equally good result. 1 is random search's efficiency; 10 means ten times fewer queries."],
        [{ strong: segB(budget) }, ` (SEG at the budget): compares the architectures the runs return after their ${budget > 0 ? formatCount(budget) : "B"} queries with how many queries random search needs to return one as good on average. Every run counts fully, so it decides the verdicts.`],
        [{ strong: "Hit-based SEG" }, ` (on the ${targets} targets, the best architectures of the space): random search's expected queries to hit the target divided by the search's. A run that never hits within its budget is censored: its SEG is then only bracketed between an upper bound (marked ≤) and the `, { strong: "fallback SEG" }, ", which assumes the censored runs went on as random search."],
        [{ strong: "[low, high]" }, `: the 95% bootstrap interval over the runs; `, { strong: "R" }, ` is a configuration's number of runs (configurations with fewer than ${rules.minRuns} are not used).`],
      ],
    },
  ];
}

function summary(input: ReportInput): Block[] {
  const { analysis, verdicts, rules, budget } = input;
  const small = formatPercent(rules.smallPoolFraction);
  const blocks: Block[] = [{ kind: "heading", level: 2, text: "Summary: do the claims hold?", id: "summary" }, ...terms(input, budget)];
  blocks.push({
    kind: "paragraph",
    text:
      `The rules (docs/study.md gives the reasons): C1 holds when the full pool's ${segB(budget)} is at least ${rules.c1MinSeg} with its interval above 1; ` +
      `C2 when every random pool at S ≤ ${small} of the space has at most ${rules.c2MaxShare} of the full pool's ${segB(budget)}, intervals apart, and ${segB(budget)} rises with S; ` +
      `C3 when some smart pool at S ≤ ${small} of the space reaches ${rules.c3MinShare} of it, or its interval reaches the full pool's. ` +
      "A verdict is inconclusive only when an interval straddles a threshold, and then says about how many runs per configuration would decide it. " +
      "The hit-based SEGs are judged by the same rules beside it.",
  });
  for (const claim of Object.keys(CLAIMS) as Claim[]) {
    blocks.push({ kind: "heading", level: 3, text: `${claim}: ${CLAIMS[claim]}` });
    for (const verdict of verdicts.filter((v) => v.claim === claim)) {
      blocks.push({ kind: "paragraph", text: [`Predictor ${verdict.predictor}: `, { status: verdict.status }, ` (decided by ${segB(budget)}).`] });
      blocks.push(...evidenceTable(input, verdict, budget));
      blocks.push({
        kind: "list",
        items: [
          verdictLine(analysis, verdict, verdict.atBudget, budget),
          ...verdict.targets.map((t) => verdictLine(analysis, verdict, t, budget)),
          ...(verdict.agreement === "" ? [] : [`Beside ${segB(budget)}: ${targetLabels(analysis, verdict.agreement)}.`]),
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

/** "the global optimum", "the 2nd best of 423,624 architectures (top 0.001%)". */
function standing(rank: number, spaceSize: number): string {
  if (rank === 1) return "the global optimum";
  const ordinal = rank % 10 === 1 && rank % 100 !== 11 ? "st" : rank % 10 === 2 && rank % 100 !== 12 ? "nd" : rank % 10 === 3 && rank % 100 !== 13 ? "rd" : "th";
  const share = rank / spaceSize;
  return `the ${formatCount(rank)}${ordinal} best of ${formatCount(spaceSize)} (top ${formatPercent(share, share < 0.0001 ? 4 : share < 0.01 ? 3 : 1)})`;
}

/**
 * The answer first: the best architectures the runs returned, each with its truth, where it stands
 * in the whole space, which configuration and run returned it, and the architecture itself.
 */
function answer({ analysis, best, truthLabel }: ReportInput): Block[] {
  if (best.length === 0) return [];
  const runs = analysis.configurations.reduce((sum, r) => sum + r.configuration.runs.length, 0);
  const withTest = best.some((b) => b.test !== undefined);
  const blocks: Block[] = [
    { kind: "heading", level: 2, text: `The best architecture${best.length === 1 ? "" : "s"} found`, id: "answer" },
    {
      kind: "paragraph",
      text:
        `A run searches for the best architecture it can find within its budget of queries (evaluations) and returns the one it observed as best. ` +
        `These are the best of the architectures the ${formatCount(runs)} runs returned, ranked by their truth, the ${truthLabel}; "in the space" places each among all ` +
        `${formatCount(analysis.spaceSize)} architectures of the space (the global optimum scores ${formatAccuracy(analysis.optimum)}). "First returned by" names the configuration ` +
        "(a search method with all its options) and the run (its seed) that reached it in the fewest queries.",
    },
    {
      kind: "table",
      header: ["#", "truth", ...(withTest ? ["test accuracy"] : []), "in the space", "returned by", "first returned by", "at query"],
      numeric: [true, true, ...(withTest ? [true] : []), false, false, false, true],
      rows: best.map((b, i) => [
        `${i + 1}`,
        formatAccuracy(b.truth),
        ...(withTest ? [b.test === undefined ? "" : formatAccuracy(b.test)] : []),
        standing(b.rankInSpace, analysis.spaceSize),
        `${plural(b.runs, "run")} of ${plural(b.configurations, "configuration")}`,
        `${b.first.configuration}, seed ${b.first.seed}`,
        formatCount(b.first.query),
      ]),
    },
  ];
  return [...blocks, ...best.map((b, i): Block => ({ kind: "code", title: [{ strong: `#${i + 1}` }, ` (${formatAccuracy(b.truth)})`], text: b.description }))];
}

function figureBlock(figure: RenderedFigure): Block {
  return { kind: "figure", ...figure };
}

function segPlots({ analysis, segFigures, unplotted }: ReportInput): Block[] {
  const blocks: Block[] = [{ kind: "heading", level: 2, text: "SEG against pool size", id: "seg-plots" }];
  if (!analysis.configurations.some((r) => r.configuration.method === "predictor")) {
    return [...blocks, { kind: "paragraph", text: "No predictor-based runs yet: nothing to plot." }];
  }
  const none: Block[] =
    unplotted.length === 0
      ? []
      : [
          {
            kind: "paragraph",
            text:
              `No figure for the ${formatList(unplotted.map((t) => t.label))} target${unplotted.length === 1 ? "" : "s"}: no predictor-based run hit ${unplotted.length === 1 ? "it" : "them"} within its budget, ` +
              "so every run is censored and each configuration's SEG is only bounded, between its fallback SEG and E[N_RS] / B (the tables above give both).",
          },
        ];
  return [...blocks, ...segFigures.map(figureBlock), ...none];
}

/** "after 150 queries", or with configurations judged at different counts "after up to 150 queries". */
function afterQueries(analysis: StudyAnalysis): string {
  const counts = [...new Set(analysis.configurations.map((r) => r.bestFound.afterQueries))];
  if (counts.length === 0) return `after ${analysis.randomSearchBest.afterQueries} queries`;
  return `after ${counts.length === 1 ? "" : "up to "}${formatCount(Math.max(...counts))} queries`;
}

function bestFound({ analysis, truthLabel, peers }: ReportInput): Block[] {
  const after = Math.max(0, ...analysis.configurations.map((r) => r.bestFound.afterQueries));
  const literature = analysis.bestAfterQueries;
  const withTest = analysis.configurations.some((r) => r.bestFound.meanTest !== undefined);
  const best = fieldBest(peers);
  const rows = analysis.configurations.map((r) => {
    const b = r.bestFound;
    const field = peerFigureFor(peers, r.configuration.method);
    const se = Number.isFinite(b.standardError) ? ` ± ${formatAccuracy(b.standardError)}` : "";
    return [
      r.configuration.label,
      formatCount(b.runs),
      b.afterQueries < literature ? `${formatCount(b.afterQueries)} (budget)` : formatCount(b.afterQueries),
      `${formatAccuracy(b.meanTruth)}${se}`,
      `${(100 * (1 - b.meanTruth)).toFixed(3)}%`,
      `${b.optimumFound}/${b.runs}`,
      ...(withTest ? [b.meanTest === undefined ? "" : formatAccuracy(b.meanTest)] : []),
      field === undefined ? "" : `${field.testErrorPercent.toFixed(3)}% (${field.protocol})`,
      ...(best === undefined ? [] : [againstBest(testError(b), best)]),
    ];
  });
  return [
    { kind: "heading", level: 2, text: `Best architecture per configuration ${afterQueries(analysis)}`, id: "best" },
    {
      kind: "paragraph",
      text:
        `Each run returns the architecture with the best observed value among its first ${formatCount(after)} queries (a search cannot see the truth); the table gives its true ${truthLabel} ` +
        `("mean best"), averaged over runs (± standard error), the matching error, and how many runs returned the global optimum${withTest ? ", and the mean test accuracy of the returned architectures" : ""}.` +
        (best === undefined ? "" : ` The last column sets the mean test error beside the field's lowest published figure on this space, ${best.label}'s ${best.testErrorPercent.toFixed(3)}% (${best.protocol}).`) +
        (analysis.configurations.some((r) => r.bestFound.afterQueries < literature) ? ` The literature compares searches after ${literature} queries; configurations with a smaller budget are judged at their budget.` : ""),
    },
    {
      kind: "table",
      header: ["configuration", "R", "after queries", "mean best", "error", "optimum found", ...(withTest ? ["its mean test accuracy"] : []), "field (test error)", ...(best === undefined ? [] : ["against the field's best"])],
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
    { kind: "heading", level: 3, text: `The field's figures (test error after ${formatCount(peers.afterQueries)} queries)` },
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
  return [...intro, ...answer(input), ...summary(input), ...howRun(input, recordCount), ...atBudgetTables(input), ...targetsTable(input), ...segTables(input), ...segPlots(input), ...bestFound(input), ...regret(input)];
}
