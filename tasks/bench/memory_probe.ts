/**
 * One case of the `memory` bench suite, in a fresh process (the wasm heap only grows): runs one step of
 * a model at a batch size, then prints JSON with the wasm heap size, the step's `tf.profile` peak and the
 * estimate `estimateStepMemory` makes from batches 1 and 2.
 *
 * Usage: `deno run -A tasks/bench/memory_probe.ts small|paper train|attack BATCH`
 *
 * @module
 */
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { createModel, type ModelPreset } from "../../lib/models/mod.ts";
import { bytesAt, createOptimizer, estimateStepMemory, trainStep } from "../../lib/train/mod.ts";

const [preset = "small", step = "train", batchText = "8"] = Deno.args;
const batch = Number(batchText);
await useBackend("wasm");
const model = createModel({ kind: "av", fusion: "concat", numClasses: 10, preset: preset as ModelPreset });
const [h, w, c] = model.config.imageShape;
const audio = tf.randomUniform([batch, model.config.audioLength], -0.5, 0.5, "float32", 1) as tf.Tensor2D;
const visual = tf.randomUniform([batch, h, w, c], 0, 1, "float32", 2) as tf.Tensor4D;
const labels = tf.zeros([batch], "int32") as tf.Tensor1D;
const optimizer = { kind: "sgd", momentum: 0.9, weightDecay: 1e-4 } as const;
const started = performance.now();
const profile = await tf.profile(() => {
  if (step === "train") {
    const opt = createOptimizer(model, optimizer);
    const r = trainStep(model, { audio, visual, labels }, opt, {
      learningRates: { audio: 1e-3, visual: 1e-3, fusion: 1e-3 },
    });
    tf.dispose([r.loss, r.correct]);
    return;
  }
  const grads = tf.grads((a: tf.Tensor, v: tf.Tensor) => {
    const output = model.apply(a as tf.Tensor2D, v as tf.Tensor4D, { training: false });
    return tf.sum(tf.losses.softmaxCrossEntropy(tf.oneHot(labels, 10), output.logits));
  })([audio, visual]);
  tf.dispose(grads);
});
const stepMs = performance.now() - started;
// deno-lint-ignore no-explicit-any
const heapBytes: number = (tf.backend() as any).wasm?.HEAPU8?.buffer?.byteLength ?? NaN;
const estimate = await estimateStepMemory(model, step === "train" ? "train" : "attack", { optimizer });
console.log(JSON.stringify({
  estimateBytes: bytesAt(estimate, batch),
  profilePeakBytes: profile.peakBytes,
  heapBytes,
  residentBytes: Deno.memoryUsage().rss,
  stepMs,
}));
