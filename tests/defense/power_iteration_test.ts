import assert from "node:assert/strict";
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { powerIteration } from "../../lib/defense/power_iteration.ts";
import { dictionaryWithSpectrum } from "./_linear_algebra.ts";

for (const backend of ["cpu", "wasm"] as const) {
  Deno.test(`powerIteration() finds the largest eigenvalue of DᵀD of a known spectrum (${backend})`, async () => {
    await useBackend(backend);
    const m = dictionaryWithSpectrum(6, 10, [3, 2, 1.5, 0.5], 5);
    const dictionary = tf.tensor2d(m.values, [m.rows, m.cols]);
    const before = tf.memory().numTensors;
    const result = powerIteration(dictionary, { seed: 3 });
    assert.equal(tf.memory().numTensors, before, "no tensor leak");
    assert.ok(Math.abs(result.eigenvalue - 9) < 1e-3, `eigenvalue ${result.eigenvalue} ≈ 9`);
    assert.ok(result.converged);
    assert.ok(result.iterations > 1 && result.iterations < 1000);
    dictionary.dispose();
  });
}

Deno.test("powerIteration() is exact on a scaled identity and stops early", async () => {
  await useBackend("cpu");
  const dictionary = tf.tensor2d([2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2], [4, 4]);
  const result = powerIteration(dictionary);
  assert.ok(Math.abs(result.eigenvalue - 4) < 1e-5);
  assert.ok(result.iterations <= 3);
  dictionary.dispose();
});

Deno.test("powerIteration() rejects bad input with a clear error", async () => {
  await useBackend("cpu");
  const empty = tf.tensor2d([], [0, 2]);
  const dictionary = tf.ones<tf.Rank.R2>([2, 2]);
  assert.throws(() => powerIteration(empty), TypeError, "non-empty [d, n]");
  assert.throws(() => powerIteration(dictionary, { maxIterations: 0 }), RangeError, "maxIterations");
  tf.dispose([empty, dictionary]);
});
