import assert from "node:assert/strict";
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { apgd } from "../../lib/attacks/apgd.ts";
import { linearBatch, linearModel, nonlinearModel } from "./_fixtures.ts";

await useBackend("wasm");

Deno.test("apgd() on a two-class linear model ends at the corner of the L-inf ball", async () => {
  const model = linearModel({ numClasses: 2, seed: 71 });
  const batch = linearBatch(model, { size: 3, seed: 72, labels: "random" });
  const result = await apgd(model, batch, {
    budget: { norm: "linf", audio: 0.02, visual: 0 },
    steps: 10,
    randomStart: false,
  });
  const labels = await batch.labels.data();
  const wa = await model.weights.audio.data();
  const audio = await batch.audio.data(), adversarial = await result.audio.data();
  const length = batch.audio.shape[1];
  labels.forEach((y, i) => {
    for (let j = 0; j < length; j++) {
      const direction = Math.sign((wa[j * 2 + 1 - y] ?? 0) - (wa[j * 2 + y] ?? 0));
      assert.ok(
        Math.abs((adversarial[i * length + j] ?? 0) - ((audio[i * length + j] ?? 0) + 0.02 * direction)) <
          1e-6,
      );
    }
  });
  tf.dispose([result.audio, result.visual]);
});

Deno.test("apgd() never returns a non-adversarial point with a lower loss than its start", async () => {
  for (const seed of [1, 2, 3]) {
    const model = nonlinearModel({ numClasses: 4, seed });
    const batch = linearBatch(model, { size: 8, seed: seed + 20, labels: "random" });
    const result = await apgd(model, batch, {
      budget: { norm: "l2", audio: 0.1, visual: 0.1 },
      steps: 12,
      seed,
    });
    const start = result.lossTrace[0] ?? [];
    result.finalLoss.forEach((loss, i) => {
      if (!result.success[i]) assert.ok(loss >= (start[i] ?? Infinity) - 1e-6, `sample ${i}`);
    });
    assert.equal(result.lossTrace.length, 14);
    tf.dispose([result.audio, result.visual]);
    model.dispose();
  }
});

Deno.test("apgd() drops fooled samples within a run: same successes, same points for the robust ones, fewer gradients", async () => {
  const model = nonlinearModel({ numClasses: 4, seed: 7 });
  const batch = linearBatch(model, { size: 16, seed: 8, labels: "random" });
  const budget = { norm: "linf" as const, audio: 0.03, visual: 0.03 };
  const stopped = await apgd(model, batch, { budget, steps: 20, earlyStop: true, seed: 3 });
  const full = await apgd(model, batch, { budget, steps: 20, earlyStop: false, seed: 3 });
  assert.deepEqual(stopped.success, full.success);
  assert.ok(stopped.success.some(Boolean) && !stopped.success.every(Boolean));
  // Fewer gradients than attacking every clean-correct sample for the whole run (1 + 20 evaluations).
  const logits = model.apply(batch.audio, batch.visual).logits;
  const predicted = await tf.argMax(logits, 1).data(), labels = await batch.labels.data();
  const cleanCorrect = labels.filter((y, i) => predicted[i] === y).length;
  logits.dispose();
  assert.ok(stopped.sampleGradients < cleanCorrect * 21, `${stopped.sampleGradients} < ${cleanCorrect * 21}`);
  const [a, b] = [await stopped.audio.array(), await full.audio.array()] as number[][][];
  stopped.success.forEach((s, i) => {
    if (s) return;
    const [x, y] = [a?.[i] ?? [], b?.[i] ?? []];
    assert.ok(x.every((v, j) => Math.abs(v - (y[j] ?? NaN)) < 1e-6), `robust sample ${i} moved alike`);
  });
  const trace = stopped.lossTrace.at(-1) ?? [];
  stopped.success.forEach((s, i) => {
    if (!s) assert.ok(!Number.isNaN(trace[i]), "samples never fooled run every step");
  });
  tf.dispose([stopped.audio, stopped.visual, full.audio, full.visual]);
});
