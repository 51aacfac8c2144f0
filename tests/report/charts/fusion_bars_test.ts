import assert from "node:assert/strict";
import { fusionBarsChart } from "../../../lib/report/charts/fusion_bars.ts";
import { fakeRecords } from "../_fixtures.ts";
import { assertValidChart, rowsOf, viewOf } from "./_chart_check.ts";

Deno.test("fusionBarsChart() is valid Vega-Lite with bars grouped by fusion per setting", async () => {
  const chart = fusionBarsChart(fakeRecords({ fusions: ["concat", "sum", "gated"] }));
  await assertValidChart(chart, ["dataset", "attack", "fusion", "setting", "accuracy"]);
  const spec = viewOf(chart);
  assert.equal(spec.mark, "bar");
  assert.equal(spec.encoding.x?.field, "setting");
  assert.equal(spec.encoding.xOffset?.field, "fusion");
  assert.equal(spec.encoding.y?.field, "accuracy");
  const bars = viewOf(chart, "errorbar");
  assert.deepEqual([bars.encoding.y?.field, bars.encoding.y2?.field], ["low", "high"]);
  assert.equal(bars.encoding.xOffset?.field, "fusion", "each error bar sits on its own bar");
});

Deno.test("fusionBarsChart() leaves out unimodal models and repeats clean accuracy per attack", () => {
  const rows = rowsOf(fusionBarsChart(fakeRecords({ fusions: ["concat", "sum"], attacks: ["fgsm", "pgd"] })));
  assert.deepEqual(new Set(rows.map((r) => r.fusion)), new Set(["concat", "sum"]));
  const clean = rows.filter((r) => r.setting === "clean");
  assert.equal(clean.length, 2 * 2);
  assert.deepEqual(new Set(clean.map((r) => r.attack)), new Set(["fgsm", "pgd"]));
  assert.equal(fusionBarsChart([]).rows, 0);
});
