/**
 * Reverse (replaced on wasm for the last axis) against cpu: values and gradients are exact copies, so they
 * must be equal bit for bit, for the replaced case and for the reversals that keep the shipped kernel.
 */
import assert from "node:assert/strict";
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { input, lossAndGrads } from "./_gradcheck.ts";

const CASES: { shape: number[]; axes: number[] }[] = [
  { shape: [7], axes: [0] },
  { shape: [3, 5], axes: [1] },
  { shape: [2, 3, 4], axes: [2] },
  { shape: [2, 3, 4], axes: [-1] },
  { shape: [2, 3, 4], axes: [1] },
  { shape: [2, 3, 4], axes: [0, 2] },
];

for (const { shape, axes } of CASES) {
  Deno.test(`reverse on wasm equals cpu, value and gradient: shape [${shape}] axes [${axes}]`, async () => {
    const x = input(shape, 31);
    const r = input(shape, 32);
    const values: Record<string, Float32Array> = {};
    for (const backend of ["cpu", "wasm"] as const) {
      const out = await lossAndGrads(backend, [x], (t) => {
        const reversed = tf.reverse(t, axes);
        values[backend] = reversed.dataSync() as Float32Array;
        return tf.sum(tf.mul(reversed, tf.tensor(r.values, r.shape)));
      });
      values[`${backend}-grad`] = out.grads[0]!;
    }
    assert.deepEqual(values.wasm, values.cpu);
    assert.deepEqual(values["wasm-grad"], values["cpu-grad"]);
    if (axes.length === 1 && shape.length === 1) {
      assert.deepEqual(Array.from(values.wasm!), Array.from(x.values).reverse());
    }
  });
}

Deno.test("reverse on wasm leaves int32 tensors to the shipped kernel and still reverses them", async () => {
  await useBackend("wasm");
  const out = tf.reverse(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], "int32"), 1);
  assert.deepEqual(Array.from(await out.data()), [3, 2, 1, 6, 5, 4]);
  out.dispose();
});
