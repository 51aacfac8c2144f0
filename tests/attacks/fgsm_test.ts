import assert from "node:assert/strict";
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { fgsm } from "../../lib/attacks/fgsm.ts";
import { linearBatch, linearModel } from "./_fixtures.ts";

await useBackend("wasm");

async function values(t: tf.Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

/** Column difference w_{y'} - w_y of a two-class weight matrix [inputs, 2], per sample label y. */
async function columnDifference(weights: tf.Tensor, label: number): Promise<number[]> {
  const w = await values(weights);
  const rows = weights.shape[0] ?? 0;
  return Array.from({ length: rows }, (_, r) => (w[r * 2 + 1 - label] ?? 0) - (w[r * 2 + label] ?? 0));
}

Deno.test("fgsm() on a two-class linear model moves each input by eps times sign(w_other - w_label)", async () => {
  const normalization = { mean: [0.4, 0.5, 0.6], std: [0.2, 0.25, 0.3] };
  const model = linearModel({ numClasses: 2, seed: 4, normalization });
  const batch = linearBatch(model, { size: 3, seed: 5, labels: "random" });
  const budget = { norm: "linf" as const, audio: 0.01, visual: 0.02, visualUnits: "normalized" as const };
  const result = await fgsm(model, batch, { budget });
  const labels = await values(batch.labels);
  const audio = await values(batch.audio), advAudio = await values(result.audio);
  const visual = await values(batch.visual), advVisual = await values(result.visual);
  const length = batch.audio.shape[1], pixels = visual.length / labels.length;
  for (const [i, y] of labels.entries()) {
    const da = await columnDifference(model.weights.audio, y);
    const dv = await columnDifference(model.weights.visual, y);
    for (let j = 0; j < length; j++) {
      const expected = (audio[i * length + j] ?? 0) + 0.01 * Math.sign(da[j] ?? 0);
      assert.ok(Math.abs((advAudio[i * length + j] ?? 0) - expected) < 1e-6, `audio ${i},${j}`);
    }
    for (let j = 0; j < pixels; j++) {
      const std = normalization.std[j % 3] ?? 1;
      const expected = (visual[i * pixels + j] ?? 0) + 0.02 * std * Math.sign(dv[j] ?? 0);
      assert.ok(Math.abs((advVisual[i * pixels + j] ?? 0) - expected) < 1e-6, `visual ${i},${j}`);
    }
  }
  tf.dispose([result.audio, result.visual]);
});

Deno.test("fgsm() with an L2 budget moves the audio by eps along the normalised weight difference", async () => {
  const model = linearModel({ numClasses: 2, seed: 6 });
  const batch = linearBatch(model, { size: 2, seed: 7, labels: "random" });
  const result = await fgsm(model, batch, { budget: { norm: "l2", audio: 0.05, visual: 0 } });
  const labels = await values(batch.labels);
  const audio = await values(batch.audio), advAudio = await values(result.audio);
  const length = batch.audio.shape[1];
  for (const [i, y] of labels.entries()) {
    const d = await columnDifference(model.weights.audio, y);
    const norm = Math.hypot(...d);
    for (let j = 0; j < length; j++) {
      const expected = (audio[i * length + j] ?? 0) + (0.05 * (d[j] ?? 0)) / norm;
      assert.ok(Math.abs((advAudio[i * length + j] ?? 0) - expected) < 1e-6);
    }
  }
  assert.deepEqual(await values(result.visual), await values(batch.visual));
  tf.dispose([result.audio, result.visual]);
});
