import assert from "node:assert/strict";
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { createModel } from "../../lib/models/create_model.ts";
import { createOptimizer } from "../../lib/train/optimizer.ts";
import { trainStep } from "../../lib/train/train_step.ts";
import {
  bytesAt,
  estimateStepMemory,
  fittingMicroBatch,
  StepMemoryError,
} from "../../lib/train/step_memory.ts";

await useBackend("wasm");

Deno.test("estimateStepMemory() extrapolates a train step's peak to a larger batch within 10 %", async () => {
  const model = createModel({ kind: "av", fusion: "concat", numClasses: 4, seed: 3 });
  const optimizer = { kind: "sgd", momentum: 0.9, weightDecay: 1e-4 } as const;
  const before = await Promise.all(model.trainable.audio.map((v) => v.data()));
  const estimate = await estimateStepMemory(model, "train", { optimizer });
  const after = await Promise.all(model.trainable.audio.map((v) => v.data()));
  assert.deepEqual(after, before, "the probe leaves the weights as they were");
  const [h, w, c] = model.config.imageShape;
  const batch = {
    audio: tf.randomUniform([24, model.config.audioLength], -0.5, 0.5, "float32", 1) as tf.Tensor2D,
    visual: tf.randomUniform([24, h, w, c], 0, 1, "float32", 2) as tf.Tensor4D,
    labels: tf.zeros([24], "int32") as tf.Tensor1D,
  };
  const opt = createOptimizer(model, optimizer);
  const measured = await tf.profile(() => {
    const r = trainStep(model, batch, opt, { learningRates: { audio: 1e-3, visual: 1e-3, fusion: 1e-3 } });
    tf.dispose([r.loss, r.correct]);
  });
  const predicted = bytesAt(estimate, 24);
  assert.ok(
    Math.abs(predicted - measured.peakBytes) / measured.peakBytes < 0.1,
    `${predicted} vs ${measured.peakBytes}`,
  );
  tf.dispose([batch.audio, batch.visual, batch.labels]);
  opt.dispose();
  model.dispose();
});

Deno.test("fittingMicroBatch() splits evenly and refuses when one sample does not fit, naming the sizes", () => {
  const estimate = { step: "train" as const, fixedBytes: 2 ** 30, perSampleBytes: 400 * 2 ** 20 };
  assert.equal(fittingMicroBatch(estimate, 48, 3 * 2 ** 30), 5);
  assert.throws(
    () => fittingMicroBatch({ ...estimate, perSampleBytes: 3 * 2 ** 30 }, 48, 3 * 2 ** 30),
    (e: unknown) => e instanceof StepMemoryError && /one sample needs about 4\.00 GiB/.test(e.message),
  );
});
