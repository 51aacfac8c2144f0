/**
 * The static report page: rendered Markdown and inline SVG charts in one self-contained HTML file.
 *
 * @module
 */
import { escapeHtml } from "../../text/escape.ts";
import { type PageAnchors, type PageHeading, renderMarkdown } from "./render_markdown.ts";
import type { ReportBlock } from "./report_markdown.ts";

const STYLE = `
body { font: 15px/1.5 system-ui, sans-serif; max-width: 80rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; margin: 0.5rem 0 0.2rem; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.2rem 0.5rem; vertical-align: top; }
td { font-variant-numeric: tabular-nums; }
th { background: #f3f3f3; }
code { background: #f3f3f3; padding: 0 0.2rem; }
nav { background: #f8f8f8; border: 1px solid #ddd; padding: 0.5rem 1rem; margin: 1rem 0 2rem; }
nav ul { margin: 0.2rem 0; padding-left: 1.2rem; }
p.export { margin: 0 0 1rem; font-size: 0.8rem; }
figure { margin: 1rem 0 2rem; overflow-x: auto; }
figcaption { font-weight: 600; margin-bottom: 0.4rem; }
`;

/** The text of an escaped heading (the contents escape it again). */
function decodeEntities(text: string): string {
  return text.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'").replaceAll("&amp;", "&");
}

/** Options of {@linkcode reportHtml}. */
export interface ReportHtmlOptions {
  /**
   * LaTeX files of the tables, in page order: each table of Markdown block `block` is followed by a link
   * to `tables/<name>.tex`. @default no links
   */
  tables?: readonly { block: number; name: string }[];
  /** Files of the report folder linked from the table of contents (relative paths). @default [] */
  files?: readonly string[];
}

function contents(headings: readonly PageHeading[], files: readonly string[]): string {
  const items: string[] = [];
  let open = false;
  for (const h of headings.filter((h) => h.level === 2 || h.level === 3)) {
    const link = `<a href="#${escapeHtml(h.id)}">${escapeHtml(h.text)}</a>`;
    if (h.level === 2) {
      if (open) items.push("</ul></li>");
      items.push(`<li>${link}<ul>`);
      open = true;
    } else items.push(`<li>${link}</li>`);
  }
  if (open) items.push("</ul></li>");
  const list = items.join("\n").replaceAll("<ul>\n</ul>", "");
  const links = files.map((f) => `<a href="${escapeHtml(encodeURI(f))}">${escapeHtml(f)}</a>`).join(" · ");
  return `<nav id="contents" aria-label="Contents">\n<strong>Contents</strong>\n<ul>\n${list}\n</ul>\n` +
    (links ? `<p>Files: ${links}</p>\n` : "") + "</nav>\n";
}

/**
 * Assembles the page. Markdown blocks go through {@linkcode renderMarkdown} (raw HTML off), every heading
 * with a stable id; chart blocks become `<figure>`s (id: the chart's name) holding the SVG rendered by Vega
 * (which escapes data text) with an escaped caption and a link to the chart's Vega-Lite spec. A table of
 * contents after the first block links every `##` and `###` heading and figure, then the report's files;
 * each table is followed by a link to its LaTeX file where `options.tables` names one. No scripts, styles
 * or fonts are loaded from elsewhere, so the file opens offline.
 *
 * @param blocks The page text and charts.
 * @param svgs Rendered SVG per chart name.
 * @param title The `<title>`.
 * @param options LaTeX links and files.
 * @returns The HTML document.
 * @throws {RangeError} If a chart block has no SVG.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const blocks = [{ kind: "markdown", text: "# Hi <there>" }, { kind: "markdown", text: "## Data" }] as const;
 * const html = reportHtml(blocks, new Map(), "t");
 * assert.match(html, /<h1 id="hi-there">Hi &lt;there&gt;<\/h1>/);
 * assert.match(html, /<nav id="contents"[\s\S]*<a href="#data">Data<\/a>/);
 * ```
 */
export function reportHtml(
  blocks: readonly ReportBlock[],
  svgs: ReadonlyMap<string, string>,
  title: string,
  options: ReportHtmlOptions = {},
): string {
  const charts = blocks.flatMap((b) => (b.kind === "chart" ? [b.chart.name] : []));
  const anchors: PageAnchors = { ids: new Set(["contents", ...charts]), headings: [] };
  const body = blocks.map((block, index) => {
    if (block.kind === "markdown") {
      const links = (options.tables ?? []).filter((t) => t.block === index).map((t) =>
        `</table>\n<p class="export"><a href="tables/${
          escapeHtml(encodeURIComponent(t.name))
        }.tex">LaTeX</a></p>`
      );
      return renderMarkdown(block.text, { anchors }).replace(/<\/table>/g, (end) => links.shift() ?? end);
    }
    if (block.kind === "html") {
      for (const m of block.html.matchAll(/<h([23]) id="([^"]+)">([^<]*)<\/h[23]>/g)) {
        const id = m[2] ?? "";
        anchors.ids.add(id);
        anchors.headings.push({ level: Number(m[1]), id, text: decodeEntities(m[3] ?? "") });
      }
      return `${block.html}\n`;
    }
    const svg = svgs.get(block.chart.name);
    if (svg === undefined) {
      throw new RangeError(`Cannot build the report page: chart '${block.chart.name}' was not rendered`);
    }
    const name = escapeHtml(block.chart.name);
    anchors.headings.push({ level: 3, id: block.chart.name, text: block.chart.title });
    return `<figure id="${name}">\n<figcaption>${escapeHtml(block.chart.title)} ` +
      `(<a href="charts/${escapeHtml(encodeURIComponent(block.chart.name))}.vl.json">Vega-Lite spec</a>)` +
      `</figcaption>\n${svg}\n</figure>\n`;
  });
  const nav = contents(anchors.headings, options.files ?? []);
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<link rel="icon" href="data:,">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    ...body.slice(0, 1),
    nav,
    ...body.slice(1),
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
