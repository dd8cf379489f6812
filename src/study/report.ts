/**
 * The study report: reads DIR/runs.jsonl (skipping a torn or invalid line with a warning, as the
 * runner does), computes every number (analysis.ts), judges the claims (verdict.ts), and writes
 * DIR/report.md, a self-contained DIR/report.html (inline CSS and SVG, no external resource) and
 * each figure as a standalone SVG beside them. Works on partial studies and says what is missing.
 */
import { existsSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { InputError } from "../util/errors.js";
import { writeFileAtomic } from "../util/files.js";
import { loadProblem } from "../space/problems.js";
import { analyseStudy } from "./analysis.js";
import { BOOTSTRAP_DEFAULTS, type BootstrapOptions } from "./bootstrap.js";
import { renderHtml, renderMarkdown } from "./document.js";
import { baseLabel, dropRepeatedRuns } from "./configurations.js";
import { readJournal } from "./journal.js";
import { readStudyPlan, type StudyPlan } from "./plan.js";
import { regretFigure, renderSvg, segFigure, type Figure } from "./plots.js";
import { reportBlocks, type RenderedFigure } from "./reportContent.js";
import { RUNS_FILE } from "./runner.js";
import type { TargetSpec } from "./targets.js";
import { judgeClaims, poolResults, VERDICT_DEFAULTS, type VerdictRules } from "./verdict.js";

const REPORT_MARKDOWN = "report.md";
const REPORT_HTML = "report.html";

export interface ReportOptions {
  /** NAS-Bench-101 table location (see benchmark/locate.ts), for the truths of the whole space. */
  readonly data?: string;
  /** The truths of every architecture, instead of loading NAS-Bench-101 (tests, other spaces). */
  readonly truths?: ArrayLike<number>;
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

async function truthsFor(spaces: ReadonlySet<string>, options: ReportOptions): Promise<ArrayLike<number>> {
  if (options.truths !== undefined) return options.truths;
  const foreign = [...spaces].filter((space) => space !== "nasbench101");
  if (foreign.length > 0) throw new InputError(`the report knows the truths of nasbench101 only; the runs are on ${foreign.join(", ")}`);
  return (await loadProblem("nasbench101", { data: options.data })).truths;
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
  const objectives = new Set(records.map((r) => r.objective));
  if (objectives.size > 1) warnings.push(`The runs observe different objectives (${[...objectives].join(", ")}): compare configurations of one objective only.`);

  const bootstrap = { ...BOOTSTRAP_DEFAULTS, ...options.bootstrap };
  const rules = { ...VERDICT_DEFAULTS, ...options.verdict };
  const analysis = analyseStudy(records, await truthsFor(new Set(records.map((r) => r.space)), options), { targets: options.targets, bootstrap });
  const verdicts = judgeClaims(poolResults(analysis), analysis.spaceSize, rules);
  const segFigures = await Promise.all(analysis.targets.map((target) => render(segFigure(analysis, target), dir)));
  const regret = analysis.configurations.length === 0 ? undefined : await render(regretFigure(analysis), dir);

  const title = `prednas study report: ${plan?.name ?? basename(resolve(dir))}`;
  const blocks = reportBlocks({ title, analysis, verdicts, rules, bootstrap, plan, warnings, generated: options.now ?? new Date(), segFigures, regretFigure: regret });
  const markdown = join(dir, REPORT_MARKDOWN);
  const html = join(dir, REPORT_HTML);
  writeFileAtomic(markdown, renderMarkdown(blocks));
  writeFileAtomic(html, renderHtml(title, blocks));
  return { markdown, html, figures: [...segFigures, ...(regret === undefined ? [] : [regret])].map((f) => join(dir, f.file)), warnings };
}
