/**
 * The static report page: rendered Markdown and inline SVG charts in one self-contained HTML file.
 *
 * @module
 */
import { escapeHtml } from "../../text/escape.ts";
import { renderMarkdown } from "./render_markdown.ts";
import type { ReportBlock } from "./report_markdown.ts";

const STYLE = `
body { font: 15px/1.5 system-ui, sans-serif; max-width: 72rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.2rem 0.5rem; vertical-align: top; }
th { background: #f3f3f3; }
code { background: #f3f3f3; padding: 0 0.2rem; }
figure { margin: 1rem 0 2rem; overflow-x: auto; }
figcaption { font-weight: 600; margin-bottom: 0.4rem; }
`;

/**
 * Assembles the page. Markdown blocks go through {@linkcode renderMarkdown} (raw HTML off); HTML blocks
 * (stage sections built with every label escaped) are embedded as they are; chart blocks become `<figure>`s holding the SVG rendered by Vega (which escapes data text) with an escaped caption
 * and a link to the chart's Vega-Lite spec. No scripts, styles or fonts are loaded from elsewhere, so
 * the file opens offline.
 *
 * @param blocks The page text and charts.
 * @param svgs Rendered SVG per chart name.
 * @param title The `<title>`.
 * @returns The HTML document.
 * @throws {RangeError} If a chart block has no SVG.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const html = reportHtml([{ kind: "markdown", text: "# Hi <there>" }], new Map(), "t");
 * assert.match(html, /<h1>Hi &lt;there&gt;<\/h1>/);
 * ```
 */
export function reportHtml(
  blocks: readonly ReportBlock[],
  svgs: ReadonlyMap<string, string>,
  title: string,
): string {
  const body = blocks.map((block) => {
    if (block.kind === "markdown") return renderMarkdown(block.text);
    if (block.kind === "html") return `${block.html}\n`;
    const svg = svgs.get(block.chart.name);
    if (svg === undefined) {
      throw new RangeError(`Cannot build the report page: chart '${block.chart.name}' was not rendered`);
    }
    const name = escapeHtml(block.chart.name);
    return `<figure id="${name}">\n<figcaption>${escapeHtml(block.chart.title)} ` +
      `(<a href="charts/${name}.vl.json">Vega-Lite spec</a>)</figcaption>\n${svg}\n</figure>\n`;
  });
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
    ...body,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
