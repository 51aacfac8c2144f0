/**
 * Training curves: validation accuracy per epoch of every model.
 *
 * @module
 */
import { accuracyScale, distinct, PANEL } from "./_common.ts";
import type { ChartSpec, TrainedModel } from "../types.ts";

/**
 * Builds the training-curve chart: validation accuracy (and training accuracy, dashed) against the
 * epoch, one line per model, one panel per dataset.
 *
 * Fields of the data rows: `dataset`, `model`, `epoch` (1-based), `split` (`train`/`val`), `accuracy`.
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
    m.history.flatMap((h) => [
      { dataset: m.dataset, model: m.model, epoch: h.epoch + 1, split: "val", accuracy: h.valAccuracy },
      { dataset: m.dataset, model: m.model, epoch: h.epoch + 1, split: "train", accuracy: h.trainAccuracy },
    ])
  );
  return {
    name: "training_curves",
    title: "Accuracy per epoch (solid: validation, dashed: training batches)",
    rows: rows.length,
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      data: { values: rows },
      width: PANEL.width,
      height: PANEL.height,
      mark: { type: "line", point: true },
      encoding: {
        x: { field: "epoch", type: "quantitative", title: "epoch", axis: { tickMinStep: 1 } },
        y: accuracyScale(),
        color: { field: "model", type: "nominal", title: "model" },
        strokeDash: { field: "split", type: "nominal", title: "split", sort: ["val", "train"] },
        column: {
          field: "dataset",
          type: "nominal",
          title: "dataset",
          sort: distinct(models.map((m) => m.dataset)),
        },
      },
    },
  };
}
