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
 *   study: "table", setting: "clean", norm: "linf", epsAudio: 0, epsVisual: 0, visualUnits: "pixel",
 *   correct: 9, total: 10, accuracy: 0.9, seed: 0 }]);
 * assert.ok((await renderChartSvg(chart.spec)).startsWith("<svg"));
 * ```
 *
 * @module
 */
export * from "./assemble_report.ts";
export * from "./chart_accuracy_epsilon.ts";
export * from "./chart_budget_heatmap.ts";
export * from "./chart_cosine_histogram.ts";
export * from "./chart_fusion_bars.ts";
export * from "./chart_training_curves.ts";
export * from "./check_summary.ts";
export * from "./claims.ts";
export * from "./code_version.ts";
export * from "./escape.ts";
export * from "./execute_notebook.ts";
export * from "./format_pipeline_event.ts";
export * from "./from_eval_records.ts";
export * from "./kernelspec.ts";
export * from "./pipeline.ts";
export * from "./profile_notes.ts";
export * from "./provenance.ts";
export * from "./records_csv.ts";
export * from "./render_chart.ts";
export * from "./render_markdown.ts";
export * from "./report_config.ts";
export * from "./report_html.ts";
export * from "./report_markdown.ts";
export * from "./report_sections.ts";
export * from "./results_table.ts";
export * from "./stage_attack.ts";
export * from "./stage_data.ts";
export * from "./stage_train.ts";
export * from "./stages.ts";
export * from "./types.ts";
export * from "./write_report.ts";
