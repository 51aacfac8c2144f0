import assert from "node:assert/strict";
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { square } from "../../lib/attacks/square.ts";
import { linearBatch, linearModel } from "./_fixtures.ts";

for (const backend of ["cpu", "wasm"] as const) {
  Deno.test(`square() finds the closed-form worst corner of a linear model within its queries (${backend})`, async () => {
    await useBackend(backend);
    // Two classes: the margin z_other − z_label is linear in the inputs, so its L∞ maximum is the corner
    // x0 + ε·sign(w_other − w_label), per modality. Small ε keeps every sample correctly classified, so the
    // search never stops early.
    const model = linearModel({ numClasses: 2, audioLength: 8, imageShape: [3, 3, 2], seed: 7 });
    const batch = linearBatch(model, { size: 3, seed: 8, labels: "predicted" });
    const eps = 0.002;
    const result = await square(model, batch, {
      budget: { norm: "linf", audio: eps, visual: eps },
      queries: 600,
      seed: 1,
    });
    const labels = Array.from(await batch.labels.data());
    const wa = await model.weights.audio.data();
    const wv = await model.weights.visual.data();
    const corner = async (clean: tf.Tensor, adversarial: tf.Tensor, weights: ArrayLike<number>) => {
      const x0 = await clean.data(), x = await adversarial.data();
      const per = x0.length / labels.length;
      for (let i = 0; i < labels.length; i++) {
        const y = labels[i] ?? 0;
        for (let j = 0; j < per; j++) {
          const direction = Math.sign((weights[2 * j + 1 - y] ?? 0) - (weights[2 * j + y] ?? 0));
          const expected = (x0[i * per + j] ?? 0) + eps * direction;
          assert.ok(Math.abs((x[i * per + j] ?? NaN) - expected) < 1e-6, `sample ${i}, input ${j}`);
        }
      }
    };
    assert.deepEqual(result.success, [false, false, false], "the budget is too small to flip a sample");
    await corner(batch.audio, result.audio, wa);
    await corner(batch.visual, result.visual, wv);
    assert.equal(result.gradientCalls, 0);
    tf.dispose([result.audio, result.visual, batch.audio, batch.visual, batch.labels]);
    model.dispose();
  });
}

Deno.test("square() flips samples a large budget can flip, and stops querying them", async () => {
  await useBackend("cpu");
  const model = linearModel({ seed: 3 });
  const batch = linearBatch(model, { size: 4, seed: 4 });
  const result = await square(model, batch, {
    budget: { norm: "linf", audio: 0.5, visual: 0.3 },
    queries: 300,
  });
  assert.ok(result.success.some(Boolean));
  assert.ok(result.lossTrace.length <= 102, "the trace is capped");
  tf.dispose([result.audio, result.visual, batch.audio, batch.visual, batch.labels]);
  model.dispose();
});

Deno.test("square() rejects an L2 budget and bad options", async () => {
  await useBackend("cpu");
  const model = linearModel({ seed: 3 });
  const batch = linearBatch(model, { size: 2, seed: 4 });
  await assert.rejects(
    () => square(model, batch, { budget: { norm: "l2", audio: 0.1, visual: 0 } }),
    RangeError,
    "budget.norm must be 'linf'",
  );
  await assert.rejects(
    () => square(model, batch, { budget: { norm: "linf", audio: 0.1, visual: 0 }, queries: 0 }),
    RangeError,
    "options.queries",
  );
  tf.dispose([batch.audio, batch.visual, batch.labels]);
  model.dispose();
});
