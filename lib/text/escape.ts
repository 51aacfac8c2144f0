/**
 * Escaping of untrusted text (labels, file names, paths from user data) for Markdown, HTML and LaTeX, used by
 * the dataset card (data) and the report page (report).
 *
 * @module
 */

// Characters every Markdown dialect lets a backslash escape (Markdown.pl, CommonMark, GFM, mistune).
const MARKDOWN_SPECIAL = /[\\`*_{}[\]()#+\-.!|~]/g;
// Characters some renderers treat as HTML or math even after a backslash: written as entities instead.
const ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  $: "&#36;",
};

/**
 * Makes `text` literal inside Markdown, including table cells: Markdown punctuation (`|`, backticks,
 * `*`, `_`, `[`, `#`, …) is backslash-escaped, HTML-significant characters and `$` (math in Jupyter) become
 * entities, and line breaks become spaces. The result renders as the plain text both in markdown-it (the
 * report page, where raw HTML is off as well) and in Jupyter's Markdown renderers (the notebooks, where
 * raw HTML would otherwise be live).
 *
 * @param text Untrusted text.
 * @returns Markdown that renders as exactly `text` (on one line).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(escapeMarkdown("a|b`c<d"), "a\\|b\\`c&lt;d");
 * ```
 */
export function escapeMarkdown(text: string): string {
  return String(text)
    .replace(/\r\n|\r|\n/g, " ")
    .replace(MARKDOWN_SPECIAL, "\\$&")
    .replace(/[&<>"'$]/g, (c) => ENTITIES[c] ?? c);
}

/**
 * Escapes `&`, `<`, `>`, `"` and `'` for HTML text and attribute values.
 *
 * @param text Untrusted text.
 * @returns Safe HTML text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(escapeHtml(`"><img onerror=x>`), "&quot;&gt;&lt;img onerror=x&gt;");
 * ```
 */
export function escapeHtml(text: string): string {
  return String(text).replace(
    /[&<>"']/g,
    (c) => c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&#39;",
  );
}

// LaTeX's special characters, and symbols of the report's labels that text mode lacks.
const LATEX: Readonly<Record<string, string>> = {
  "\\": "\\textbackslash{}",
  "&": "\\&",
  "%": "\\%",
  $: "\\$",
  "#": "\\#",
  _: "\\_",
  "{": "\\{",
  "}": "\\}",
  "~": "\\textasciitilde{}",
  "^": "\\textasciicircum{}",
  "<": "\\textless{}",
  ">": "\\textgreater{}",
  "|": "\\textbar{}",
  ε: "$\\varepsilon$",
  α: "$\\alpha$",
  λ: "$\\lambda$",
  μ: "$\\mu$",
  "×": "$\\times$",
  "≥": "$\\geq$",
  "≤": "$\\leq$",
  "−": "$-$",
  "→": "$\\rightarrow$",
  "‖": "$\\|$",
  "·": "$\\cdot$",
  "†": "\\textdagger{}",
};

/**
 * Makes `text` literal in LaTeX text mode (a booktabs table cell or caption): `\ & % $ # _ { } ~ ^ < > |`
 * are escaped, the Greek letters and math symbols the report's labels use (ε, α, λ, μ, ×, ≥, ≤, −, →, ‖, ·)
 * become inline math, and line breaks become spaces. Other Unicode is kept (it needs a UTF-8 engine or
 * `inputenc`).
 *
 * @param text Untrusted text.
 * @returns LaTeX that typesets as `text` (on one line).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(escapeLatex("50% of a_b & {c}"), "50\\% of a\\_b \\& \\{c\\}");
 * assert.equal(escapeLatex("ε = 0.006"), "$\\varepsilon$ = 0.006");
 * ```
 */
export function escapeLatex(text: string): string {
  return String(text)
    .replace(/\r\n|\r|\n/g, " ")
    .replace(/[\\&%$#_{}~^<>|εαλμ×≥≤−→‖·†]/g, (c) => LATEX[c] ?? c);
}
