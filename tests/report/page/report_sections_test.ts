import assert from "node:assert/strict";
import { renderMarkdown } from "../../../lib/report/page/render_markdown.ts";
import {
  checksMarkdown,
  claimsMarkdown,
  datasetsMarkdown,
  table1Markdown,
  table2Markdown,
} from "../../../lib/report/page/report_sections.ts";
import { fakeRecords, HOSTILE } from "../_fixtures.ts";

function assertSafe(markdown: string): void {
  const html = renderMarkdown(markdown);
  assert.doesNotMatch(html, /<script|<img|href="javascript/i);
  for (const table of html.split("<table>").slice(1)) {
    const counts = [...table.slice(0, table.indexOf("</table>")).matchAll(/<tr>([\s\S]*?)<\/tr>/g)]
      .map((m) => (m[1]?.match(/<t[dh]/g) ?? []).length);
    assert.equal(new Set(counts).size, 1, `ragged table: ${counts.join(",")}`);
  }
}

Deno.test("table1Markdown() shows the unimodal models and the concat model per dataset and attack", () => {
  const records = fakeRecords({
    datasets: ["d1", "d2"],
    fusions: ["sum", "concat"],
    attacks: ["fgsm", "pgd"],
  });
  const markdown = table1Markdown(records);
  assert.equal(markdown.match(/^### /gm)?.length, 4);
  assert.doesNotMatch(markdown, /av\\-sum/, "Table 1 has one audio-visual model");
  assert.match(markdown, /\| av\\-concat \|/);
});

Deno.test("table2Markdown() lists every fusion, and only with two or more", () => {
  const records = fakeRecords({ fusions: ["sum", "concat", "film"], attacks: ["pgd"] });
  const markdown = table2Markdown(records);
  for (const model of ["av\\-sum", "av\\-concat", "av\\-film"]) {
    assert.ok(markdown.includes(`| ${model} |`), model);
  }
  assert.doesNotMatch(markdown, /\| audio \|/);
  assert.equal(table2Markdown(fakeRecords({ fusions: ["concat"] })), "");
});

Deno.test("every section escapes hostile labels", () => {
  const records = fakeRecords({ datasets: [HOSTILE[0], HOSTILE[2]], fusions: [HOSTILE[1], HOSTILE[3]] });
  assertSafe(table1Markdown(records));
  assertSafe(table2Markdown(records));
  assertSafe(claimsMarkdown(records));
  assertSafe(datasetsMarkdown([{
    name: HOSTILE[4],
    source: HOSTILE[5],
    classes: [...HOSTILE],
    sizes: { train: 1, val: 2, test: 3 },
    sampleRate: 1,
    audioLength: 1,
    imageShape: [1, 1, 1],
    hash: HOSTILE[0],
    skipped: [{ path: HOSTILE[1], reason: HOSTILE[2] }],
  }]));
  assertSafe(
    checksMarkdown([{
      id: HOSTILE[2],
      title: HOSTILE[0],
      raisedIf: HOSTILE[1],
      whatToDo: HOSTILE[3],
      passed: 0,
      flagged: 1,
      examples: [...HOSTILE],
    }]),
  );
});

Deno.test("claimsMarkdown() can show a subset of the claims", () => {
  const markdown = claimsMarkdown(fakeRecords(), { only: ["fusion"] });
  assert.match(markdown, /\| 3 \| The fusion mechanism/);
  assert.doesNotMatch(markdown, /\| 1 \|/);
});
