/**
 * Markdown to HTML for the report page.
 *
 * @module
 */
import MarkdownIt from "markdown-it";

const renderer = new MarkdownIt({ html: false, linkify: false, typographer: false });

/**
 * Renders Markdown with markdown-it 15, raw HTML disabled (`html: false`), so that text from user data
 * cannot inject markup even where it was not escaped; link targets such as `javascript:` are refused by
 * markdown-it's link validation. Tables follow GitHub's syntax.
 *
 * @param markdown The page text.
 * @returns HTML.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(renderMarkdown("<b>x</b>").trim(), "<p>&lt;b&gt;x&lt;/b&gt;</p>");
 * ```
 */
export function renderMarkdown(markdown: string): string {
  return renderer.render(markdown);
}
