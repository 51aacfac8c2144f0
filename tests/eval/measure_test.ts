import assert from "node:assert/strict";
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { measureAttack } from "../../lib/eval/measure.ts";
import { runAttack } from "../../lib/attacks/registry.ts";
import { disposeOutput } from "../../lib/models/dispose_output.ts";
import { linearBatch, linearModel, nonlinearModel } from "../attacks/_fixtures.ts";

await useBackend("wasm");

Deno.test("measureAttack() reports the perturbation sizes, SNR and feature similarities actually used", async () => {
  const normalization = { mean: [0.5, 0.5, 0.5], std: [0.2, 0.25, 0.5] };
  const model = linearModel({ seed: 81, normalization });
  const batch = linearBatch(model, { size: 3, seed: 82 });
  const adversarial = tf.tidy(() => ({
    audio: tf.add(batch.audio, 0.01),
    visual: tf.add(batch.visual, tf.tensor1d([0.02, 0, 0])),
  }));
  const budget = { norm: "linf" as const, audio: 0.01, visual: 0.1, visualUnits: "normalized" as const };
  const metrics = await measureAttack(model, batch, adversarial, budget);
  metrics.audioLinf.forEach((v) => assert.ok(Math.abs(v - 0.01) < 1e-6));
  metrics.audioL2.forEach((v) => assert.ok(Math.abs(v - 0.01 * Math.sqrt(8)) < 1e-6));
  metrics.visualLinf.forEach((v) =>
    assert.ok(Math.abs(v - 0.1) < 1e-5, "0.02 pixels / std 0.2 = 0.1 normalised")
  );
  metrics.visualLinfPixel.forEach((v) => assert.ok(Math.abs(v - 0.02) < 1e-6));
  const audio = await batch.audio.data();
  metrics.audioSnrDb.forEach((snr, i) => {
    const energy = Array.from(audio.subarray(i * 8, (i + 1) * 8)).reduce((s, x) => s + x * x, 0);
    assert.ok(Math.abs((snr ?? NaN) - 10 * Math.log10(energy / (8 * 0.01 ** 2))) < 1e-3);
  });
  assert.deepEqual(metrics.cleanCorrect, [true, true, true]);
  assert.equal(metrics.cosineAudio?.length, 3);
  metrics.cosineAudio?.forEach((c) => assert.ok(c > 0.9 && c <= 1 + 1e-6));
  assert.equal(metrics.nonFinite, 0);
  tf.dispose([adversarial.audio, adversarial.visual]);
});

Deno.test("measureAttack() gives null cosines for a model without a modality's features", async () => {
  const model = linearModel({ seed: 83, modalities: ["audio"] });
  const batch = linearBatch(model, { size: 2, seed: 84 });
  const metrics = await measureAttack(model, batch, batch, { norm: "l2", audio: 0, visual: 0 });
  assert.equal(metrics.cosineVisual, null);
  assert.equal(metrics.cosineAvClean, null);
  assert.notEqual(metrics.cosineAudio, null);
  assert.deepEqual(metrics.audioSnrDb, [null, null]);
});

Deno.test("measureAttack() rejects attacked inputs of another shape", async () => {
  const model = linearModel({ seed: 1 });
  const batch = linearBatch(model, { size: 2, seed: 1 });
  const other = linearBatch(model, { size: 3, seed: 1 });
  await assert.rejects(
    () => measureAttack(model, batch, other, { norm: "linf", audio: 0, visual: 0 }),
    TypeError,
    "must match the batch shapes",
  );
});

Deno.test("measureAttack() with a precomputed clean output measures exactly what it computes itself", async () => {
  const model = nonlinearModel({ numClasses: 3, seed: 21 });
  const batch = linearBatch(model, { size: 4, seed: 22 });
  const budget = { norm: "linf", audio: 0.05, visual: 0.05 } as const;
  const result = await runAttack(model, batch, { attack: "fgsm" }, budget);
  const clean = model.apply(batch.audio, batch.visual, { training: false });
  const own = await measureAttack(model, batch, result, budget);
  const shared = await measureAttack(model, batch, result, budget, { clean });
  assert.deepEqual(shared, own);
  assert.ok(!clean.logits.isDisposed, "the caller's clean output stays alive");
  disposeOutput(clean);
  tf.dispose([result.audio, result.visual]);
});
