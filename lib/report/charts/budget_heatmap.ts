/**
 * Heat map of accuracy over the (ε_v, ε_a) grid, one panel per audio-visual model.
 *
 * @module
 */
import {
  chooseAttack,
  distinct,
  interval,
  INTERVAL_TOOLTIP,
  modelOrder,
  PANEL,
  visualBudgetList,
} from "./_common.ts";
import { attackKey } from "../attack_identity.ts";
import type { ChartSpec, ReportRecord } from "../types.ts";

/** Options of {@linkcode budgetHeatmapChart}. */
export interface BudgetHeatmapOptions {
  /** The attack whose grid is shown. A name, label or key. @default the registry's first iterative attack present */
  attack?: string;
  /** ε is multiplied by this on the axes. @default 1000 */
  epsilonScale?: number;
}

/**
 * Builds the ε_v × ε_a heat map from the `grid` records of `av` models, with the accuracy printed in
 * each cell and its 95% Wilson interval under it; the caption gives each ε_v with its pixel size for the
 * records' models (`visualBudgetList`).
 *
 * Fields of the data rows: `dataset`, `model`, `epsAudio`, `epsVisual` (scaled), `accuracy`, `low`, `high`
 * (the interval), `total`.
 *
 * @param records The report's records.
 * @param options Which attack and the ε units.
 * @returns The chart; `rows` is 0 when no grid was run.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const base = { attackOptions: {}, dataset: "d", model: "av-concat", kind: "av", fusion: "concat", study: "grid",
 *   norm: "linf", visualUnits: "normalized", total: 10, seed: 0 } as const;
 * const chart = budgetHeatmapChart([
 *   { ...base, attack: "pgd", setting: "joint", epsAudio: 0.001, epsVisual: 0.002, correct: 4, accuracy: 0.4 },
 * ]);
 * assert.equal(chart.rows, 1);
 * ```
 */
export function budgetHeatmapChart(
  records: readonly ReportRecord[],
  options: BudgetHeatmapOptions = {},
): ChartSpec {
  const grid = records.filter((r) => r.study === "grid" && r.kind === "av");
  const { epsilonScale = 1000 } = options;
  const attack = chooseAttack(grid, options.attack);
  const chosen = grid.filter((r) => attackKey(r) === attack.key || r.setting === "clean");
  const rows = chosen.map((r) => ({
    dataset: r.dataset,
    model: r.model,
    epsAudio: Number((r.epsAudio * epsilonScale).toPrecision(6)),
    epsVisual: Number((r.epsVisual * epsilonScale).toPrecision(6)),
    accuracy: r.accuracy,
    ...interval(r),
    total: r.total,
  }));
  const units = epsilonScale === 1 ? "" : ` (×${1 / epsilonScale})`;
  const epsValues = (field: "epsAudio" | "epsVisual") =>
    distinct(rows.map((row) => row[field])).sort((a, b) => a - b);
  const visual = visualBudgetList(chosen);
  return {
    name: "budget_heatmap",
    title:
      `Accuracy over the ε_v × ε_a grid (${attack.label}; ${visual ? `${visual}; ` : ""}under each: its ` +
      "95% interval)",
    rows: rows.length,
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      data: { values: rows },
      facet: {
        column: { field: "model", type: "nominal", title: "model", sort: modelOrder(chosen) },
        row: {
          field: "dataset",
          type: "nominal",
          title: "dataset",
          sort: distinct(rows.map((r) => r.dataset)),
        },
      },
      spec: {
        width: PANEL.width,
        height: PANEL.height,
        encoding: {
          x: { field: "epsAudio", type: "ordinal", title: `ε_a${units}`, sort: epsValues("epsAudio") },
          y: {
            field: "epsVisual",
            type: "ordinal",
            title: `ε_v${units}`,
            sort: epsValues("epsVisual").reverse(),
          },
        },
        layer: [
          {
            mark: "rect",
            encoding: {
              color: {
                field: "accuracy",
                type: "quantitative",
                title: "accuracy",
                scale: { domain: [0, 1], scheme: "viridis" },
                legend: { format: "%" },
              },
              tooltip: [
                { field: "epsAudio", type: "ordinal" },
                { field: "epsVisual", type: "ordinal" },
                { field: "accuracy", type: "quantitative", format: ".1%" },
                ...INTERVAL_TOOLTIP,
              ],
            },
          },
          {
            mark: { type: "text", fontSize: 11, dy: -6 },
            encoding: {
              text: { field: "accuracy", type: "quantitative", format: ".0%" },
              color: { condition: { test: "datum.accuracy > 0.6", value: "black" }, value: "white" },
            },
          },
          {
            transform: [{
              calculate:
                "'[' + format(datum.low * 100, '.0f') + ', ' + format(datum.high * 100, '.0f') + ']'",
              as: "range",
            }],
            mark: { type: "text", fontSize: 8, dy: 7 },
            encoding: {
              text: { field: "range", type: "nominal" },
              color: { condition: { test: "datum.accuracy > 0.6", value: "black" }, value: "white" },
            },
          },
        ],
      },
    },
  };
}
