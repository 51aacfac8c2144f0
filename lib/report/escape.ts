/**
 * Escaping of untrusted text (labels, file names, paths from user data) for Markdown and HTML.
 *
 * @module
 */

const MARKDOWN_SPECIAL = /[\\`*_{}[\]()<>#+\-.!|~&"':$=]/g;

/**
 * Makes `text` literal inside Markdown, including table cells: every ASCII punctuation character that
 * Markdown or markdown-it gives a meaning (`|`, backticks, `*`, `_`, `[`, `<`, `&`, …) is
 * backslash-escaped, and line breaks become spaces. Render the Markdown with `html: false` as well.
 *
 * @param text Untrusted text.
 * @returns Markdown that renders as exactly `text` (on one line).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(escapeMarkdown("a|b`c"), "a\\|b\\`c");
 * ```
 */
export function escapeMarkdown(text: string): string {
  return String(text).replace(/\r\n|\r|\n/g, " ").replace(MARKDOWN_SPECIAL, "\\$&");
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
