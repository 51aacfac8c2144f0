/**
 * The supplement: a pipeline of cached stages (data, train, attack; later steps plug in as further
 * stages), charts as Vega-Lite specs rendered headless to SVG, the paper's claims checked against the
 * measured records, and a static report folder (`index.html`, `results.json`, `results.csv`, chart
 * specs, provenance).
 *
 * @example Render a chart from records
 * ```ts
 * import assert from "node:assert/strict";
 * import { fusionBarsChart, renderChartSvg } from "./mod.ts";
 * const chart = fusionBarsChart([{ dataset: "d", model: "av-sum", kind: "av", fusion: "sum", attack: "none",
 *   attackOptions: {},
 *   study: "table", setting: "clean", norm: "linf", epsAudio: 0, epsVisual: 0, visualUnits: "pixel",
 *   correct: 9, total: 10, accuracy: 0.9, seed: 0 }]);
 * assert.ok((await renderChartSvg(chart.spec)).startsWith("<svg"));
 * ```
 *
 * @module
 */
export * from "./page/mod.ts";
export * from "./charts/mod.ts";
export * from "./examples/mod.ts";
export * from "./study/mod.ts";
export * from "./pipeline/mod.ts";
export * from "./attack_identity.ts";
export * from "./labels.ts";
export * from "./published_results.ts";
export * from "./types.ts";
