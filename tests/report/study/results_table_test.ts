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
  const cell = String.raw`[\d.]+ \[[\d.]+, [\d.]+\]`;
  assert.match(lines[2] ?? "", new RegExp(String.raw`^\| audio \| ${cell} \| ${cell} \| – \| – \|$`));
  assert.match(lines[3] ?? "", new RegExp(String.raw`^\| visual \| ${cell} \| – \| ${cell} \| – \|$`));
  assert.match(lines[4] ?? "", new RegExp(String.raw`^\| av\\-concat( \| ${cell}){4} \|$`));
  const clean = records.find((r) => r.model === "audio" && r.setting === "clean" && r.study === "table");
  assert.ok(lines[2]?.includes(((clean?.accuracy ?? 0) * 100).toFixed(1)));
});

Deno.test("resultsTable() prints each accuracy with its 95% Wilson interval", () => {
  const records = fakeRecords({ fusions: ["concat"], attacks: ["pgd"], total: 10 }).map((r) =>
    r.model === "audio" && r.setting === "clean" ? { ...r, correct: 5, accuracy: 0.5 } : r
  );
  const table = resultsTable(records, { dataset: "d1", attack: "pgd" });
  assert.match(table, /\| audio \| 50\.0 \[23\.7, 76\.3\] \|/);
  assert.doesNotMatch(table, /paper/, "no published number for a dataset of the project's own");
});

Deno.test("resultsTable() shows the paper's number beside the measured cell only on its dataset", () => {
  const records = fakeRecords({ datasets: ["AVE", "d1"], fusions: ["concat", "sum"], attacks: ["pgd"] });
  const table = resultsTable(records, { dataset: "AVE", attack: "pgd" });
  const concat = table.split("\n").find((line) => line.startsWith("| av\\-concat |")) ?? "";
  assert.match(concat, /^\| av\\-concat \| [\d.]+ \[[\d.]+, [\d.]+\]; paper 71\.39† \| [\d.]+ \[/);
  assert.equal(table.match(/paper 71\.39/g)?.length, 1, "only the clean audio-visual cell");
  assert.match(table, /† Unverified: wizwand\.com/);
  assert.doesNotMatch(resultsTable(records, { dataset: "d1", attack: "pgd" }), /paper|Unverified/);
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

Deno.test("resultsTable() states each visual budget with its pixel size for the records' model", () => {
  const records = fakeRecords({ fusions: ["concat"], attacks: ["pgd"] });
  const header = (withStd: boolean) =>
    (resultsTable(withStd ? records.map((r) => ({ ...r, visualStd: [0.5] })) : records, {
      dataset: "d1",
      attack: "pgd",
    }).split("\n")[0] ?? "").replaceAll("\\", "");
  const visual = records.find((r) => r.setting === "visual")?.epsVisual ?? 0;
  const pixels = (visual * 0.5 * 255).toFixed(2);
  assert.ok(
    header(true).includes(`V-attack (ε_v = ${visual} normalised = ${pixels}/255 per pixel)`),
    header(true),
  );
  assert.ok(header(false).includes(`V-attack (ε_v = ${visual} normalised)`), "no std kept: no pixel size");
});
