import assert from "node:assert/strict";
import { accuracyEpsilonChart } from "../../../lib/report/charts/accuracy_epsilon.ts";
import { budgetHeatmapChart } from "../../../lib/report/charts/budget_heatmap.ts";
import { fakeRecords } from "../_fixtures.ts";
import { assertValidChart, encodedFields, rowsOf, viewOf } from "./_chart_check.ts";

Deno.test("accuracyEpsilonChart() is valid Vega-Lite with ε, accuracy, modality and model encoded", async () => {
  const chart = accuracyEpsilonChart(fakeRecords());
  await assertValidChart(chart, ["dataset", "model", "modality", "epsilon", "accuracy"]);
  const spec = viewOf(chart);
  assert.equal(spec.encoding.x?.field, "epsilon");
  assert.equal(spec.encoding.y?.field, "accuracy");
  assert.equal(spec.encoding.color?.field, "modality");
  assert.ok(encodedFields(chart.spec).has("model"));
});

Deno.test("accuracyEpsilonChart() draws 95% Wilson bands in panels large enough to read", () => {
  const chart = accuracyEpsilonChart(fakeRecords({ total: 50 }));
  const band = viewOf(chart, "area");
  assert.equal(band.encoding.y?.field, "low");
  assert.equal(band.encoding.y2?.field, "high");
  for (const row of rowsOf(chart)) {
    const { low, high, accuracy } = row as { low: number; high: number; accuracy: number };
    assert.ok(low <= accuracy && accuracy <= high && high - low > 0.05, JSON.stringify(row));
  }
  const inner = (chart.spec as { spec: { width: number; height: number } }).spec;
  assert.ok(inner.width >= 360 && inner.height >= 260);
});

Deno.test("accuracyEpsilonChart() draws one curve per attacked modality of each model, from the clean point", () => {
  const rows = rowsOf(accuracyEpsilonChart(fakeRecords({ attacks: ["pgd"] })));
  const curves = (model: string) => new Set(rows.filter((r) => r.model === model).map((r) => r.modality));
  assert.deepEqual(curves("audio"), new Set(["audio"]));
  assert.deepEqual(curves("visual"), new Set(["visual"]));
  assert.deepEqual(curves("av-concat"), new Set(["audio", "visual", "joint"]));
  const starts = rows.filter((r) => r.model === "av-concat" && r.epsilon === 0);
  assert.equal(starts.length, 3);
  assert.ok(rows.every((r) => r.epsilon === 0 || [1, 2, 4].includes(Math.round(r.epsilon as number))));
});

Deno.test("accuracyEpsilonChart() shows only the named attack and scales ε", () => {
  const records = fakeRecords({ attacks: ["fgsm", "pgd"] });
  const fgsm = accuracyEpsilonChart(records, { attack: "fgsm", epsilonScale: 1 });
  const rows = rowsOf(fgsm);
  assert.ok(rows.some((r) => r.epsilon === 0.004));
  assert.match(fgsm.title, /fgsm/);
  assert.equal(accuracyEpsilonChart([]).rows, 0);
});

Deno.test("accuracyEpsilonChart() and budgetHeatmapChart() give each visual ε with its pixel size in the caption", () => {
  const records = fakeRecords({ attacks: ["pgd"] }).map((r) => ({ ...r, visualStd: [0.5] }));
  const values = [
    ...new Set(records.filter((r) => r.study === "grid" && r.epsVisual > 0).map((r) => r.epsVisual)),
  ]
    .sort((a, b) => a - b);
  const list = values.map((e) => `${e} = ${(e * 0.5 * 255).toFixed(2)}/255`).join(", ");
  for (const chart of [accuracyEpsilonChart(records), budgetHeatmapChart(records)]) {
    assert.ok(chart.title.includes(`ε_v normalised: ${list} per pixel; `), chart.title);
  }
  assert.doesNotMatch(accuracyEpsilonChart(fakeRecords()).title, /per pixel/, "no std kept: no pixel size");
});
