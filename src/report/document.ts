/**
 * A small document model for the report, rendered to Markdown and to self-contained HTML from the
 * same blocks, so that the two reports always say the same thing.
 */
import type { Status } from "../verdicts/verdict.js";

/** A run of inline text: plain, strong, code, or a verdict status (a coloured badge in HTML). */
export type Span = string | { readonly strong: string } | { readonly code: string } | { readonly status: Status };
export type Text = string | readonly Span[];

export type Block =
  | { readonly kind: "heading"; readonly level: 1 | 2 | 3; readonly text: string; readonly id?: string }
  | { readonly kind: "paragraph"; readonly text: Text }
  | { readonly kind: "list"; readonly items: readonly Text[] }
  /** Preformatted lines under a title (an architecture's description); consecutive ones sit side by side in HTML. */
  | { readonly kind: "code"; readonly title: Text; readonly text: string }
  | { readonly kind: "table"; readonly header: readonly string[]; readonly rows: readonly (readonly Text[])[]; readonly numeric?: readonly boolean[] }
  | { readonly kind: "figure"; readonly file: string; readonly title: string; readonly caption: string; readonly svg: string };

function spans(text: Text): readonly Span[] {
  return typeof text === "string" ? [text] : text;
}

// Markdown

function markdownSpan(span: Span): string {
  if (typeof span === "string") return span;
  if ("strong" in span) return `**${span.strong}**`;
  if ("code" in span) return `\`${span.code}\``;
  return `**${span.status}**`;
}

function markdownText(text: Text): string {
  return spans(text).map(markdownSpan).join("");
}

function markdownCell(text: Text): string {
  return markdownText(text).replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function markdownBlock(block: Block): string {
  switch (block.kind) {
    case "heading":
      return `${"#".repeat(block.level)} ${block.text}`;
    case "paragraph":
      return markdownText(block.text);
    case "list":
      return block.items.map((item) => `- ${markdownText(item)}`).join("\n");
    case "code":
      return `${markdownText(block.title)}\n\n\`\`\`\n${block.text}\n\`\`\``;
    case "table": {
      const align = block.header.map((_, i) => (block.numeric?.[i] ? "---:" : "---"));
      return [block.header.map(markdownCell), align, ...block.rows.map((row) => row.map(markdownCell))].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
    }
    case "figure":
      return `![${block.title}](${block.file})\n\n*${block.caption}*`;
  }
}

export function renderMarkdown(blocks: readonly Block[]): string {
  return `${blocks.map(markdownBlock).join("\n\n")}\n`;
}

// HTML

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function htmlSpan(span: Span): string {
  if (typeof span === "string") return escapeHtml(span);
  if ("strong" in span) return `<strong>${escapeHtml(span.strong)}</strong>`;
  if ("code" in span) return `<code>${escapeHtml(span.code)}</code>`;
  return `<span class="status ${span.status.replace(/ /g, "-")}">${escapeHtml(span.status)}</span>`;
}

function htmlText(text: Text): string {
  return spans(text).map(htmlSpan).join("");
}

function htmlBlock(block: Block): string {
  switch (block.kind) {
    case "heading":
      return `<h${block.level}${block.id === undefined ? "" : ` id="${escapeHtml(block.id)}"`}>${escapeHtml(block.text)}</h${block.level}>`;
    case "paragraph":
      return `<p>${htmlText(block.text)}</p>`;
    case "list":
      return `<ul>\n${block.items.map((item) => `<li>${htmlText(item)}</li>`).join("\n")}\n</ul>`;
    case "code":
      return `<figure class="code"><figcaption>${htmlText(block.title)}</figcaption><pre>${escapeHtml(block.text)}</pre></figure>`;
    case "table": {
      const cell = (tag: "th" | "td", text: Text, i: number) => `<${tag}${block.numeric?.[i] ? ' class="num"' : ""}>${htmlText(text)}</${tag}>`;
      const head = `<tr>${block.header.map((h, i) => cell("th", h, i)).join("")}</tr>`;
      const body = block.rows.map((row) => `<tr>${row.map((text, i) => cell("td", text, i)).join("")}</tr>`).join("\n");
      return `<div class="table"><table>\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table></div>`;
    }
    case "figure":
      return `<figure>\n${block.svg}\n<figcaption>${escapeHtml(block.caption)} <span class="file">(${escapeHtml(block.file)})</span></figcaption>\n</figure>`;
  }
}

const STYLE = `
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5f6368; --rule: #dadce0; --zebra: #f7f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1200px; margin: 0 auto; padding: 24px 28px 64px; }
h1 { font-size: 26px; margin: 8px 0 4px; }
h2 { font-size: 20px; margin: 36px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--rule); }
h3 { font-size: 16px; margin: 24px 0 6px; }
p { max-width: 80ch; }
li { max-width: 110ch; }
code { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--zebra); padding: 1px 4px; border-radius: 3px; }
.table { overflow-x: auto; margin: 8px 0 16px; max-width: 100%; }
table { border-collapse: collapse; font-size: 13px; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
/* Words wrap, numbers do not: a table fits a 1280-px window (a wider one scrolls in its own box). */
td.num, td:first-child { white-space: nowrap; }
th { background: #eef0f3; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:nth-child(even) { background: var(--zebra); }
figure { margin: 16px 0 28px; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 13px; max-width: 90ch; }
figcaption .file { font-family: ui-monospace, monospace; font-size: 12px; }
.codes { display: flex; flex-wrap: wrap; gap: 0 32px; }
figure.code { margin: 8px 0 16px; }
figure.code figcaption { color: var(--ink); font-size: 14px; margin-bottom: 4px; }
pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--zebra); padding: 8px 12px; margin: 0; border-radius: 4px; overflow-x: auto; }
.status { display: inline-block; padding: 0 7px; border-radius: 10px; font-weight: 600; font-size: 13px; white-space: nowrap; }
.status.holds { background: #e6f4ea; color: #137333; }
.status.does-not-hold { background: #fce8e6; color: #a50e0e; }
.status.inconclusive { background: #fef7e0; color: #8a5a00; }
`;

/** The blocks as HTML, consecutive code blocks in one row that wraps (they are short and read side by side). */
function htmlBlocks(blocks: readonly Block[]): string[] {
  const html: string[] = [];
  blocks.forEach((block, i) => {
    const rendered = htmlBlock(block);
    const inRow = block.kind === "code";
    if (inRow && blocks[i - 1]?.kind !== "code") html.push('<div class="codes">');
    html.push(rendered);
    if (inRow && blocks[i + 1]?.kind !== "code") html.push("</div>");
  });
  return html;
}

export function renderHtml(title: string, blocks: readonly Block[]): string {
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    "<main>",
    ...htmlBlocks(blocks),
    "</main>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
