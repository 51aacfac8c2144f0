/**
 * Markdown to HTML for the report page, with stable heading ids.
 *
 * @module
 */
import MarkdownIt from "markdown-it";

const renderer = new MarkdownIt({ html: false, linkify: false, typographer: false });

/** A heading of the page, as the table of contents lists it. */
export interface PageHeading {
  /** 1 for `#`, 2 for `##`, … */
  level: number;
  /** Its `id`, unique on the page. */
  id: string;
  /** Its text, unescaped (plain text). */
  text: string;
}

/** The ids of one page: those taken, and the headings in order. Shared by every block of the page. */
export interface PageAnchors {
  /** Ids already on the page (headings, figures). */
  ids: Set<string>;
  /** Headings rendered so far, in order. */
  headings: PageHeading[];
}

/** Options of {@linkcode renderMarkdown}. */
export interface RenderMarkdownOptions {
  /** Give every heading an id, unique within this page, and record it here. @default no heading ids */
  anchors?: PageAnchors;
}

/**
 * A stable id for a heading or figure: lower case, runs of other characters than `a-z0-9` as one `-`
 * (accents dropped); `-2`, `-3`, … when `taken` already holds it; the id is added to `taken`.
 *
 * @param text The heading text.
 * @param taken Ids already on the page.
 * @returns The id.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const taken = new Set<string>();
 * assert.equal(anchorId("Table 1: unimodal models", taken), "table-1-unimodal-models");
 * assert.equal(anchorId("Table 1: unimodal models", taken), "table-1-unimodal-models-2");
 * ```
 */
export function anchorId(text: string, taken: Set<string>): string {
  const base = text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "section";
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

// The anchors of the render in progress, by its markdown-it `env` object.
const ANCHORS = new WeakMap<object, PageAnchors>();

renderer.renderer.rules.heading_open = (tokens, index, options, env: unknown, self) => {
  const anchors = typeof env === "object" && env !== null ? ANCHORS.get(env) : undefined;
  const token = tokens[index];
  if (anchors && token) {
    const text = (tokens[index + 1]?.children ?? [])
      .filter((t) => t.type === "text" || t.type === "code_inline")
      .map((t) => t.content).join("");
    const level = Number(token.tag.slice(1));
    // A sub-heading's id starts with its section's, without a trailing "(units)": stable when another
    // section gains the same sub-heading (Tables 1 and 2 both have "av-digits, pgd (accuracy %)").
    const section = level > 2 ? anchors.headings.findLast((h) => h.level === 2)?.id : undefined;
    const short = text.replace(/\s*\([^()]*\)\s*$/, "") || text;
    const id = anchorId(section ? `${section} ${short}` : text, anchors.ids);
    token.attrSet("id", id);
    anchors.headings.push({ level, id, text });
  }
  return self.renderToken(tokens, index, options);
};

/**
 * Renders Markdown with markdown-it 15, raw HTML disabled (`html: false`), so that text from user data
 * cannot inject markup even where it was not escaped; link targets such as `javascript:` are refused by
 * markdown-it's link validation. Tables follow GitHub's syntax. With `options.anchors`, every heading
 * gets an id ({@linkcode anchorId}) that is unique across the blocks rendered with the same anchors; a
 * `###` heading's id starts with its `##` section's and leaves out a trailing parenthesis
 * (`table-1-unimodal-against-audio-visual-models-av-digits-pgd`).
 *
 * @param markdown The page text.
 * @param options Heading ids.
 * @returns HTML.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(renderMarkdown("<b>x</b>").trim(), "<p>&lt;b&gt;x&lt;/b&gt;</p>");
 * const anchors = { ids: new Set<string>(), headings: [] };
 * assert.equal(renderMarkdown("## Data", { anchors }).trim(), '<h2 id="data">Data</h2>');
 * ```
 */
export function renderMarkdown(markdown: string, options: RenderMarkdownOptions = {}): string {
  const env = {};
  if (options.anchors) ANCHORS.set(env, options.anchors);
  return renderer.render(markdown, env);
}
