/**
 * Checks shared by the chart tests: the spec compiles with vega-lite, renders headless, and its inline data
 * rows carry the expected fields.
 */
import assert from "node:assert/strict";
import * as vl from "vega-lite";
import { renderChartSvg } from "../../../lib/report/charts/render_chart.ts";
import type { ChartSpec } from "../../../lib/report/types.ts";

/** The inline data rows of a chart. */
export function rowsOf(chart: ChartSpec): Record<string, unknown>[] {
  const data = (chart.spec as { data?: { values?: Record<string, unknown>[] } }).data;
  assert.ok(data?.values, `chart ${chart.name} has no inline data`);
  return data.values;
}

/** Asserts that the chart compiles, renders to SVG, and has `rows` rows with every field of `fields`. */
export async function assertValidChart(chart: ChartSpec, fields: readonly string[]): Promise<string> {
  const compiled = vl.compile(chart.spec);
  assert.ok(compiled.spec.marks, "the compiled Vega spec has marks");
  const rows = rowsOf(chart);
  assert.equal(rows.length, chart.rows);
  for (const row of rows) for (const field of fields) assert.ok(field in row, `row lacks '${field}'`);
  const svg = await renderChartSvg(chart.spec);
  assert.ok(svg.startsWith("<svg"), "renders to SVG");
  return svg;
}

/** The field names used anywhere in the spec's encodings (including facets and layers). */
export function encodedFields(spec: unknown): Set<string> {
  const fields = new Set<string>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node !== null && typeof node === "object") {
      for (const [key, value] of Object.entries(node)) {
        if (key === "data") continue;
        if (key === "field" && typeof value === "string") fields.add(value);
        walk(value);
      }
    }
  };
  walk(spec);
  return fields;
}

/**
 * A chart's main view as plain JSON: a single view as it is, or for a faceted, layered spec the encoding
 * shared by the layers merged with that of the first layer named by `mark` (default: the first layer
 * whose mark is not an interval band or error bar).
 */
export function viewOf(chart: ChartSpec, mark?: string): {
  mark: unknown;
  encoding: Record<string, { field?: string; bin?: unknown; aggregate?: string } | undefined>;
} {
  const spec = JSON.parse(JSON.stringify(chart.spec));
  const inner = spec.spec ?? spec;
  if (!Array.isArray(inner.layer)) return inner;
  const type = (m: unknown) => (typeof m === "string" ? m : (m as { type?: string })?.type);
  const layer = inner.layer.find((l: { mark: unknown }) =>
    mark === undefined ? !["area", "errorbar"].includes(type(l.mark) ?? "") : type(l.mark) === mark
  );
  return { mark: layer?.mark, encoding: { ...inner.encoding, ...layer?.encoding } };
}
