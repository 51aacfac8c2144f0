/**
 * Run by `webgpu_parity_test.ts` in a child process (one backend per process): one training step and one
 * PGD step of an audio-visual model, printed as one JSON line for the parent to compare across backends.
 *
 * Usage: `deno run -A tests/engine/_backend_parity_probe.ts cpu|webgpu|wasm small|paper`
 *
 * @module
 */
import { BackendUnavailableError, tf, useBackend } from "../../lib/engine/mod.ts";
import type { BackendName } from "../../lib/engine/mod.ts";
import { createModel } from "../../lib/models/mod.ts";
import { createOptimizer, trainStep } from "../../lib/train/mod.ts";
import { pgd } from "../../lib/attacks/mod.ts";

const [backend = "cpu", preset = "small"] = Deno.args;
try {
  await useBackend(backend as BackendName, { seed: 1 });
} catch (error) {
  if (!(error instanceof BackendUnavailableError)) throw error;
  console.log(JSON.stringify({ outcome: "unavailable", message: error.message }));
  Deno.exit(0);
}
if (preset === "none") {
  console.log(JSON.stringify({ outcome: "ran", backend: tf.getBackend() }));
  Deno.exit(0);
}
// Each preset's encoders (small: log-mel CNN + small ResNet; paper: ANet + ResNet-18) on small inputs, so
// that the reference cpu backend and a software WebGPU renderer take seconds.
const sizes = preset === "paper"
  ? { imageShape: [64, 64, 3] as [number, number, number], audioLength: 4096, sampleRate: 11025 }
  : { imageShape: [16, 16, 1] as [number, number, number], audioLength: 2048, sampleRate: 8000 };
const model = createModel({
  kind: "av",
  fusion: "concat",
  numClasses: 4,
  preset: preset as "small",
  seed: 3,
  ...sizes,
});
const [h, w, c] = model.config.imageShape;
const batch = {
  audio: tf.tidy(() =>
    tf.mul(tf.sin(tf.reshape(tf.range(0, 2 * model.config.audioLength), [2, -1])), 0.4)
  ) as tf.Tensor2D,
  visual: tf.tidy(() =>
    tf.reshape(tf.mul(tf.add(tf.cos(tf.range(0, 2 * h * w * c)), 1), 0.5), [2, h, w, c])
  ) as tf.Tensor4D,
  labels: tf.tensor1d([1, 2], "int32"),
};
const budget = { norm: "linf" as const, audio: 0.01, visual: 0.02 };
const attacked = await pgd(model, batch, {
  budget,
  steps: 1,
  randomStart: false,
  relativeStepSize: 1,
  earlyStop: false,
});
const adversarial = Array.from(await attacked.audio.data()).slice(0, 4096);
const adversarialVisual = Array.from(await attacked.visual.data()).slice(0, 4096);
tf.dispose([attacked.audio, attacked.visual]);
const variables = [...model.trainable.audio, ...model.trainable.visual, ...model.trainable.fusion];
const before = await Promise.all(variables.map(async (v) => Array.from(await v.data()).slice(0, 64)));
const optimizer = createOptimizer(model, { kind: "sgd", momentum: 0.9, weightDecay: 1e-4 });
const step = trainStep(model, batch, optimizer, {
  learningRates: { audio: 0.01, visual: 0.01, fusion: 0.01 },
});
const loss = (await step.loss.data())[0];
// Per variable, the first 64 components of the update the step made.
const updates = await Promise.all(
  variables.map(async (v, k) =>
    Array.from(await v.data()).slice(0, 64).map((x, i) => x - (before[k]?.[i] ?? 0))
  ),
);
console.log(
  JSON.stringify({
    outcome: "ran",
    backend: tf.getBackend(),
    loss,
    updates,
    adversarial,
    adversarialVisual,
    finalLoss: attacked.finalLoss,
  }),
);
