import assert from "node:assert/strict";
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { defenseBank, type DefenseOptions } from "../../lib/defense/defense_bank.ts";
import { randomMatrix } from "./_linear_algebra.ts";

await useBackend("cpu");

const D = randomMatrix(4, 6, 21);
const F = randomMatrix(3, 4, 22);
const R = randomMatrix(3, 4, 23);

/** Value and gradient of Σ defend(f) · r. */
async function valueAndGradient(options: DefenseOptions) {
  const dictionary = tf.tensor2d(D.values, [4, 6]);
  const features = tf.tensor2d(F.values, [3, 4]);
  const weights = tf.tensor2d(R.values, [3, 4]);
  const bank = defenseBank(dictionary, options);
  const defended = bank.defend(features);
  const gradient = tf.grad((f) => tf.sum(tf.mul(bank.defend(tf.reshape<tf.Rank.R2>(f, [3, 4])), weights)))(
    features,
  );
  const result = { value: Array.from(await defended.data()), gradient: Array.from(await gradient.data()) };
  bank.dispose();
  tf.dispose([dictionary, features, weights, defended, gradient]);
  return result;
}

const CODING = { lambda: 0.2, maxIterations: 60, tolerance: 0 };

Deno.test("defenseBank() with BPDA identity passes the upstream gradient through unchanged", async () => {
  const exact = await valueAndGradient({ ...CODING });
  const identity = await valueAndGradient({ ...CODING, backward: "identity" });
  assert.deepEqual(identity.value, exact.value, "same forward pass");
  identity.gradient.forEach((g, i) => assert.ok(Math.abs(g - (R.values[i] ?? NaN)) < 1e-6, `gradient ${i}`));
  assert.notDeepEqual(exact.gradient, identity.gradient, "the exact gradient differs");
});

Deno.test("defenseBank() with BPDA linear takes the gradient of the λ = 0 map", async () => {
  const linear = await valueAndGradient({ ...CODING, backward: "linear" });
  const exact = await valueAndGradient({ ...CODING });
  const lambdaZero = await valueAndGradient({ ...CODING, lambda: 0 });
  assert.deepEqual(linear.value, exact.value, "same forward pass as the exact defense");
  linear.gradient.forEach((g, i) =>
    assert.ok(
      Math.abs(g - (lambdaZero.gradient[i] ?? NaN)) < 1e-4,
      `gradient ${i}: ${g} vs ${lambdaZero.gradient[i]}`,
    )
  );
});

Deno.test("defenseBank() mixes: a = 0 is the identity, a = 1 the reconstruction", async () => {
  const dictionary = tf.tensor2d([[1, 0], [0, 1]]);
  const features = tf.tensor2d([[1, 0.1]]);
  const mixed = async (mix: number) => {
    const bank = defenseBank(dictionary, { mix, lambda: 0.2, step: 1 });
    const out = bank.defend(features);
    const values = Array.from(await out.data()).map((v) => Number(v.toFixed(5)));
    tf.dispose(out);
    return values;
  };
  assert.deepEqual(await mixed(0), [1, 0.1]);
  assert.deepEqual(await mixed(1), [0.8, 0]);
  const before = tf.memory().numTensors;
  await mixed(0.5);
  assert.equal(tf.memory().numTensors, before, "no tensor leak");
  assert.throws(() => defenseBank(dictionary, { mix: 2 }), RangeError, "options.mix");
  assert.throws(() => defenseBank(dictionary, { step: 2 }), RangeError, "λ_max");
  tf.dispose([dictionary, features]);
});
