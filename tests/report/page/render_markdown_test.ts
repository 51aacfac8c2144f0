import assert from "node:assert/strict";
import { anchorId, type PageAnchors, renderMarkdown } from "../../../lib/report/page/render_markdown.ts";
import { escapeMarkdown } from "../../../lib/text/escape.ts";
import { HOSTILE } from "../_fixtures.ts";

Deno.test("renderMarkdown() gives every heading an id unique across the blocks of a page", () => {
  const anchors: PageAnchors = { ids: new Set(["figure"]), headings: [] };
  const first = renderMarkdown("## Table 1\n\n### av\\-digits, pgd\n\ntext", { anchors });
  const second = renderMarkdown("## Table 2\n\n### av\\-digits, pgd\n\n## Figure", { anchors });
  assert.match(first, /<h2 id="table-1">Table 1<\/h2>/);
  assert.match(first, /<h3 id="table-1-av-digits-pgd">av-digits, pgd<\/h3>/);
  assert.match(second, /<h3 id="table-2-av-digits-pgd">/, "a sub-heading's id starts with its section's");
  const units = renderMarkdown("### av\\-digits, pgd (accuracy %)", { anchors });
  assert.match(units, /<h3 id="figure-2-av-digits-pgd">/, "without the trailing parenthesis");
  assert.match(second, /<h2 id="figure-2">/, "ids taken by figures are avoided");
  assert.deepEqual(anchors.headings.map((h) => h.level), [2, 3, 2, 3, 2, 3]);
  assert.doesNotMatch(renderMarkdown("## Table 1"), /id=/, "no ids without anchors");
});

Deno.test("anchorId() makes safe ids from hostile headings", () => {
  const taken = new Set<string>();
  for (const label of HOSTILE) {
    assert.match(anchorId(label, taken), /^[a-z0-9]+(-[a-z0-9]+)*$/, label);
  }
  assert.equal(anchorId("Überblick: ε", taken), "uberblick");
  assert.equal(anchorId("…", taken), "section");
  const html = renderMarkdown(`## ${escapeMarkdown(HOSTILE[1])}`, {
    anchors: { ids: new Set(), headings: [] },
  });
  assert.match(html, /^<h2 id="img-src-x-onerror-alert-2">/);
});
