import assert from "node:assert/strict";
import { progressPrinter } from "../../../lib/report/pipeline/format_pipeline_event.ts";

Deno.test("progressPrinter() keeps each stage's position and progress pace when stages interleave", () => {
  const lines: string[] = [];
  const onEvent = progressPrinter((line) => lines.push(line), 60);
  onEvent({ type: "start", stage: "train", index: 1, total: 5, description: "train" });
  onEvent({ type: "start", stage: "localize", index: 3, total: 5, description: "localize" });
  onEvent({ type: "progress", stage: "train", message: "epoch 1/6" });
  onEvent({ type: "progress", stage: "localize", message: "epoch 1/6" });
  onEvent({ type: "progress", stage: "train", message: "epoch 2/6" }); // within the interval: dropped
  assert.deepEqual(lines, [
    "[2/5 train] train",
    "[4/5 localize] localize",
    "[2/5 train] epoch 1/6",
    "[4/5 localize] epoch 1/6",
  ]);
});
