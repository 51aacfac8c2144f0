import assert from "node:assert/strict";
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { createOptimizer } from "../../lib/train/optimizer.ts";

await useBackend("cpu");

function toyModel() {
  const a = tf.variable(tf.tensor1d([1, -2]));
  const v = tf.variable(tf.tensor1d([0.5]));
  return {
    a,
    v,
    model: {
      trainable: { audio: [a], visual: [v], fusion: [] },
      variables: new Map<string, tf.Variable>([["audio/a", a], ["visual/v", v]]),
    },
  };
}

function close(actual: ArrayLike<number>, expected: number[], tolerance = 1e-6) {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(
      Math.abs((actual[i] as number) - (expected[i] as number)) < tolerance,
      `${actual[i]} vs ${expected[i]}`,
    );
  }
}

Deno.test("SGD follows PyTorch's rule with momentum, weight decay and per-module rates", async () => {
  const { a, v, model } = toyModel();
  const sgd = createOptimizer(model, { kind: "sgd", momentum: 0.9, weightDecay: 0.1 });
  const rates = { audio: 0.1, visual: 0.01, fusion: 1 };
  // PyTorch by hand for a = [1, -2], grads [1, 1] twice: g = ∇ + 0.1 p; b = 0.9 b + g; p -= lr b.
  let p = [1, -2], b = [0, 0];
  for (let step = 0; step < 2; step++) {
    sgd.apply({ [a.name]: tf.tensor1d([1, 1]), [v.name]: tf.tensor1d([2]) }, rates);
    const g = p.map((x) => 1 + 0.1 * x);
    b = b.map((x, i) => 0.9 * x + g[i]!);
    p = p.map((x, i) => x - 0.1 * b[i]!);
  }
  close(await a.data(), p);
  // v: lr 0.01, grads 2: g1 = 2.05, b1 = 2.05, v1 = 0.4795; g2 = 2.04795, b2 = 3.89295, v2 = 0.4405705
  close(await v.data(), [0.4405705]);
  assert.equal(sgd.iterations, 2);
  assert.deepEqual([...sgd.slots.keys()], ["optimizer/audio/a/momentum", "optimizer/visual/v/momentum"]);
  sgd.dispose();
});

Deno.test("Adam follows PyTorch's rule with bias correction", async () => {
  const { a, model } = toyModel();
  const adam = createOptimizer(model, {
    kind: "adam",
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-8,
    weightDecay: 0,
  });
  const grads = [[0.5, -1], [0.25, 2]];
  let p = [1, -2], m = [0, 0], s = [0, 0];
  for (let t = 1; t <= 2; t++) {
    const g = grads[t - 1]!;
    adam.apply({ [a.name]: tf.tensor1d(g) }, { audio: 0.01, visual: 0, fusion: 0 });
    m = m.map((x, i) => 0.9 * x + 0.1 * g[i]!);
    s = s.map((x, i) => 0.999 * x + 0.001 * g[i]! ** 2);
    p = p.map((x, i) =>
      x - (0.01 / (1 - 0.9 ** t)) * m[i]! / (Math.sqrt(s[i]!) / Math.sqrt(1 - 0.999 ** t) + 1e-8)
    );
  }
  close(await a.data(), p);
  assert.deepEqual([...adam.slots.keys()].slice(0, 2), ["optimizer/audio/a/m", "optimizer/audio/a/v"]);
  adam.dispose();
});

Deno.test("an optimizer leaves variables without a gradient alone and leaks no tensors", async () => {
  const { a, v, model } = toyModel();
  const sgd = createOptimizer(model, { kind: "sgd", momentum: 0.9, weightDecay: 0 });
  const before = tf.memory().numTensors;
  const grad = tf.tensor1d([1, 1]);
  for (let i = 0; i < 5; i++) sgd.apply({ [a.name]: grad }, { audio: 0.1, visual: 0.1, fusion: 0.1 });
  grad.dispose();
  assert.equal(tf.memory().numTensors, before);
  close(await v.data(), [0.5]);
  sgd.dispose();
});
