/**
 * Robust accuracy against ε per defense: the defense study's worst-case adaptive accuracy per attacked
 * modality.
 *
 * @module
 */
import {
  accuracyScale,
  distinct,
  INTERVAL_TOOLTIP,
  intervalLayer,
  PANEL,
  visualBudgetList,
} from "./_common.ts";
import type { ChartSpec } from "../types.ts";

/** The fields of a defense-study record the chart reads (the `defense` stage's records have them). */
export interface DefenseChartRow {
  dataset: string;
  defense: string;
  study: "table" | "ablation" | "sanity";
  setting: "clean" | "audio" | "visual" | "joint";
  epsAudio: number;
  epsVisual: number;
  accuracy: { value: number; low: number; high: number };
  /** The model's per-channel visual std (ε_v is in its normalised units). @default unknown */
  visualStd?: readonly number[];
}

/**
 * Builds the line chart of robust accuracy (per-sample worst case over the adaptive battery) against ε,
 * one line per defense, one panel per attacked modality (audio, visual, joint: both at ε) and dataset. The
 * clean accuracy starts each line at ε = 0; the joint line ends at the large-ε sanity point. A band shows
 * each record's 95% bootstrap interval (data-row fields `low`, `high`). The caption gives each visual ε
 * with its pixel size for the records' model (`visualBudgetList`).
 *
 * @param records Rows of the `defense` stage (ablations are left out).
 * @param options `epsilonScale`: ε is multiplied by it on the x axis (default 1000, units of 10⁻³).
 * @returns The chart (`rows` is 0 without records).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const row = { dataset: "d", defense: "vanilla", study: "table", epsVisual: 0 } as const;
 * const chart = defenseEpsilonChart([
 *   { ...row, setting: "clean", epsAudio: 0, accuracy: { value: 0.9, low: 0.8, high: 1 } },
 *   { ...row, setting: "audio", epsAudio: 0.006, accuracy: { value: 0.1, low: 0, high: 0.2 } },
 * ]);
 * assert.equal(chart.rows, 4); // clean starts the audio, visual and joint lines
 * ```
 */
export function defenseEpsilonChart(
  records: readonly DefenseChartRow[],
  options: { epsilonScale?: number } = {},
): ChartSpec {
  const { epsilonScale = 1000 } = options;
  const rows: Record<string, string | number>[] = [];
  const shown = records.filter((r) => r.study !== "ablation");
  for (const r of shown) {
    const { value: accuracy, low, high } = r.accuracy;
    const common = { dataset: r.dataset, defense: r.defense, accuracy, low, high };
    if (r.setting === "clean") {
      for (const modality of ["audio", "visual", "joint"]) rows.push({ ...common, modality, epsilon: 0 });
    } else {
      const epsilon = r.setting === "visual" ? r.epsVisual : r.epsAudio;
      rows.push({ ...common, modality: r.setting, epsilon: epsilon * epsilonScale });
    }
  }
  const color = {
    field: "defense",
    type: "nominal" as const,
    title: "defense",
    sort: distinct(shown.map((r) => r.defense)),
    legend: { symbolOpacity: 1 },
  };
  const visual = visualBudgetList(
    shown.map((r) => ({ ...r, visualUnits: "normalized" as const })),
  );
  return {
    name: "defense_epsilon",
    title: "Robust accuracy (worst case over the adaptive attacks) against ε, per defense (" +
      `${visual ? `${visual}; ` : ""}bands: 95% bootstrap intervals)`,
    rows: rows.length,
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      data: { values: rows },
      facet: {
        column: { field: "modality", type: "nominal", title: "attacked", sort: ["audio", "visual", "joint"] },
        row: {
          field: "dataset",
          type: "nominal",
          title: "dataset",
          sort: distinct(shown.map((r) => r.dataset)),
        },
      },
      spec: {
        width: PANEL.width,
        height: PANEL.height,
        encoding: {
          x: {
            field: "epsilon",
            type: "quantitative",
            title: `ε (×${1 / epsilonScale})`,
            scale: { type: "symlog" },
          },
          y: accuracyScale("robust accuracy"),
        },
        layer: [
          intervalLayer("band", color, "robust accuracy"),
          {
            mark: { type: "line", point: true },
            encoding: {
              color,
              tooltip: [
                { field: "defense", type: "nominal" },
                { field: "modality", type: "nominal" },
                { field: "epsilon", type: "quantitative" },
                { field: "accuracy", type: "quantitative", format: ".1%" },
                ...INTERVAL_TOOLTIP,
              ],
            },
          },
        ],
      },
    },
  };
}
