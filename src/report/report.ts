/**
 * The study report: reads DIR/runs.jsonl (skipping a torn or invalid line with a warning, as the
 * runner does), computes every number (analysis.ts), judges the claims (verdict.ts), and writes
 * DIR/report.md, a self-contained DIR/report.html (inline CSS and SVG, no external resource) and
 * each figure as a standalone SVG beside them. Works on partial studies and says what is missing.
 */
import { existsSync, rmSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { InputError } from "../util/errors.js";
import { writeFileAtomic } from "../util/files.js";
import { DEFAULT_SPACE, loadProblem, spaceDefinition } from "../spaces/registry.js";
import type { PeerFigures, Problem } from "../spaces/types.js";
import { canonicalJson } from "../util/json.js";
import { analyseStudy } from "../statistics/analysis.js";
import { BOOTSTRAP_DEFAULTS, type BootstrapOptions } from "../statistics/bootstrap.js";
import { renderHtml, renderMarkdown } from "./document.js";
import { bestArchitectures, readableDescription } from "./bestArchitectures.js";
import { baseLabel, dropRepeatedRuns } from "../statistics/configurations.js";
import { readJournal } from "../study/journal.js";
import { readStudyPlan, type StudyPlan } from "../study/plan.js";
import { budgetSeries, noRunHit, segFigureFile, regretFigure, renderSvg, segFigure, targetSeries, type Figure } from "./plots.js";
import { reportBlocks, type RenderedFigure } from "./reportContent.js";
import { studySummary, SUMMARY_FILE } from "./summary.js";
import { RUNS_FILE } from "../study/runner.js";
import type { TargetSpec } from "../statistics/targets.js";
import type { RunRecord } from "../search/record.js";
import { judgeClaims, poolResults, VERDICT_DEFAULTS, type VerdictRules } from "../verdicts/verdict.js";

const REPORT_MARKDOWN = "report.md";
const REPORT_HTML = "report.html";

export interface ReportOptions {
  /** NAS-Bench-101 table location (see benchmark/locate.ts), for the truths of the whole space. */
  readonly data?: string;
  /** The problem the runs are of, instead of loading it by the records' space (tests, other spaces): its truths, and how its architectures read. */
  readonly problem?: Problem<unknown>;
  readonly targets?: readonly TargetSpec[];
  readonly bootstrap?: BootstrapOptions;
  readonly verdict?: VerdictRules;
  /** The report's date (default: now). */
  readonly now?: Date;
}

export interface WrittenReport {
  readonly markdown: string;
  readonly html: string;
  readonly figures: readonly string[];
  /** What the report had to work around (skipped lines, an unreadable plan, mixed objectives). */
  readonly warnings: readonly string[];
}

interface Truths {
  readonly values: ArrayLike<number>;
  readonly label: string;
  /** The field's figures on the space, when it has any. */
  readonly peers?: PeerFigures;
  /** Enumeration index of an architecture key (-1 when unknown). */
  readonly indexOfKey: (key: string) => number;
  /** The space's description of the architecture of a key in the space. */
  readonly describe: (key: string) => unknown;
}

function truthsOf(problem: Problem<unknown>, peers?: PeerFigures): Truths {
  const { enumeration } = problem.space;
  return {
    values: problem.truths,
    label: problem.truthLabel,
    ...(peers === undefined ? {} : { peers }),
    indexOfKey: (key) => enumeration.indexOfKey(key),
    describe: (key) => problem.space.describe(enumeration.at(enumeration.indexOfKey(key))),
  };
}

async function truthsFor(records: readonly RunRecord[], options: ReportOptions): Promise<Truths> {
  if (options.problem !== undefined) return truthsOf(options.problem);
  const problems = [...new Set(records.map((r) => canonicalJson({ space: r.space, dataset: r.dataset })))];
  if (problems.length > 1) throw new InputError(`the runs are on several spaces or datasets (${problems.join(", ")}): a report compares runs of one problem`);
  const first = records[0];
  const problem = await loadProblem(
    first === undefined
      ? { space: DEFAULT_SPACE, ...(options.data === undefined ? {} : { data: options.data }) }
      : { space: first.space, ...(first.dataset === undefined ? {} : { dataset: first.dataset }), objective: first.objective, ...(options.data === undefined ? {} : { data: options.data }) },
    "a report (its targets, E_RS and regret)",
  );
  return truthsOf(problem, spaceDefinition(problem.spec.space).peers);
}

/**
 * Refuses runs that cannot be true of this space: a query whose architecture the space does not
 * have, or whose recorded truth is not that architecture's, would
 * change hit rates and SEG silently. `lines` are the records' journal lines, for the message.
 */
function checkTruths(records: readonly RunRecord[], lines: readonly number[], truths: Truths, where: string): void {
  records.forEach((record, r) => {
    for (const query of record.queries) {
      const at = `${where} line ${lines[r]} (${record.method}, seed ${record.seed}), query ${query.n}`;
      const index = truths.indexOfKey(query.key);
      if (index === -1) throw new InputError(`${at}: the architecture ${query.key} is not in the space: the run is from another space or data`);
      const expected = truths.values[index]!;
      if (!(Math.abs(query.truth - expected) <= 1e-9)) {
        throw new InputError(
          `${at}: the recorded truth ${query.truth} is not the true accuracy of ${query.key} (${expected}): ` +
            "the run was made with other data (give it with --data) or the journal was edited",
        );
      }
    }
  });
}

async function render(figure: Figure, dir: string): Promise<RenderedFigure> {
  const svg = await renderSvg(figure.spec);
  writeFileAtomic(join(dir, figure.file), svg);
  return { file: figure.file, title: figure.title, caption: figure.caption, svg };
}

export async function writeReport(dir: string, options: ReportOptions = {}): Promise<WrittenReport> {
  const runsPath = join(dir, RUNS_FILE);
  if (!existsSync(runsPath)) throw new InputError(`${dir} holds no ${RUNS_FILE}: run 'prednas study' first, or give the study directory`);
  const journal = readJournal(runsPath);
  const warnings = journal.dropped.map(({ line, reason }) => `${RUNS_FILE} line ${line} skipped: ${reason}.`);
  let plan: StudyPlan | undefined;
  try {
    plan = readStudyPlan(dir);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    warnings.push(`${error.message}.`);
  }
  const { runs: records, repeated } = dropRepeatedRuns(journal.records);
  if (repeated.length > 0) {
    warnings.push(`${repeated.length} runs repeat a configuration and seed already in ${RUNS_FILE} (${[...new Set(repeated.map(baseLabel))].join(", ")}): the first of each is used.`);
  }
  const short = records.filter((r) => r.poolShortfall !== undefined);
  if (short.length > 0) {
    warnings.push(`${short.length} runs (${[...new Set(short.map(baseLabel))].join(", ")}) had pools that held fewer than S candidates in some iterations: the pool could produce no more.`);
  }
  const objectives = new Set(records.map((r) => r.objective));
  if (objectives.size > 1) warnings.push(`The runs observe different objectives (${[...objectives].join(", ")}): compare configurations of one objective only.`);

  const bootstrap = { ...BOOTSTRAP_DEFAULTS, ...options.bootstrap };
  const rules = { ...VERDICT_DEFAULTS, ...options.verdict };
  const truths = await truthsFor(records, options);
  checkTruths(journal.records, journal.lines, truths, runsPath);
  const analysis = analyseStudy(records, truths.values, { targets: options.targets, bootstrap });
  const verdicts = judgeClaims(poolResults(analysis), analysis.spaceSize, rules);
  const budget = Math.max(0, ...analysis.configurations.filter((r) => r.configuration.method === "predictor").map((r) => r.configuration.budget));
  const unplotted = budget > 0 ? analysis.targets.filter((t) => noRunHit(analysis, t)) : [];
  const series = [...(budget > 0 ? [budgetSeries(budget)] : []), ...analysis.targets.filter((t) => !unplotted.includes(t)).map(targetSeries)];
  const segFigures = await Promise.all(series.map((s) => render(segFigure(analysis, s), dir)));
  // An earlier report's figure of a target that now has none would be left beside the report, contradicting it.
  for (const target of unplotted) rmSync(join(dir, segFigureFile(target.id)), { force: true });
  const regret = analysis.configurations.length === 0 ? undefined : await render(regretFigure(analysis), dir);

  const title = `prednas study report: ${plan?.name ?? basename(resolve(dir))}`;
  const best = bestArchitectures(analysis, truths.values).map((found) => ({ ...found, description: readableDescription(truths.describe(found.key)) }));
  const blocks = reportBlocks({ title, truthLabel: truths.label, peers: truths.peers, analysis, budget, best, verdicts, rules, bootstrap, plan, warnings, generated: options.now ?? new Date(), segFigures, unplotted, regretFigure: regret });
  const markdown = join(dir, REPORT_MARKDOWN);
  const html = join(dir, REPORT_HTML);
  writeFileAtomic(markdown, renderMarkdown(blocks));
  writeFileAtomic(html, renderHtml(title, blocks));
  const first = records[0];
  const summary = studySummary(analysis, verdicts, {
    study: plan?.name ?? basename(resolve(dir)),
    space: first?.space ?? DEFAULT_SPACE,
    ...(first?.dataset === undefined ? {} : { dataset: first.dataset }),
    objectives: [...objectives],
    truth: truths.label,
  });
  writeFileAtomic(join(dir, SUMMARY_FILE), `${JSON.stringify(summary, null, 1)}\n`);
  return { markdown, html, figures: [...segFigures, ...(regret === undefined ? [] : [regret])].map((f) => join(dir, f.file)), warnings };
}
