import assert from "node:assert/strict";
import { formatProgress } from "../../lib/train/progress.ts";

Deno.test("formatProgress() draws a bar with loss, accuracy and ETA for steps", () => {
  const line = formatProgress({
    kind: "step",
    epoch: 1,
    epochs: 3,
    step: 94,
    steps: 94,
    loss: 0.25,
    accuracy: 0.9,
    elapsedSeconds: 30,
    etaSeconds: 3725,
  }, 10);
  assert.equal(line, "epoch 2/3 [==========] 94/94 loss 0.2500 acc 90.0% eta 1:02:05");
});

Deno.test("formatProgress() writes one summary line per epoch and marks the best", () => {
  const line = formatProgress({
    kind: "epoch",
    epochs: 4,
    isBest: true,
    etaSeconds: 42,
    record: {
      epoch: 0,
      trainLoss: 1,
      trainAccuracy: 0.5,
      valLoss: 0.75,
      valAccuracy: 0.625,
      learningRates: { audio: 1e-3, visual: 1e-3, fusion: 1e-3 },
      seconds: 12.34,
    },
  });
  assert.equal(
    line,
    "epoch 1/4 train loss 1.0000 acc 50.0% | val loss 0.7500 acc 62.5% (best) | 12.3s, eta 0:42",
  );
  assert.equal(formatProgress({ kind: "resume", epoch: 2, epochs: 4 }), "resuming after epoch 2/4");
});
