/**
 * Identity (replaced on wasm to share memory instead of copying): a clone keeps its values after the
 * source is disposed, the memory is freed only with the last holder, and gradients that rely on saved
 * (cloned) tensors still match cpu.
 */
import assert from "node:assert/strict";
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { input, lossAndGrads, maxRelativeError } from "./_gradcheck.ts";

Deno.test("clone on wasm outlives its source and frees the memory with the last holder", async () => {
  await useBackend("wasm");
  // numDataBuffers counts distinct buffers (numBytes counts per tensor, shared or not).
  const buffers = () => tf.memory().numDataBuffers;
  const before = buffers();
  const source = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
  const copy = tf.clone(source);
  assert.equal(buffers(), before + 1, "the clone shares its source's buffer");
  source.dispose();
  assert.deepEqual(Array.from(await copy.data()), [1, 2, 3, 4, 5, 6]);
  assert.equal(buffers(), before + 1);
  copy.dispose();
  assert.equal(buffers(), before);
});

Deno.test("clone on wasm keeps int32 and bool data and dtype", async () => {
  await useBackend("wasm");
  for (const dtype of ["int32", "bool"] as const) {
    const source = tf.tensor1d([1, 0, 1], dtype);
    const copy = tf.clone(source);
    source.dispose();
    assert.equal(copy.dtype, dtype);
    assert.deepEqual(Array.from(await copy.data()), [1, 0, 1]);
    copy.dispose();
  }
});

Deno.test("gradients through saved tensors on wasm match cpu (square, exp, log)", async () => {
  const x = input([4, 5], 41);
  const r = input([4, 5], 42);
  const loss = (t: tf.Tensor) =>
    tf.sum(tf.mul(tf.log(tf.add(tf.exp(tf.square(t)), 1)), tf.tensor(r.values, r.shape)));
  const wasm = await lossAndGrads("wasm", [x], loss);
  const cpu = await lossAndGrads("cpu", [x], loss);
  assert.ok(Math.abs(wasm.value - cpu.value) <= 1e-5 * Math.max(1, Math.abs(cpu.value)));
  assert.ok(maxRelativeError(wasm.grads[0]!, cpu.grads[0]!) <= 1e-5);
});
