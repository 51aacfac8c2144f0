import assert from "node:assert/strict";
import { fusionBarsChart } from "../../../lib/report/charts/fusion_bars.ts";
import { renderChartSvg } from "../../../lib/report/charts/render_chart.ts";
import { HOSTILE } from "../_fixtures.ts";

Deno.test("renderChartSvg() escapes text from the data", async () => {
  const svg = await renderChartSvg({
    data: { values: HOSTILE.map((label, i) => ({ label, value: i })) },
    mark: "bar",
    encoding: { x: { field: "label", type: "nominal" }, y: { field: "value", type: "quantitative" } },
  });
  assert.doesNotMatch(svg, /<script|<img/i);
  assert.match(svg, /&lt;script&gt;/);
});

Deno.test("renderChartSvg() throws what Vega logs as an error instead of printing it", async () => {
  await assert.rejects(renderChartSvg(fusionBarsChart([]).spec), { message: /^Cannot render the chart: / });
});

Deno.test("renderChartSvg() rejects a spec that does not compile", async () => {
  await assert.rejects(renderChartSvg({ data: { values: [] }, mark: "nope" as "bar" }));
});
