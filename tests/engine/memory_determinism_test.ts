/**
 * Leak and determinism tests for training on the wasm backend with the kernel completions.
 */
import assert from "node:assert/strict";
import { createReferenceCnn, createRng, tf, useBackend } from "../../lib/engine/mod.ts";

function syntheticBatch(seed: number, batch = 16): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const rng = createRng(seed);
  const x = Float32Array.from({ length: batch * 28 * 28 }, () => rng.uniform());
  const labels = Int32Array.from({ length: batch }, () => rng.int(10));
  return {
    x: tf.tensor4d(x, [batch, 28, 28, 1]),
    y: tf.tidy(() => tf.oneHot(tf.tensor1d(labels, "int32"), 10) as tf.Tensor2D),
  };
}

function wasmHeapBytes(): number {
  const backend = tf.backend() as unknown as { wasm?: { HEAPU8: Uint8Array } };
  return backend.wasm?.HEAPU8.buffer.byteLength ?? 0;
}

async function trainSteps(name: "small" | "medium", steps: number, seed: number) {
  const net = createReferenceCnn(name, { seed });
  const optimizer = tf.train.adam(1e-3);
  const { x, y } = syntheticBatch(seed);
  const losses: number[] = [];
  const counts: number[] = [];
  const heaps: number[] = [];
  for (let step = 0; step < steps; step++) {
    const loss = optimizer.minimize(
      () => tf.losses.softmaxCrossEntropy(y, net.predict(x)) as tf.Scalar,
      true,
      net.variables,
    );
    losses.push((await loss!.data())[0] as number);
    loss!.dispose();
    counts.push(tf.memory().numTensors);
    heaps.push(wasmHeapBytes());
  }
  const grads = tf.grads((input: tf.Tensor) =>
    tf.losses.softmaxCrossEntropy(y, net.predict(input as tf.Tensor4D))
  )([x]);
  const inputGradient = await grads[0]!.data();
  tf.dispose([...grads, x, y]);
  optimizer.dispose();
  net.dispose();
  return { losses, counts, heaps, inputGradient };
}

Deno.test("training 100 steps on wasm keeps the tensor count and the wasm heap flat", async () => {
  await useBackend("wasm");
  const before = tf.memory().numTensors;
  const { counts, heaps, losses } = await trainSteps("small", 100, 3);
  assert.ok(losses.every(Number.isFinite));
  assert.ok((losses.at(-1) as number) < (losses[0] as number), "the loss should fall on a fixed batch");
  assert.equal(new Set(counts.slice(5)).size, 1, `tensor count drifted: ${counts[5]} -> ${counts.at(-1)}`);
  assert.equal(heaps[10], heaps.at(-1), "the wasm heap grew after warm-up");
  assert.equal(tf.memory().numTensors, before, "tensors leaked after disposal");
});

Deno.test("training the medium net on wasm (grid GEMM convolutions) keeps tensors and heap flat", async () => {
  await useBackend("wasm");
  const before = tf.memory().numTensors;
  const { counts, heaps } = await trainSteps("medium", 16, 4);
  assert.equal(new Set(counts.slice(3)).size, 1, `tensor count drifted: ${counts[3]} -> ${counts.at(-1)}`);
  assert.equal(heaps[6], heaps.at(-1), "the wasm heap grew after warm-up");
  assert.equal(tf.memory().numTensors, before, "tensors leaked after disposal");
});

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`the same seed gives bit-identical losses and gradients on a rerun (${backend})`, async () => {
    await useBackend(backend);
    // cpu is ~70x slower (the reason the wasm engine exists): a shorter run on the small net there.
    const [name, steps] = backend === "wasm" ? ["medium", 10] as const : ["small", 3] as const;
    const first = await trainSteps(name, steps, 7);
    const second = await trainSteps(name, steps, 7);
    assert.deepEqual(first.losses, second.losses);
    assert.deepEqual(first.inputGradient, second.inputGradient);
    const other = await trainSteps(name, steps, 8);
    assert.notDeepEqual(first.losses, other.losses);
  });
}
