/**
 * Text handling shared by every step: escaping untrusted text (class names, file names and paths from
 * user data) for Markdown, HTML and LaTeX, as the dataset card and the report write it.
 *
 * @example Escape a hostile class name for a Markdown table cell
 * ```ts
 * import assert from "node:assert/strict";
 * import { escapeHtml, escapeMarkdown } from "./mod.ts";
 * assert.equal(escapeMarkdown("<script>"), "&lt;script&gt;");
 * assert.equal(escapeHtml("<img onerror=x>"), "&lt;img onerror=x&gt;");
 * ```
 *
 * @module
 */
export * from "./escape.ts";
