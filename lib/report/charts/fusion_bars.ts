/**
 * Grouped bars: accuracy of each fusion mechanism under the paper's four settings (Table 2 as a chart).
 *
 * @module
 */
import {
  accuracyScale,
  distinct,
  interval,
  INTERVAL_TOOLTIP,
  intervalLayer,
  PANEL,
  SETTING_LABELS,
  SETTING_ORDER,
} from "./_common.ts";
import { attackKey, attackLabel, distinctAttacks } from "../attack_identity.ts";
import type { ChartSpec, ReportRecord } from "../types.ts";

/**
 * Builds grouped bars from the `table` records of `av` models: x = setting (clean, A, V, AV), one bar per
 * fusion with its 95% Wilson interval as an error bar, a panel per dataset (columns) and attack (rows).
 * Clean accuracy appears in every attack row.
 *
 * Fields of the data rows: `dataset`, `attack` (its label), `fusion`, `setting` (label), `accuracy`, `low`,
 * `high` (the interval), `total`.
 *
 * @param records The report's records.
 * @returns The chart; `rows` is 0 when no av model was evaluated.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const base = { attackOptions: {}, dataset: "d", kind: "av", study: "table", norm: "linf", visualUnits: "normalized",
 *   total: 10, seed: 0, epsAudio: 0, epsVisual: 0 } as const;
 * const chart = fusionBarsChart([
 *   { ...base, model: "av-sum", fusion: "sum", attack: "none", setting: "clean", correct: 9, accuracy: 0.9 },
 *   { ...base, model: "av-sum", fusion: "sum", attack: "pgd", setting: "joint", correct: 2, accuracy: 0.2 },
 * ]);
 * assert.equal(chart.rows, 2);
 * ```
 */
export function fusionBarsChart(records: readonly ReportRecord[]): ChartSpec {
  const table = records.filter((r) => r.study === "table" && r.kind === "av");
  const attacks = distinctAttacks(table);
  const labels = attacks.map(attackLabel);
  const rows: Record<string, string | number>[] = [];
  for (const r of table) {
    const common = {
      dataset: r.dataset,
      fusion: r.fusion,
      setting: SETTING_LABELS[r.setting],
      accuracy: r.accuracy,
      ...interval(r),
    };
    if (r.setting === "clean") {
      for (const attack of labels.length > 0 ? labels : ["none"]) {
        rows.push({ ...common, attack, total: r.total });
      }
    } else {
      const attack = attacks.find((a) => attackKey(a) === attackKey(r));
      rows.push({ ...common, attack: attack ? attackLabel(attack) : attackLabel(r), total: r.total });
    }
  }
  return {
    name: "fusion_bars",
    title: "Accuracy per fusion mechanism under audio (A), visual (V) and joint (AV) attacks " +
      "(error bars: 95% intervals)",
    rows: rows.length,
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      data: { values: rows },
      facet: {
        column: {
          field: "dataset",
          type: "nominal",
          title: "dataset",
          sort: distinct(table.map((r) => r.dataset)),
        },
        row: { field: "attack", type: "nominal", title: "attack", sort: labels },
      },
      spec: {
        width: PANEL.width,
        height: PANEL.height,
        encoding: {
          x: {
            field: "setting",
            type: "nominal",
            title: null,
            sort: SETTING_ORDER.map((s) => SETTING_LABELS[s]),
          },
          xOffset: { field: "fusion", type: "nominal" },
          y: accuracyScale(),
        },
        layer: [
          {
            mark: "bar",
            encoding: {
              color: { field: "fusion", type: "nominal", title: "fusion" },
              tooltip: [
                { field: "fusion", type: "nominal" },
                { field: "setting", type: "nominal" },
                { field: "accuracy", type: "quantitative", format: ".1%" },
                ...INTERVAL_TOOLTIP,
              ],
            },
          },
          intervalLayer("bars"),
        ],
      },
    },
  };
}
