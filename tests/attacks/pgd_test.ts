import assert from "node:assert/strict";
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { pgd } from "../../lib/attacks/pgd.ts";
import { linearBatch, linearModel, nonlinearModel } from "./_fixtures.ts";

await useBackend("wasm");

async function values(t: tf.Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

Deno.test("pgd() on a two-class linear model ends at the corner of the L-inf ball", async () => {
  const model = linearModel({ numClasses: 2, seed: 8 });
  const batch = linearBatch(model, { size: 3, seed: 9, labels: "random" });
  const result = await pgd(model, batch, {
    budget: { norm: "linf", audio: 0.02, visual: 0.01 },
    keep: "last",
  });
  const labels = await values(batch.labels);
  const wa = await values(model.weights.audio);
  const audio = await values(batch.audio), advAudio = await values(result.audio);
  const length = batch.audio.shape[1];
  for (const [i, y] of labels.entries()) {
    for (let j = 0; j < length; j++) {
      const direction = Math.sign((wa[j * 2 + 1 - y] ?? 0) - (wa[j * 2 + y] ?? 0));
      assert.ok(
        Math.abs((advAudio[i * length + j] ?? 0) - ((audio[i * length + j] ?? 0) + 0.02 * direction)) < 1e-6,
      );
    }
  }
  tf.dispose([result.audio, result.visual]);
});

Deno.test("pgd() never ends with a lower loss than its start", async (t) => {
  for (const numClasses of [2, 4]) {
    for (const seed of [1, 2, 3]) {
      await t.step(`${numClasses} classes, seed ${seed}`, async () => {
        const model = nonlinearModel({ numClasses, seed });
        const batch = linearBatch(model, { size: 8, seed: seed + 10, labels: "random" });
        for (const randomStart of [false, true]) {
          const result = await pgd(model, batch, {
            budget: { norm: "linf", audio: 0.05, visual: 0.05 },
            randomStart,
            relativeStepSize: 0.5,
            seed,
          });
          const start = result.lossTrace[0] ?? [];
          result.finalLoss.forEach((loss, i) => {
            // With two classes an adversarial point always has the higher loss; with more, the best point
            // is adversarial first, so only a non-adversarial result must beat the start's loss.
            if (numClasses === 2 || !result.success[i]) {
              assert.ok(loss >= (start[i] ?? Infinity) - 1e-6, `sample ${i}`);
            }
          });
          tf.dispose([result.audio, result.visual]);
        }
        model.dispose();
        tf.dispose([batch.audio, batch.visual, batch.labels]);
      });
    }
  }
});

Deno.test("pgd() with restarts is at least as strong as one run", async () => {
  const model = nonlinearModel({ numClasses: 4, seed: 5 });
  const batch = linearBatch(model, { size: 16, seed: 6 });
  const budget = { norm: "linf" as const, audio: 0.02, visual: 0.02 };
  const one = await pgd(model, batch, { budget, randomStart: true, seed: 3 });
  const three = await pgd(model, batch, { budget, randomStart: true, restarts: 3, seed: 3 });
  assert.ok(three.success.filter(Boolean).length >= one.success.filter(Boolean).length);
  tf.dispose([one.audio, one.visual, three.audio, three.visual]);
});

Deno.test("pgd() rejects invalid options with a RangeError naming the option", async () => {
  const model = linearModel({ seed: 1 });
  const batch = linearBatch(model, { seed: 1 });
  const budget = { norm: "linf" as const, audio: 0.01, visual: 0 };
  await assert.rejects(
    () => pgd(model, batch, { budget, steps: 0 }),
    RangeError,
    "options.steps must be an integer >= 1",
  );
  await assert.rejects(
    () => pgd(model, batch, { budget: { ...budget, audio: -0.1 } }),
    RangeError,
    "budget.audio must be a finite number >= 0, current value is -0.1",
  );
  await assert.rejects(
    () => pgd(model, batch, { budget: { ...budget, norm: "l1" as "l2" } }),
    RangeError,
    "budget.norm",
  );
});

Deno.test("pgd() with early stop finds the same adversarial samples with fewer gradients", async () => {
  const model = nonlinearModel({ numClasses: 4, seed: 7 });
  const batch = linearBatch(model, { size: 16, seed: 8, labels: "random" });
  const budget = { norm: "linf" as const, audio: 0.03, visual: 0.03 };
  const stopped = await pgd(model, batch, { budget, earlyStop: true });
  const full = await pgd(model, batch, { budget, earlyStop: false });
  assert.deepEqual(stopped.success, full.success);
  assert.ok(stopped.success.some(Boolean));
  assert.ok(stopped.sampleGradients < full.sampleGradients);
  assert.equal(full.sampleGradients, 10 * 16);
  const trace = stopped.lossTrace.at(-1) ?? [];
  stopped.success.forEach((s, i) => {
    if (!s) assert.ok(!Number.isNaN(trace[i]), "samples never fooled run every step");
  });
  tf.dispose([stopped.audio, stopped.visual, full.audio, full.visual]);
});
