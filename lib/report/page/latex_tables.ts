/**
 * The tables of the report page as LaTeX (booktabs), one file per table.
 *
 * @module
 */
import MarkdownIt from "markdown-it";
import { escapeLatex } from "../../text/escape.ts";
import { anchorId } from "./render_markdown.ts";

// The same settings as the page's renderer, so that both see the same tables.
const parser = new MarkdownIt({ html: false, linkify: false, typographer: false });

type Token = ReturnType<typeof parser.parse>[number];

/** One table of the page as LaTeX. */
export interface LatexTable {
  /** Index of the Markdown block that holds it. */
  block: number;
  /** File stem, unique on the page (from the caption, as {@linkcode anchorId} makes ids). */
  name: string;
  /**
   * Caption: the section heading (`#`/`##`) and sub-heading above the table, and the paragraph just before
   * it when that ends with ":".
   */
  caption: string;
  /** A complete `table` environment (needs `\usepackage{booktabs}`). */
  latex: string;
}

/** The LaTeX of a cell's inline tokens: text escaped, bold and code kept, links as their text. */
function inlineLatex(children: readonly Token[]): string {
  const parts: string[] = [];
  for (const t of children) {
    if (t.type === "text" || t.type === "text_special") parts.push(escapeLatex(t.content));
    else if (t.type === "code_inline") parts.push(`\\texttt{${escapeLatex(t.content)}}`);
    else if (t.type === "strong_open") parts.push("\\textbf{");
    else if (t.type === "em_open") parts.push("\\emph{");
    else if (t.type === "strong_close" || t.type === "em_close") parts.push("}");
    else if (t.type === "softbreak" || t.type === "hardbreak") parts.push(" ");
    else if (t.type === "image") parts.push(escapeLatex(t.content));
  }
  return parts.join("");
}

function plainText(children: readonly Token[]): string {
  return children.filter((t) => t.type === "text" || t.type === "code_inline").map((t) => t.content).join("");
}

function tableLatex(
  tokens: readonly Token[],
  start: number,
  caption: string,
): { latex: string; end: number } {
  const rows: string[][] = [];
  const align: string[] = [];
  let end = start, headerRows = 0;
  for (let i = start; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === undefined || t.type === "table_close") {
      end = i;
      break;
    }
    if (t.type === "tr_open") rows.push([]);
    if (t.type === "th_open") {
      align.push(/text-align:\s*right/.test(String(t.attrGet("style") ?? "")) ? "r" : "l");
      headerRows = rows.length;
    }
    if ((t.type === "th_open" || t.type === "td_open") && tokens[i + 1]?.type === "inline") {
      rows.at(-1)?.push(inlineLatex(tokens[i + 1]?.children ?? []));
    }
  }
  const line = (cells: string[]) => `    ${cells.join(" & ")} \\\\`;
  const latex = [
    `% ${escapeLatex(caption)}. Written by avrobust (deno task report); needs \\usepackage{booktabs}.`,
    "\\begin{table}[htbp]",
    "  \\centering",
    `  \\caption{${escapeLatex(caption)}}`,
    `  \\begin{tabular}{${align.join("")}}`,
    "    \\toprule",
    ...rows.slice(0, headerRows).map(line),
    "    \\midrule",
    ...rows.slice(headerRows).map(line),
    "    \\bottomrule",
    "  \\end{tabular}",
    "\\end{table}",
    "",
  ].join("\n");
  return { latex, end };
}

/**
 * Every table in some Markdown blocks (the page's, in order), as a booktabs `table` environment: cells
 * escaped with `escapeLatex`, bold and code kept, the alignment of the Markdown table (`---:` right), the
 * header row above `\midrule`. The caption is the section and sub-heading above (across blocks), plus
 * the paragraph just before the table when it ends with ":" (e.g. "Comparisons for claim 1"); the file
 * stem follows the page's heading ids (`table-1-unimodal-against-audio-visual-models-av-digits-pgd`).
 *
 * @param blocks Markdown blocks of one page.
 * @returns One entry per table, in page order, with a unique file stem.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const [table] = latexTables(["## Results\n\n| model | clean |\n|---|---:|\n| av\\_x | 50.0 [40.1, 59.9] |"]);
 * assert.equal(table?.name, "results");
 * assert.match(table?.latex ?? "", /\\begin\{tabular\}\{lr\}/);
 * assert.match(table?.latex ?? "", /av\\_x & 50\.0 \[40\.1, 59\.9\] \\\\/);
 * ```
 */
export function latexTables(blocks: readonly string[]): LatexTable[] {
  const tables: LatexTable[] = [];
  const names = new Set<string>();
  let section = "", heading = "";
  for (const [block, markdown] of blocks.entries()) {
    const tokens = parser.parse(markdown, {});
    let lead = "";
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (t?.type === "heading_open") {
        const text = plainText(tokens[i + 1]?.children ?? []);
        if (t.tag === "h1" || t.tag === "h2") [section, heading] = [text, ""];
        else heading = text;
        lead = "";
      } else if (t?.type === "paragraph_open") {
        lead = plainText(tokens[i + 1]?.children ?? []).trim();
      } else if (t?.type === "table_open") {
        const title = [section, heading].filter((x) => x !== "").join(". ") || "Table";
        const caption = lead.endsWith(":") ? `${title}: ${lead.slice(0, -1)}` : title;
        // Named like the page's ids (the section, then the sub-heading without a trailing "(units)"), cut short.
        const short = [
          section,
          heading.replace(/\s*\([^()]*\)\s*$/, "") || heading,
          lead.endsWith(":") ? lead : "",
        ];
        const { latex, end } = tableLatex(tokens, i, caption);
        const key = short.join(" ").trim() || caption;
        tables.push({ block, name: anchorId(key.slice(0, 72), names), caption, latex });
        i = end;
        lead = "";
      }
    }
  }
  return tables;
}
