import assert from "node:assert/strict";
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { mim } from "../../lib/attacks/mim.ts";
import type { Budget } from "../../lib/attacks/types.ts";
import { linearBatch, linearModel } from "./_fixtures.ts";

await useBackend("wasm");

async function values(t: tf.Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

async function maxChange(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const d = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))));
  const [value = NaN] = await d.data();
  d.dispose();
  return value;
}

const NORMALIZATION = { mean: [0.5, 0.45, 0.4], std: [0.25, 0.2, 0.3] };

Deno.test("mim(asReleased) lets audio reach 1.25 eps while the correct mim never exceeds eps", async () => {
  const model = linearModel({ numClasses: 2, seed: 11 });
  const batch = linearBatch(model, { size: 4, seed: 12, labels: "random" });
  const budget: Budget = { norm: "linf", audio: 0.02, visual: 0 };
  const released = await mim(model, batch, { budget, projection: "asReleased", keep: "last" });
  const correct = await mim(model, batch, { budget, keep: "last" });
  assert.ok(Math.abs((await maxChange(released.audio, batch.audio)) - 1.25 * 0.02) < 1e-6);
  assert.ok((await maxChange(correct.audio, batch.audio)) <= 0.02 + 1e-6);
  assert.ok(Math.abs((await maxChange(correct.audio, batch.audio)) - 0.02) < 1e-6);
  tf.dispose([released.audio, released.visual, correct.audio, correct.visual]);
});

Deno.test("mim(asReleased) raises pixels darker than the channel mean by up to eps per step", async () => {
  const model = linearModel({ numClasses: 2, seed: 13, normalization: NORMALIZATION });
  const batch = linearBatch(model, { size: 3, seed: 14, labels: "random", visualRange: [0.05, 0.95] });
  const eps = 0.01;
  const budget: Budget = { norm: "linf", audio: 0, visual: eps, visualUnits: "normalized" };
  const released = await mim(model, batch, { budget, projection: "asReleased", keep: "last" });
  const labels = await values(batch.labels);
  const weights = await values(model.weights.visual);
  const clean = await values(batch.visual);
  const adversarial = await values(released.visual);
  const pixels = clean.length / labels.length;
  let raised = 0;
  for (const [i, y] of labels.entries()) {
    for (let j = 0; j < pixels; j++) {
      // On a linear model the gradient sign is constant, so the released update can be simulated exactly.
      const c = j % 3;
      const radius = eps * (NORMALIZATION.std[c] ?? 1);
      const mean = NORMALIZATION.mean[c] ?? 0;
      const s = Math.sign((weights[j * 2 + 1 - y] ?? 0) - (weights[j * 2 + y] ?? 0));
      let x = clean[i * pixels + j] ?? 0;
      for (let t = 0; t < 10; t++) {
        const stepped = x + (s * radius) / 8;
        x = Math.min(1, Math.max(0, Math.min(Math.max(stepped, mean), stepped + radius)));
      }
      assert.ok(Math.abs((adversarial[i * pixels + j] ?? 0) - x) < 1e-5, `pixel ${i},${j}`);
      if (x - (clean[i * pixels + j] ?? 0) > 1.25 * radius + 1e-6) raised++;
    }
  }
  assert.ok(raised > 0, "some dark pixels moved beyond 1.25 eps");
  tf.dispose([released.audio, released.visual]);
});

Deno.test("mim() keeps frames within eps times std per channel", async () => {
  const model = linearModel({ numClasses: 3, seed: 15, normalization: NORMALIZATION });
  const batch = linearBatch(model, { size: 4, seed: 16, labels: "random", visualRange: [0.05, 0.95] });
  const eps = 0.02;
  const result = await mim(model, batch, {
    budget: { norm: "linf", audio: 0, visual: eps, visualUnits: "normalized" },
  });
  const clean = await values(batch.visual);
  const adversarial = await values(result.visual);
  adversarial.forEach((v, k) => {
    assert.ok(Math.abs(v - (clean[k] ?? 0)) <= eps * (NORMALIZATION.std[k % 3] ?? 1) + 1e-6, `element ${k}`);
  });
  tf.dispose([result.audio, result.visual]);
});

Deno.test("mim() rejects the as-released projection for an L2 budget", async () => {
  const model = linearModel({ seed: 1 });
  const batch = linearBatch(model, { seed: 1 });
  await assert.rejects(
    () => mim(model, batch, { budget: { norm: "l2", audio: 0.1, visual: 0 }, projection: "asReleased" }),
    RangeError,
    "exists only for norm 'linf'",
  );
});
