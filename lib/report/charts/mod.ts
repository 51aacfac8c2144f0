/**
 * Charts of the supplement as Vega-Lite specs, rendered headless to SVG.
 *
 * @module
 */
export * from "./accuracy_epsilon.ts";
export * from "./budget_heatmap.ts";
export * from "./cosine_histogram.ts";
export * from "./defense_epsilon.ts";
export * from "./fusion_bars.ts";
export * from "./render_chart.ts";
export * from "./training_curves.ts";
export * from "./localization_overlays.ts";
