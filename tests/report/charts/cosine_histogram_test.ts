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

Deno.test("cosineHistogramChart() defaults to the strongest attack of the run, not the first one", () => {
  // The fixture's pgd cells are 1.5 times as strong as its fgsm cells.
  const records = fakeRecords({ fusions: ["concat"], attacks: ["fgsm", "pgd"] });
  assert.match(cosineHistogramChart(records).title, /pgd AV-attack/);
  const weakened = records.map((r) => r.attack === "pgd" ? { ...r, accuracy: 1 } : r);
  assert.match(cosineHistogramChart(weakened).title, /fgsm AV-attack/);
});

Deno.test("cosineHistogramChart() bins the measured range, not all of [-1, 1]", () => {
  const chart = cosineHistogramChart(fakeRecords({ fusions: ["concat"] }));
  const bin = viewOf(chart).encoding.x?.bin as { maxbins: number; extent: [number, number] };
  const values = rowsOf(chart).map((r) => r.cosine as number);
  assert.ok(bin.extent[0] <= Math.min(...values) && bin.extent[1] >= Math.max(...values));
  assert.ok(bin.extent[1] - bin.extent[0] < 1, `extent ${bin.extent}`);
  assert.ok(bin.maxbins >= 10 && bin.maxbins <= 40);
});
