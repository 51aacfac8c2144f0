import assert from "node:assert/strict";
import { createRng, tf, useBackend } from "../../lib/engine/mod.ts";
import { ParameterStore } from "../../lib/models/parameter_store.ts";
import {
  BATCH_NORM_EPSILON,
  batchNormLayer,
  conv2dLayer,
  maxPool3x3Stride2,
  maxPoolWidth,
} from "../../lib/models/_layers.ts";

await useBackend("cpu");

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs((a[i] as number) - (b[i] as number)));
  return d;
}

function random(shape: number[], seed: number): tf.Tensor {
  const rng = createRng(seed);
  return tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()),
    shape,
  );
}

Deno.test("conv2dLayer() pads symmetrically like PyTorch for a stride-2 1-D conv", async () => {
  const store = new ParameterStore(createRng(1));
  const [length, cin, cout, k, s, p] = [9, 2, 3, 3, 2, 1];
  const conv = conv2dLayer({ store, module: "audio", name: "c" }, {
    inChannels: cin,
    outChannels: cout,
    kernel: [1, k],
    stride: [1, s],
    padding: [0, p],
    bias: true,
    fanMode: "in",
  });
  const x = random([1, 1, length, cin], 2);
  const y = await conv(x as tf.Tensor4D).data();
  const xs = await x.data();
  const w = await (store.variables.get("c/kernel") as tf.Variable).data();
  const b = await (store.variables.get("c/bias") as tf.Variable).data();
  const outLength = Math.floor((length + 2 * p - k) / s) + 1;
  const expected: number[] = [];
  for (let t = 0; t < outLength; t++) {
    for (let o = 0; o < cout; o++) {
      let sum = b[o] as number;
      for (let j = 0; j < k; j++) {
        const position = t * s + j - p;
        if (position < 0 || position >= length) continue;
        for (let i = 0; i < cin; i++) {
          sum += (xs[position * cin + i] as number) * (w[(j * cin + i) * cout + o] as number);
        }
      }
      expected.push(sum);
    }
  }
  assert.ok(maxDiff(y, expected) < 1e-5);
  store.dispose();
});

for (const backend of ["cpu", "wasm"] as const) {
  Deno.test(`batchNormLayer() in training mode matches autodiff of the textbook formula on ${backend}`, async () => {
    await useBackend(backend);
    await batchNormMatchesReference();
  });
  Deno.test(`maxPoolWidth() pools in floor mode and routes gradients like tf.maxPool on ${backend}`, async () => {
    await useBackend(backend);
    await maxPoolWidthMatchesReference();
  });
}

async function batchNormMatchesReference() {
  const store = new ParameterStore(createRng(1));
  const norm = batchNormLayer({ store, module: "visual", name: "n" }, 3);
  const gamma = store.variables.get("n/gamma") as tf.Variable;
  const beta = store.variables.get("n/beta") as tf.Variable;
  gamma.assign(tf.tensor1d([0.5, 1.5, -2]));
  beta.assign(tf.tensor1d([0.1, 0, -0.3]));
  const x = random([2, 3, 4, 3], 3);
  const weights = random([2, 3, 4, 3], 4);
  const loss = (f: (input: tf.Tensor4D) => tf.Tensor) => (input: tf.Tensor) =>
    tf.sum(tf.mul(f(input as tf.Tensor4D), weights));
  const reference = (input: tf.Tensor4D) => {
    const { mean, variance } = tf.moments(input, [0, 1, 2]);
    return tf.add(
      tf.mul(tf.div(tf.sub(input, mean), tf.sqrt(tf.add(variance, BATCH_NORM_EPSILON))), gamma),
      beta,
    );
  };
  const ours = tf.variableGrads(() => loss((input) => norm(input, true))(x) as tf.Scalar, [gamma, beta]);
  const theirs = tf.variableGrads(() => loss(reference)(x) as tf.Scalar, [gamma, beta]);
  assert.ok(Math.abs((await ours.value.data())[0]! - (await theirs.value.data())[0]!) < 1e-4);
  for (const v of [gamma, beta]) {
    assert.ok(maxDiff(await ours.grads[v.name]!.data(), await theirs.grads[v.name]!.data()) < 1e-4);
  }
  const dxOurs = await tf.grad(loss((input) => norm(input, true)))(x).data();
  const dxTheirs = await tf.grad(loss(reference))(x).data();
  assert.ok(maxDiff(dxOurs, dxTheirs) < 1e-4, `dx differs by ${maxDiff(dxOurs, dxTheirs)}`);
  store.dispose();
}

Deno.test("batchNormLayer() updates running statistics like PyTorch in training mode only", async () => {
  await useBackend("cpu");
  const store = new ParameterStore(createRng(1));
  const norm = batchNormLayer({ store, module: "audio", name: "n" }, 1);
  const x = tf.tensor4d([1, 2, 3, 6], [1, 1, 4, 1]);
  norm(x, false);
  assert.deepEqual(Array.from(await store.variables.get("n/runningMean")!.data()), [0]);
  norm(x, true);
  const mean = (await store.variables.get("n/runningMean")!.data())[0]!;
  const variance = (await store.variables.get("n/runningVar")!.data())[0]!;
  assert.ok(Math.abs(mean - 0.1 * 3) < 1e-6);
  assert.ok(
    Math.abs(variance - (0.9 + 0.1 * (14 / 3))) < 1e-5,
    `unbiased variance expected, got ${variance}`,
  );
  const y = await norm(x, false).data();
  const expected = [1, 2, 3, 6].map((v) => (v - mean) / Math.sqrt(variance + BATCH_NORM_EPSILON));
  assert.ok(maxDiff(y, expected) < 1e-5);
  store.dispose();
});

async function maxPoolWidthMatchesReference() {
  const x = random([2, 1, 7, 3], 5) as tf.Tensor4D;
  const ours = (input: tf.Tensor) => maxPoolWidth(input as tf.Tensor4D, 2);
  const reference = (input: tf.Tensor) => tf.maxPool(input as tf.Tensor4D, [1, 2], [1, 2], "valid");
  assert.deepEqual(ours(x).shape, [2, 1, 3, 3]);
  assert.ok(maxDiff(await ours(x).data(), await reference(x).data()) === 0);
  const weights = random([2, 1, 3, 3], 6);
  const g1 = await tf.grad((input: tf.Tensor) => tf.sum(tf.mul(ours(input), weights)))(x).data();
  const g2 = await tf.grad((input: tf.Tensor) => tf.sum(tf.mul(reference(input), weights)))(x).data();
  assert.ok(maxDiff(g1, g2) < 1e-6);
}

Deno.test("maxPool3x3Stride2() pads with -infinity like PyTorch's MaxPool2d(3, 2, 1)", async () => {
  const x = tf.tensor4d([-1, -2, -3, -4, -5, -6, -7, -8, -9, -10, -11, -12, -13, -14, -15, -16], [
    1,
    4,
    4,
    1,
  ]);
  const y = maxPool3x3Stride2(x);
  assert.deepEqual(y.shape, [1, 2, 2, 1]);
  assert.deepEqual(Array.from(await y.data()), [-1, -2, -5, -6]);
});
