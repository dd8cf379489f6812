/**
 * The committed study reports as a reader sees them: laid out by headless Chromium in a 1280-px
 * window, nothing is wider than the page (no table scrolls in its box, no figure runs past the
 * text). Skipped where no Chromium is installed: the layout needs a browser to be measured.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../test-support/data.js";

const CHROMIUM = [process.env.CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find((path) => path !== undefined && existsSync(path));
const RESULTS = join(REPO_ROOT, "docs", "results");
const WIDTH = 1280;

interface Layout {
  /** The page's scroll width: more than the window's means a horizontal scroll bar. */
  readonly page: number;
  readonly window: number;
  /** How far each table's content runs past its box (0: it fits). */
  readonly tables: readonly number[];
  /** The right edge of each figure, and of the text column. */
  readonly figures: readonly number[];
  readonly column: number;
}

/** Lays the report out in Chromium and measures it, with a script added to a copy (the report has none). */
function layout(report: string): Layout {
  const measure = `<script>document.body.dataset.layout = JSON.stringify({
    page: document.documentElement.scrollWidth, window: document.documentElement.clientWidth,
    tables: [...document.querySelectorAll(".table")].map((box) => box.scrollWidth - box.clientWidth),
    figures: [...document.querySelectorAll("figure svg")].map((svg) => svg.getBoundingClientRect().right),
    column: document.querySelector("main").getBoundingClientRect().right });</script>`;
  const copy = join(mkdtempSync(join(tmpdir(), "prednas-layout-")), "report.html");
  writeFileSync(copy, readFileSync(report, "utf8").replace("</body>", `${measure}</body>`));
  const result = spawnSync(
    CHROMIUM!,
    ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", `--user-data-dir=${join(copy, "..", "profile")}`, `--window-size=${WIDTH},1000`, "--dump-dom", `file://${copy}`],
    { encoding: "utf8", timeout: 90_000 },
  );
  const found = /data-layout="([^"]*)"/.exec(result.stdout);
  if (found === null) throw new Error(`Chromium gave no layout (status ${result.status}): ${result.stderr.slice(-500)}`);
  return JSON.parse(found[1]!.replace(/&quot;/g, '"')) as Layout;
}

const reports = existsSync(RESULTS) ? readdirSync(RESULTS).filter((study) => existsSync(join(RESULTS, study, "report.html"))) : [];

describe.skipIf(CHROMIUM === undefined)("the committed reports at 1280 px in Chromium", () => {
  it.each(reports)("%s fits the window: no table or figure wider than the page", (study) => {
    const measured = layout(join(RESULTS, study, "report.html"));
    expect(measured.page).toBeLessThanOrEqual(measured.window);
    expect(measured.tables.length).toBeGreaterThan(0);
    expect(measured.tables.filter((overflow) => overflow > 0)).toEqual([]);
    for (const right of measured.figures) expect(right).toBeLessThanOrEqual(measured.column + 0.5);
  }, 120_000);
});
