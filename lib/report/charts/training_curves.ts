/**
 * Training curves: validation accuracy per epoch of every model.
 *
 * @module
 */
import { wilsonInterval } from "../../eval/wilson_interval.ts";
import { accuracyScale, distinct, intervalLayer, PANEL } from "./_common.ts";
import type { ChartSpec, TrainedModel } from "../types.ts";

// How the two splits are drawn: solid line with filled circles, dashed line with open squares.
const SPLIT_DOMAIN = ["val", "train"];
const SPLIT_DASH = [[1, 0], [5, 3]];
const SPLIT_SHAPE = ["circle", "square"];

/**
 * Builds the training-curve chart: validation accuracy (solid line, filled circles, with a band of 95%
 * Wilson intervals where the split size is known) and training accuracy (dashed line, open squares)
 * against the epoch, one colour per model, one panel per dataset. The epoch axis has integer ticks only.
 *
 * Fields of the data rows: `dataset`, `model`, `epoch` (1-based), `split` (`train`/`val`), `accuracy`, and
 * for validation rows with a known split size `low` and `high`.
 *
 * @param models The `train` stage's models.
 * @returns The chart; `rows` is 0 without models.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(trainingCurvesChart([]).rows, 0);
 * ```
 */
export function trainingCurvesChart(models: readonly TrainedModel[]): ChartSpec {
  const rows = models.flatMap((m) =>
    m.history.flatMap((h) => {
      const common = { dataset: m.dataset, model: m.model, epoch: h.epoch + 1 };
      const n = m.samples?.val ?? 0;
      const band = n > 0 ? wilsonInterval(Math.round(h.valAccuracy * n), n) : undefined;
      return [
        {
          ...common,
          split: "val",
          accuracy: h.valAccuracy,
          ...(band ? { low: band.low, high: band.high } : {}),
        },
        { ...common, split: "train", accuracy: h.trainAccuracy },
      ];
    })
  );
  const color = { field: "model", type: "nominal" as const, title: "model", legend: { symbolOpacity: 1 } };
  const split = {
    field: "split",
    type: "nominal" as const,
    title: "split",
    legend: { symbolFillColor: "#555", symbolStrokeColor: "#555", symbolSize: 70 },
  };
  return {
    name: "training_curves",
    title: "Accuracy per epoch (solid, filled circles: validation with 95% interval bands; dashed, open " +
      "squares: training batches)",
    rows: rows.length,
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      data: { values: rows },
      facet: {
        column: {
          field: "dataset",
          type: "nominal",
          title: "dataset",
          sort: distinct(models.map((m) => m.dataset)),
        },
      },
      spec: {
        width: PANEL.width,
        height: PANEL.height,
        encoding: {
          x: {
            field: "epoch",
            type: "quantitative",
            title: "epoch",
            axis: { format: "d", tickMinStep: 1 },
            scale: { nice: false, padding: 12 },
          },
          y: accuracyScale(),
        },
        layer: [
          { ...intervalLayer("band", color), transform: [{ filter: "isValid(datum.low)" }] },
          {
            mark: { type: "line" },
            encoding: {
              color,
              strokeDash: { ...split, scale: { domain: SPLIT_DOMAIN, range: SPLIT_DASH } },
            },
          },
          ...(["val", "train"] as const).map((name) => ({
            transform: [{ filter: `datum.split === '${name}'` }],
            mark: { type: "point" as const, size: 45, strokeWidth: 1.5, opacity: 1, filled: name === "val" },
            encoding: {
              color,
              shape: { ...split, scale: { domain: SPLIT_DOMAIN, range: SPLIT_SHAPE } },
              tooltip: [
                { field: "model", type: "nominal" as const },
                { field: "split", type: "nominal" as const },
                { field: "epoch", type: "quantitative" as const, format: "d" },
                { field: "accuracy", type: "quantitative" as const, format: ".1%" },
              ],
            },
          })),
        ],
      },
    },
  };
}
