import assert from "node:assert/strict";
import { renderMarkdown } from "../../../lib/report/page/render_markdown.ts";
import { resultsTable } from "../../../lib/report/study/results_table.ts";
import { fakeRecords, HOSTILE } from "../_fixtures.ts";

Deno.test("resultsTable() lays out clean, A, V and AV columns with dashes where a model is not attacked", () => {
  const records = fakeRecords({ fusions: ["concat"], attacks: ["pgd"] });
  const table = resultsTable(records, { dataset: "d1", attack: "pgd" });
  const lines = table.trim().split("\n");
  assert.equal(lines.length, 2 + 3);
  assert.match(lines[0] ?? "", /clean.*A\\-attack.*V\\-attack.*AV\\-attack/);
  assert.match(lines[2] ?? "", /^\| audio \| [\d.]+ \| [\d.]+ \| – \| – \|$/);
  assert.match(lines[3] ?? "", /^\| visual \| [\d.]+ \| – \| [\d.]+ \| – \|$/);
  assert.match(lines[4] ?? "", /^\| av\\-concat( \| [\d.]+){4} \|$/);
  const clean = records.find((r) => r.model === "audio" && r.setting === "clean" && r.study === "table");
  assert.ok(lines[2]?.includes(((clean?.accuracy ?? 0) * 100).toFixed(1)));
});

Deno.test("resultsTable() keeps its shape with hostile model names", () => {
  const records = fakeRecords({ fusions: [HOSTILE[2], HOSTILE[0]], attacks: ["pgd"] });
  const html = renderMarkdown(resultsTable(records, { dataset: "d1", attack: "pgd" }));
  const counts = [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
    (m[1]?.match(/<t[dh]/g) ?? []).length
  );
  assert.deepEqual(new Set(counts), new Set([5]));
  assert.doesNotMatch(html, /<script/);
});

Deno.test("resultsTable() is empty for an unknown dataset", () => {
  assert.equal(resultsTable(fakeRecords(), { dataset: "nope", attack: "pgd" }), "");
});
