import assert from "node:assert/strict";
import { budgetHeatmapChart } from "../../../lib/report/charts/budget_heatmap.ts";
import { fakeRecords } from "../_fixtures.ts";
import { assertValidChart, encodedFields, rowsOf } from "./_chart_check.ts";

Deno.test("budgetHeatmapChart() is valid Vega-Lite with ε_a, ε_v and accuracy encoded", async () => {
  const chart = budgetHeatmapChart(fakeRecords());
  await assertValidChart(chart, ["dataset", "model", "epsAudio", "epsVisual", "accuracy"]);
  const fields = encodedFields(chart.spec);
  for (const field of ["epsAudio", "epsVisual", "accuracy", "model", "dataset"]) {
    assert.ok(fields.has(field), field);
  }
  assert.ok(rowsOf(chart).every((r) => typeof r.low === "number" && typeof r.high === "number"));
  assert.match(JSON.stringify(chart.spec), /datum\.low \* 100/, "each cell prints its interval");
});

Deno.test("budgetHeatmapChart() fills the whole grid of each audio-visual model", () => {
  const rows = rowsOf(budgetHeatmapChart(fakeRecords({ fusions: ["concat"], attacks: ["pgd"] })));
  assert.ok(rows.every((r) => r.model === "av-concat"));
  assert.equal(rows.length, 4 * 4);
  const cells = new Set(rows.map((r) => `${r.epsVisual},${r.epsAudio}`));
  assert.equal(cells.size, 16);
  assert.ok(cells.has("4,4") && cells.has("0,0"));
});
