import assert from "node:assert/strict";
import { trainingCurvesChart } from "../../../lib/report/charts/training_curves.ts";
import type { TrainedModel } from "../../../lib/report/types.ts";
import { assertValidChart, rowsOf, viewOf } from "./_chart_check.ts";

function model(name: string, epochs: number, samples?: { val: number; test: number }): TrainedModel {
  return {
    dataset: "d",
    datasetHash: "h",
    model: name,
    kind: "av",
    fusion: "sum",
    key: "k",
    checkpoint: "c",
    checkpointHash: "c",
    bestEpoch: epochs - 1,
    valAccuracy: 0.5,
    testAccuracy: 0.5,
    history: Array.from({ length: epochs }, (_, epoch) => ({
      epoch,
      trainLoss: 1,
      trainAccuracy: 0.5 + 0.1 * epoch,
      valLoss: 1,
      valAccuracy: 0.4 + 0.1 * epoch,
      learningRates: { audio: 0.1, visual: 0.1, fusion: 0.1 },
      seconds: 1,
    })),
    seconds: 1,
    ...(samples ? { samples } : {}),
  };
}

Deno.test("trainingCurvesChart() tells the splits apart by dash and symbol, not by two black dots", async () => {
  const chart = trainingCurvesChart([model("audio", 3, { val: 40, test: 40 }), model("av-sum", 3)]);
  await assertValidChart(chart, ["dataset", "model", "epoch", "split", "accuracy"]);
  const line = viewOf(chart, "line");
  assert.equal(line.encoding.color?.field, "model");
  assert.equal(line.encoding.strokeDash?.field, "split");
  const points = viewOf(chart, "point");
  assert.equal(points.encoding.shape?.field, "split");
  const shapes = (points.encoding.shape as { scale: { range: string[] } }).scale.range;
  assert.equal(new Set(shapes).size, 2, "two symbols");
});

Deno.test("trainingCurvesChart() labels epochs as integers, even for one epoch", async () => {
  const chart = trainingCurvesChart([model("audio", 1)]);
  const x = viewOf(chart, "line").encoding.x as { axis: { format: string; tickMinStep: number } };
  assert.deepEqual([x.axis.format, x.axis.tickMinStep], ["d", 1]);
  const svg = await assertValidChart(chart, ["epoch"]);
  assert.doesNotMatch(svg, /1\.0000/);
});

Deno.test("trainingCurvesChart() bands the validation accuracy where the split size is known", () => {
  const rows = rowsOf(trainingCurvesChart([model("audio", 2, { val: 40, test: 40 }), model("av-sum", 2)]));
  const banded = rows.filter((r) => "low" in r);
  assert.ok(banded.length === 2 && banded.every((r) => r.split === "val" && r.model === "audio"));
});
