/**
 * Renders a Vega-Lite spec to SVG without a browser or canvas.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import * as vega from "vega";
import * as vl from "vega-lite";
import type { TopLevelSpec } from "vega-lite";

/**
 * Compiles a Vega-Lite spec and renders it headless to an SVG string (text widths are estimated, so
 * the layout can differ slightly from a browser's). Text from the data is escaped by Vega. Vega's log
 * goes nowhere, except that an error logged while rendering is thrown.
 *
 * @param spec The Vega-Lite spec, data inline.
 * @returns The SVG markup.
 * @throws {Error} If the spec does not compile or Vega logs an error while rendering.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const svg = await renderChartSvg({
 *   data: { values: [{ x: "a", y: 1 }] },
 *   mark: "bar",
 *   encoding: { x: { field: "x", type: "nominal" }, y: { field: "y", type: "quantitative" } },
 * });
 * assert.ok(svg.startsWith("<svg"));
 * ```
 */
export async function renderChartSvg(spec: TopLevelSpec): Promise<string> {
  const errors: string[] = [];
  const logger = vega.logger(
    vega.Warn,
    undefined,
    (method: string, _level: unknown, input: readonly unknown[]) => {
      if (method === "error") errors.push(input.map(String).join(" "));
    },
  );
  const view = new vega.View(vega.parse(vl.compile(spec, { logger }).spec), { renderer: "none", logger });
  try {
    const svg = await view.toSVG();
    if (errors.length > 0) throw new Error(`Cannot render the chart: ${errors.join("; ")}`);
    return svg;
  } finally {
    view.finalize();
  }
}

/**
 * A chart as Jupyter display data: the SVG, plus the same SVG as an `<img>` data URI in `text/html`. HTML
 * exports (`jupyter nbconvert --to html`) prefer `text/html`, and some nbconvert releases strip the inside
 * of inline SVG outputs, so the `<img>` is what keeps the chart visible there.
 *
 * @param spec A Vega-Lite spec.
 * @returns `{ "image/svg+xml": svg, "text/html": "<img …>" }`, for `Deno.jupyter.display(data, { raw: true })`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const data = await chartDisplayData({ data: { values: [{ a: 1 }] }, mark: "point", encoding: { x: { field: "a" } } });
 * assert.match(data["image/svg+xml"], /^<svg/);
 * assert.match(data["text/html"], /^<img src="data:image\/svg\+xml;base64,/);
 * ```
 */
export async function chartDisplayData(
  spec: TopLevelSpec,
): Promise<{ "image/svg+xml": string; "text/html": string }> {
  const svg = await renderChartSvg(spec);
  const encoded = Buffer.from(svg, "utf8").toString("base64");
  return {
    "image/svg+xml": svg,
    "text/html": `<img src="data:image/svg+xml;base64,${encoded}" alt="chart">`,
  };
}
