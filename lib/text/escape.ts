/**
 * Escaping of untrusted text (labels, file names, paths from user data) for Markdown and HTML, used by
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
