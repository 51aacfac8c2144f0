import assert from "node:assert/strict";
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { NORMS } from "../../lib/attacks/_norms.ts";

for (const backend of ["cpu", "wasm"] as const) {
  Deno.test(`the L∞ direction is exactly the sign, down to the smallest subnormal, on ${backend}`, async () => {
    await useBackend(backend);
    const values = [0, 1.4e-45, -1.4e-45, 1e-38, -3e-39, 0.25, -7, 3e38, Infinity, -Infinity];
    const direction = NORMS.linf.direction(tf.tensor1d(values));
    assert.deepEqual(Array.from(await direction.data()), [0, 1, -1, 1, -1, 1, -1, 1, 1, -1]);
    tf.dispose(direction);
  });

  Deno.test(`the L∞ projection keeps points inside the ball and moves outside ones onto it, on ${backend}`, async () => {
    await useBackend(backend);
    const x0 = tf.tensor2d([[0.5, -0.25, 0.1, 0.9]]);
    const x = tf.tensor2d([[0.52, -0.4, 0.1, 0.7]]);
    const projected = Array.from(await NORMS.linf.project(x, x0, 0.05, null).data());
    const expected = [0.52, -0.3, 0.1, 0.85];
    projected.forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) <= 1e-7, `${v} vs ${expected[i]}`));
    const scaled = Array.from(await NORMS.linf.project(x, x0, 0.05, tf.tensor1d([2])).data());
    [0.52, -0.35, 0.1, 0.8].forEach((e, i) =>
      assert.ok(Math.abs(scaled[i]! - e) <= 1e-7, `${scaled[i]} vs ${e}`)
    );
    tf.dispose([x0, x]);
  });
}
