/**
 * The study's figures as Vega-Lite specifications, rendered to standalone SVG in Node. Vega's
 * headless view renders SVG without a canvas (text widths are estimated), so the report needs
 * no browser and no native module, and the SVG embeds as is in the self-contained HTML.
 */
import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { ConfigurationResult, StudyAnalysis } from "../statistics/analysis.js";
import { poolRank as rankOfPool } from "../statistics/configurations.js";
import { POOL_NAMES } from "../pools/registry.js";
import { formatCount, formatValue } from "../statistics/format.js";
import type { TargetSet } from "../statistics/targets.js";

export interface Figure {
  /** File name in the study directory. */
  readonly file: string;
  readonly title: string;
  /** What it shows and how to read it. */
  readonly caption: string;
  readonly spec: TopLevelSpec;
}

/** The multiplicative x offset between pools at the same S in the SEG plot. */
const DODGE = 1.05;

const FONT = "system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif";
const CONFIG = {
  font: FONT,
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridOpacity: 0.5 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 400 },
  title: { fontSize: 14, anchor: "start" as const, offset: 10 },
  view: { stroke: "#ccc" },
};

/** Renders a Vega-Lite specification to an SVG document. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function poolLabel(pool: string, predictor: string, predictors: number): string {
  return predictors > 1 ? `${pool} (${predictor})` : pool;
}

const SHAPES = {
  "every run hit": "circle",
  "upper bound (censored)": "triangle-down",
  "random-search fallback": "triangle-up",
};

/**
 * SEG against the pool size S (log x, log y) for one target: one line per pool type with 95%
 * bootstrap intervals, the full-space ceiling and random search (SEG = 1) as horizontal lines.
 * A configuration with censored runs has only a bracket: its Kaplan-Meier SEG (an upper bound, a
 * down triangle) joined by a dotted line to its SEG with a random-search fallback (an up triangle).
 */
/** What the SEG plot draws for one configuration. */
interface SegPoint {
  readonly seg: number;
  readonly low: number;
  readonly high: number;
  /** The SEG with a random-search fallback (equal to `seg` when nothing is censored). */
  readonly fallback: number;
  readonly censored: boolean;
  readonly hits: string;
}

/** One SEG plot: a hit-based target's SEG, or SEG at the budget. */
export interface SegSeries {
  readonly id: string;
  /** What the SEG is of, in the title ("top 0.1% (|T| = 424)", "SEG_150"). */
  readonly title: string;
  readonly yTitle: string;
  /** The caption's first sentence. */
  readonly lead: string;
  estimate(result: ConfigurationResult): SegPoint;
}

/** The SEG plot of a hit-based target. */
export function targetSeries(target: TargetSet): SegSeries {
  return {
    id: target.id,
    title: `${target.label} (|T| = ${formatCount(target.size)})`,
    yTitle: "SEG = E[N_RS] / E[N_X] (log scale)",
    lead: `Sample efficiency gain for the ${target.label} (|T| = ${formatCount(target.size)}) of each candidate pool against its size S`,
    estimate: (r) => {
      const e = r.efficiency[target.id]!;
      return { seg: e.seg, low: e.segInterval.low, high: e.segInterval.high, fallback: e.fallbackSeg, censored: e.upperBound, hits: `${e.hits}/${e.runs}` };
    },
  };
}

/** The SEG plot of SEG at the budget, the study's primary figure (censoring-free). */
export function budgetSeries(budget: number): SegSeries {
  return {
    id: "budget",
    title: `SEG_${budget} (SEG at the budget)`,
    // Short, so that no budget makes it longer than the axis (the caption and the report define SEG_B).
    yTitle: `SEG_${budget} (log scale)`,
    lead: `SEG at the budget, SEG_${budget}, of each candidate pool against its size S (how many times more queries random search needs, in expectation, to return as good an architecture)`,
    estimate: (r) => {
      const e = r.atBudget.at(-1)!;
      return { seg: e.seg, low: e.interval.low, high: e.interval.high, fallback: e.seg, censored: false, hits: `R = ${e.runs}` };
    },
  };
}

/** The file of the SEG plot of a series (a target's id, or "budget"). */
export function segFigureFile(id: string): string {
  return `seg-vs-pool-size-${id}.svg`;
}

/** Whether no predictor-based run hit the target: its SEG plot would hold only bounds (a dotted bracket per pool), nothing to read. */
export function noRunHit(analysis: StudyAnalysis, target: TargetSet): boolean {
  return analysis.configurations.filter((r) => r.configuration.method === "predictor").every((r) => r.efficiency[target.id]!.hits === 0);
}

export function segFigure(analysis: StudyAnalysis, series: SegSeries): Figure {
  const results = analysis.configurations.filter((r) => r.configuration.method === "predictor");
  const predictors = new Set(results.map((r) => r.configuration.predictor));
  const point = (r: (typeof results)[number]) => {
    const e = series.estimate(r);
    const { pool = "?", predictor = "?", poolSize } = r.configuration;
    const poolRank = rankOfPool(pool);
    const S = poolSize ?? analysis.spaceSize;
    return {
      pool: poolLabel(pool, predictor, predictors.size),
      predictor,
      poolRank,
      S,
      // Pools at the same S are drawn side by side (a few percent apart on the log axis) so that their intervals do not hide each other.
      shownS: S * DODGE ** (poolRank - POOL_NAMES.length / 2),
      seg: e.seg,
      low: e.low,
      high: e.high,
      fallback: e.fallback,
      estimate: e.censored ? "upper bound (censored)" : "every run hit",
      hits: e.hits,
      configuration: r.configuration.label,
    };
  };
  const pools = results.filter((r) => r.configuration.pool !== "full").map(point);
  const ceilings = results
    .filter((r) => r.configuration.pool === "full")
    .map(point)
    .map((p) => {
      const value = p.seg === p.fallback ? formatValue(p.seg) : `≤ ${formatValue(p.seg)} (${formatValue(p.fallback)} with fallback)`;
      return { ...p, line: `full space${predictors.size > 1 ? ` (${p.predictor})` : ""}: ${value}` };
    });
  const brackets = pools.filter((p) => p.seg !== p.fallback);
  const reference = [{ seg: 1, line: "random search: SEG = 1" }];
  // From a little below the smallest pool to the whole space (the full pool's S).
  const xMin = Math.min(analysis.spaceSize, ...pools.map((p) => p.S)) / 2;
  const xScale = { type: "log" as const, domain: [xMin, analysis.spaceSize], nice: false };
  const yScale = { type: "log" as const };
  const poolColor = { field: "pool", type: "nominal" as const, title: "pool", sort: { field: "poolRank" } };
  const tooltip = [
    { field: "configuration", type: "nominal" as const },
    { field: "S", type: "quantitative" as const, format: ",", title: "S" },
    { field: "seg", type: "quantitative" as const, format: ".3~g", title: "SEG" },
    { field: "low", type: "quantitative" as const, format: ".3~g" },
    { field: "high", type: "quantitative" as const, format: ".3~g" },
    { field: "fallback", type: "quantitative" as const, format: ".3~g", title: "SEG with fallback" },
    { field: "hits", type: "nominal" as const },
  ];
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: `SEG against pool size: ${series.title}`, font: FONT },
    width: 520,
    height: 320,
    // Room at the edges: Vega lays out text by estimated widths, and the browser's font may be wider.
    padding: 12,
    background: "white",
    config: CONFIG,
    layer: [
      {
        data: { values: reference },
        layer: [
          { mark: { type: "rule", color: "#555", strokeWidth: 1.5 }, encoding: { y: { field: "seg", type: "quantitative", scale: yScale } } },
          {
            mark: { type: "text", align: "left", dx: 4, dy: -7, color: "#555", fontSize: 11 },
            encoding: { y: { field: "seg", type: "quantitative" }, x: { datum: xMin, type: "quantitative", scale: xScale }, text: { field: "line" } },
          },
        ],
      },
      {
        data: { values: ceilings },
        layer: [
          { mark: { type: "rule", color: "#111", strokeDash: [6, 4], strokeWidth: 1.5 }, encoding: { y: { field: "seg", type: "quantitative" } } },
          {
            mark: { type: "text", align: "left", dx: 4, dy: -7, color: "#111", fontSize: 11 },
            encoding: { y: { field: "seg", type: "quantitative" }, x: { datum: xMin, type: "quantitative", scale: xScale }, text: { field: "line" } },
          },
        ],
      },
      {
        data: { values: brackets },
        encoding: {
          x: { field: "shownS", type: "quantitative", scale: xScale },
          color: poolColor,
        },
        layer: [
          { mark: { type: "rule", strokeWidth: 1.2, strokeDash: [2, 3] }, encoding: { y: { field: "fallback", type: "quantitative" }, y2: { field: "seg" } } },
          {
            mark: { type: "point", filled: true, size: 45, opacity: 0.9 },
            encoding: { y: { field: "fallback", type: "quantitative" }, shape: { datum: "random-search fallback", type: "nominal" }, tooltip },
          },
        ],
      },
      {
        data: { values: pools },
        encoding: {
          x: { field: "shownS", type: "quantitative", scale: xScale, title: "pool size S (candidates scored per iteration, log scale)", axis: { format: "~s" } },
          color: poolColor,
        },
        layer: [
          { mark: { type: "rule", strokeWidth: 1.5, opacity: 0.6 }, encoding: { y: { field: "low", type: "quantitative" }, y2: { field: "high" } } },
          { mark: { type: "line", strokeWidth: 2 }, encoding: { y: { field: "seg", type: "quantitative" } } },
          {
            mark: { type: "point", filled: true, size: 70, opacity: 1 },
            encoding: {
              y: { field: "seg", type: "quantitative", title: series.yTitle },
              shape: {
                field: "estimate",
                type: "nominal",
                title: "SEG",
                scale: { domain: Object.keys(SHAPES), range: Object.values(SHAPES) },
              },
              tooltip,
            },
          },
        ],
      },
    ],
    resolve: { scale: { y: "shared" } },
  };
  return {
    file: segFigureFile(series.id),
    title: `SEG against pool size S: ${series.title}`,
    caption:
      `${series.lead}, ` +
      "both axes logarithmic, with 95% percentile-bootstrap intervals. The dashed line is the full-space ceiling (the full pool's SEG), " +
      "the solid grey line random search (SEG = 1). Where some runs never hit the target, the SEG is only bracketed: the down triangle " +
      "(Kaplan-Meier SEG, with its interval) is an upper bound, the up triangle the SEG if those runs went on as random search.",
    spec,
  };
}

/** Query counts to plot a curve at: every one up to 20, then about 60 log-spaced ones, and the budget. */
function logSpacedQueries(budget: number): number[] {
  const ns = new Set<number>();
  for (let n = 1; n <= Math.min(20, budget); n++) ns.add(n);
  for (let i = 0; i <= 60; i++) ns.add(Math.round(Math.exp((Math.log(budget) * i) / 60)));
  ns.add(budget);
  return [...ns].filter((n) => n >= 1 && n <= budget).sort((a, b) => a - b);
}

/**
 * Mean regret (with a ± one standard error band) against queries, log x and log y, one panel
 * per method family (baselines; each pool type, lines by S), random search and the full pool
 * drawn dashed in every panel as references.
 */
export function regretFigure(analysis: StudyAnalysis): Figure {
  const predictors = new Set(analysis.configurations.map((r) => r.configuration.predictor).filter((p) => p !== undefined));
  const series = analysis.configurations.map((r) => {
    const c = r.configuration;
    if (c.method !== "predictor") return { result: r, family: "baselines", name: c.label };
    const family = `${poolLabel(c.pool ?? "?", c.predictor ?? "?", predictors.size)} pool`;
    // Within a panel a line is named by what tells it apart (S), keeping any suffix that tells apart configurations sharing a label.
    const name = c.pool === "full" ? c.label.replace(/^predictor (\S+) \/ pool full/, predictors.size > 1 ? "full space ($1)" : "full space") : c.label.replace(/^.* S=/, "S=");
    return { result: r, family, name };
  });
  const families = [...new Set(series.map((s) => s.family))];
  const references = series.filter((s) => s.result.configuration.method === "random" || s.result.configuration.pool === "full");
  // A log axis cannot show 0: the axis starts at half the smallest positive mean regret, and
  // what lies below (a band's lower edge, a mean of 0 when every run found the optimum) is drawn there.
  const positive = analysis.configurations.flatMap((r) => Array.from(r.regret.mean).filter((m) => m > 0));
  const floor = positive.length === 0 ? 0.001 : (100 * Math.min(...positive)) / 2;
  const rows = families.flatMap((family) => {
    const own = series.filter((s) => s.family === family);
    const shown = [...own.map((s) => ({ ...s, role: "configuration" })), ...references.filter((r) => !own.includes(r)).map((r) => ({ ...r, role: "reference" }))];
    return shown.flatMap(({ result, name, role }) => {
      const { mean, standardError } = result.regret;
      return logSpacedQueries(result.configuration.budget).map((n) => {
        const m = 100 * mean[n - 1]!;
        const se = 100 * (standardError[n - 1]! || 0); // a single run has no standard error: no band
        return { family, series: name, role, n, regret: Math.max(m, floor), low: Math.max(m - se, floor), high: Math.max(m + se, floor) };
      });
    });
  });
  const maxBudget = Math.max(...analysis.configurations.map((r) => r.configuration.budget));
  const panel = (family: string) => ({
    title: { text: family, fontSize: 12, anchor: "middle" as const },
    width: 260,
    height: 200,
    transform: [{ filter: { field: "family", equal: family } }],
    encoding: {
      x: { field: "n", type: "quantitative" as const, scale: { type: "log" as const, domain: [1, maxBudget], nice: false }, title: "queries n (log scale)" },
      color: {
        field: "series",
        type: "nominal" as const,
        title: "configuration",
        sort: [...new Set(series.map((s) => s.name))],
        // Legend swatches as solid lines: by default they would take the faint band's opacity.
        legend: { symbolType: "stroke", symbolStrokeWidth: 2.5, symbolOpacity: 1 },
      },
    },
    layer: [
      { mark: { type: "area" as const, opacity: 0.16 }, encoding: { y: { field: "low", type: "quantitative" as const }, y2: { field: "high" } } },
      {
        mark: { type: "line" as const, strokeWidth: 1.8 },
        encoding: {
          y: { field: "regret", type: "quantitative" as const, scale: { type: "log" as const }, title: "regret (% points)" },
          strokeDash: {
            field: "role",
            type: "nominal" as const,
            title: "line",
            scale: { domain: ["configuration", "reference"], range: [[1, 0], [5, 3]] },
          },
        },
      },
    ],
  });
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: "Regret against queries (mean ± standard error over runs)", font: FONT },
    padding: 12,
    background: "white",
    config: CONFIG,
    data: { values: rows },
    columns: Math.min(3, families.length),
    concat: families.map(panel),
    resolve: { scale: { y: "shared", x: "shared", color: "shared", strokeDash: "shared" } },
  };
  return {
    file: "regret.svg",
    title: "Regret against queries",
    caption:
      "Regret f(a*) − (best true accuracy among the first n queries), in percentage points of test accuracy, mean over runs with a " +
      "± one standard error band; both axes logarithmic. Each panel is a family of configurations; random search and the full pool " +
      `appear dashed in every panel as references. What lies below the axis (a mean regret of 0: every run found the optimum) is drawn at its bottom.`,
    spec,
  };
}
