/**
 * Histograms of the per-sample cosine similarity of audio and visual features, clean against attacked
 * (the analysis behind the paper's dissimilarity defense).
 *
 * @module
 */
import { chooseAttack, distinct, modelOrder, PANEL, SETTING_LABELS, strongestAttack } from "./_common.ts";
import { attackKey } from "../attack_identity.ts";
import type { ChartSpec, ReportRecord } from "../types.ts";

/** Options of {@linkcode cosineHistogramChart}. */
export interface CosineHistogramOptions {
  /**
   * The attack whose joint (AV) setting is compared with clean. A name, label or key.
   * @default the strongest attack of the records: the lowest mean accuracy under the joint setting
   */
  attack?: string;
  /** Upper bound on the number of bins. @default Rice's rule on the samples per histogram, in [10, 40] */
  maxBins?: number;
}

/**
 * Builds overlaid histograms of cos(f_v, f_a) per `av` model: the clean `table` record against the same
 * model under the chosen attack's joint setting (by default the strongest attack of the run). The bins
 * span the cosines measured (not all of [-1, 1]), so a narrow spread still fills the axis.
 *
 * Fields of the data rows: `dataset`, `model`, `condition` (`clean` or `<attack> AV-attack`), `cosine`.
 *
 * @param records The report's records (only those with `cosine` count).
 * @param options Which attack.
 * @returns The chart; `rows` is 0 when no cosines were recorded.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const base = { attackOptions: {}, dataset: "d", model: "av-concat", kind: "av", fusion: "concat", study: "table",
 *   norm: "linf", visualUnits: "normalized", total: 2, seed: 0 } as const;
 * const chart = cosineHistogramChart([
 *   { ...base, attack: "none", setting: "clean", epsAudio: 0, epsVisual: 0, correct: 2, accuracy: 1, cosine: [0.1, 0.2] },
 *   { ...base, attack: "fgsm", setting: "joint", epsAudio: 0.1, epsVisual: 0.1, correct: 0, accuracy: 0, cosine: [0.5, 0.6] },
 * ]);
 * assert.equal(chart.rows, 4);
 * ```
 */
export function cosineHistogramChart(
  records: readonly ReportRecord[],
  options: CosineHistogramOptions = {},
): ChartSpec {
  const withCosine = records.filter((r) => r.study === "table" && r.kind === "av" && r.cosine !== undefined);
  const attack = chooseAttack(withCosine, options.attack ?? strongestAttack(withCosine, "joint"));
  const rows: { dataset: string; model: string; condition: string; cosine: number }[] = [];
  const attacked = `${attack.label} ${SETTING_LABELS.joint}`;
  for (const r of withCosine) {
    const condition = r.setting === "clean"
      ? "clean"
      : attackKey(r) === attack.key && r.setting === "joint"
      ? attacked
      : null;
    if (condition === null) continue;
    for (const cosine of r.cosine ?? []) rows.push({ dataset: r.dataset, model: r.model, condition, cosine });
  }
  const values = rows.map((r) => r.cosine);
  const low = Math.min(...values), high = Math.max(...values);
  const pad = Math.max(1e-3, (high - low) * 0.02);
  const histograms = new Set(rows.map((r) => `${r.dataset}\u0000${r.model}\u0000${r.condition}`)).size;
  const perHistogram = rows.length / Math.max(1, histograms);
  const maxbins = options.maxBins ?? Math.min(40, Math.max(10, Math.ceil(2 * Math.cbrt(perHistogram))));
  return {
    name: "cosine_histogram",
    title: attack.key === "none"
      ? "Cosine similarity of audio and visual features"
      : `Cosine similarity of audio and visual features, clean against ${attacked}`,
    rows: rows.length,
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      data: { values: rows },
      width: PANEL.width,
      height: PANEL.height,
      mark: { type: "bar", opacity: 0.55, binSpacing: 0 },
      encoding: {
        x: {
          field: "cosine",
          type: "quantitative",
          bin: rows.length > 0
            ? { maxbins, extent: [Math.max(-1, low - pad), Math.min(1, high + pad)] }
            : true,
          title: "cos(f_v, f_a)",
        },
        y: { aggregate: "count", type: "quantitative", stack: null, title: "samples" },
        color: {
          field: "condition",
          type: "nominal",
          title: "inputs",
          scale: { domain: ["clean", attacked] },
        },
        column: { field: "model", type: "nominal", title: "model", sort: modelOrder(withCosine) },
        row: {
          field: "dataset",
          type: "nominal",
          title: "dataset",
          sort: distinct(withCosine.map((r) => r.dataset)),
        },
      },
    },
  };
}
