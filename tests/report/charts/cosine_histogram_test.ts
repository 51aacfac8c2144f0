import assert from "node:assert/strict";
import { cosineHistogramChart } from "../../../lib/report/charts/cosine_histogram.ts";
import { fakeRecords } from "../_fixtures.ts";
import { assertValidChart, rowsOf, viewOf } from "./_chart_check.ts";

Deno.test("cosineHistogramChart() is valid Vega-Lite with a binned cosine axis and a count", async () => {
  const chart = cosineHistogramChart(fakeRecords());
  await assertValidChart(chart, ["dataset", "model", "condition", "cosine"]);
  const spec = viewOf(chart);
  assert.equal(spec.encoding.x?.field, "cosine");
  assert.ok(spec.encoding.x?.bin);
  assert.equal(spec.encoding.y?.aggregate, "count");
  assert.equal(spec.encoding.color?.field, "condition");
});

Deno.test("cosineHistogramChart() compares clean inputs with the joint attack of the chosen attack", () => {
  const rows = rowsOf(cosineHistogramChart(fakeRecords({ fusions: ["concat"] }), { attack: "pgd" }));
  assert.deepEqual(new Set(rows.map((r) => r.condition)), new Set(["clean", "pgd AV-attack"]));
  assert.equal(rows.length, 2 * 8);
  assert.equal(cosineHistogramChart(fakeRecords({ fusions: [] })).rows, 0);
});
