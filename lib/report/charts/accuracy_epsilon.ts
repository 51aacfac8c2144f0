/**
 * Accuracy against ε per attacked modality, one panel per model (the paper's Fig. 3).
 *
 * @module
 */
import {
  accuracyScale,
  chooseAttack,
  distinct,
  interval,
  INTERVAL_TOOLTIP,
  intervalLayer,
  modelOrder,
  PANEL,
  visualBudgetList,
} from "./_common.ts";
import { attackKey } from "../attack_identity.ts";
import type { ChartSpec, ReportRecord } from "../types.ts";

/** Options of {@linkcode accuracyEpsilonChart}. */
export interface AccuracyEpsilonOptions {
  /** The attack whose sweep is shown. A name, label or key. @default the registry's first iterative attack present */
  attack?: string;
  /** ε is multiplied by this for the x axis (the paper plots in units of 10⁻³). @default 1000 */
  epsilonScale?: number;
}

/**
 * Builds the ε-sweep line chart from the `grid` records: for each model, one line per attacked
 * modality (audio only, visual only, both with equal ε), the clean point shared at ε = 0, and a band of
 * 95% Wilson intervals around each line. The caption gives each visual ε with its pixel size for the
 * records' models (`visualBudgetList`).
 *
 * Fields of the data rows: `dataset`, `model`, `modality` (`audio`/`visual`/`joint`), `epsilon`
 * (scaled ε per modality), `accuracy`, `low`, `high` (the interval), `total`.
 *
 * @param records The report's records (others than the `grid` study of the attack are ignored).
 * @param options Which attack and the ε units.
 * @returns The chart; `rows` is 0 when no sweep was run.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const base = { attackOptions: {}, dataset: "d", model: "av-concat", kind: "av", fusion: "concat", study: "grid", norm: "linf",
 *   visualUnits: "normalized", total: 10, seed: 0 } as const;
 * const chart = accuracyEpsilonChart([
 *   { ...base, attack: "pgd", setting: "clean", epsAudio: 0, epsVisual: 0, correct: 9, accuracy: 0.9 },
 *   { ...base, attack: "pgd", setting: "audio", epsAudio: 0.002, epsVisual: 0, correct: 5, accuracy: 0.5 },
 * ]);
 * assert.equal(chart.rows, 4); // the clean point starts each of the three curves
 * ```
 */
export function accuracyEpsilonChart(
  records: readonly ReportRecord[],
  options: AccuracyEpsilonOptions = {},
): ChartSpec {
  const grid = records.filter((r) => r.study === "grid");
  const { epsilonScale = 1000 } = options;
  const attack = chooseAttack(grid, options.attack);
  const chosen = grid.filter((r) => attackKey(r) === attack.key || r.setting === "clean");
  const rows: Record<string, string | number>[] = [];
  for (const r of chosen) {
    const common = {
      dataset: r.dataset,
      model: r.model,
      accuracy: r.accuracy,
      ...interval(r),
      total: r.total,
    };
    if (r.epsAudio === 0 && r.epsVisual === 0) {
      const curves = r.kind === "audio"
        ? ["audio"]
        : r.kind === "visual"
        ? ["visual"]
        : ["audio", "visual", "joint"];
      for (const modality of curves) rows.push({ ...common, modality, epsilon: 0 });
    } else if (r.epsVisual === 0) {
      rows.push({ ...common, modality: "audio", epsilon: r.epsAudio * epsilonScale });
    } else if (r.epsAudio === 0) {
      rows.push({ ...common, modality: "visual", epsilon: r.epsVisual * epsilonScale });
    } else if (r.epsAudio === r.epsVisual) {
      rows.push({ ...common, modality: "joint", epsilon: r.epsAudio * epsilonScale });
    }
  }
  const units = epsilonScale === 1 ? "ε" : `ε (×${1 / epsilonScale})`;
  const color = {
    field: "modality",
    type: "nominal" as const,
    title: "attacked",
    scale: { domain: ["audio", "visual", "joint"] },
    legend: { symbolOpacity: 1 },
  };
  const visual = visualBudgetList(chosen);
  return {
    name: "accuracy_epsilon",
    title: `Accuracy against ε per attacked modality (${attack.label}; joint = both modalities at ε; ` +
      `${visual ? `${visual}; ` : ""}bands: 95% intervals)`,
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
          sort: distinct(chosen.map((r) => r.dataset)),
        },
      },
      spec: {
        width: PANEL.width,
        height: PANEL.height,
        encoding: {
          x: { field: "epsilon", type: "quantitative", title: units },
          y: accuracyScale(),
        },
        layer: [
          intervalLayer("band", color),
          {
            mark: { type: "line", point: true },
            encoding: {
              color,
              tooltip: [
                { field: "model", type: "nominal" },
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
