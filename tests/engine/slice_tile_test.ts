/**
 * Slice and Tile (replaced on wasm: in-place reads, contiguous runs, `copyWithin`) against cpu. Both only
 * move values, so values and gradients must equal cpu's bit for bit, for float32, int32 and bool.
 */
import assert from "node:assert/strict";
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { input, lossAndGrads } from "./_gradcheck.ts";

const SLICES: { shape: number[]; begin: number[]; size: number[] }[] = [
  { shape: [9], begin: [2], size: [5] },
  { shape: [4, 10], begin: [0, 1], size: [4, 8] },
  { shape: [4, 10], begin: [1, 0], size: [2, 10] },
  { shape: [3, 6, 6, 1], begin: [0, 1, 1, 0], size: [3, 4, 4, 1] },
  { shape: [2, 1, 7, 5], begin: [0, 0, 0, 0], size: [2, 1, 6, 5] },
  { shape: [2, 3, 4, 5, 2], begin: [1, 0, 1, 2, 0], size: [1, 3, 2, 2, 2] },
  { shape: [3, 4], begin: [0, 0], size: [3, -1] },
  { shape: [3, 4], begin: [1, 2], size: [0, 2] },
];

const TILES: { shape: number[]; reps: number[] }[] = [
  { shape: [3], reps: [4] },
  { shape: [4, 1], reps: [1, 50] },
  { shape: [2, 3], reps: [3, 2] },
  { shape: [2, 1, 3], reps: [2, 4, 1] },
  { shape: [1, 2, 2, 1], reps: [3, 1, 2, 5] },
  { shape: [2, 2], reps: [1, 0] },
];

async function onBoth(make: () => tf.Tensor): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const backend of ["cpu", "wasm"] as const) {
    await useBackend(backend);
    const result = tf.tidy(make);
    out[backend] = Array.from(await result.data());
    out[`${backend}-shape`] = result.shape;
    result.dispose();
  }
  return out;
}

for (const { shape, begin, size } of SLICES) {
  Deno.test(`slice on wasm equals cpu: [${shape}] from [${begin}] size [${size}]`, async () => {
    const x = input(shape, 51);
    const r = await onBoth(() => tf.slice(tf.tensor(x.values, shape), begin, size));
    assert.deepEqual(r["wasm-shape"], r["cpu-shape"]);
    assert.deepEqual(r.wasm, r.cpu);
    const ints = await onBoth(() =>
      tf.slice(tf.range(0, x.values.length, 1, "int32").reshape(shape), begin, size)
    );
    assert.deepEqual(ints.wasm, ints.cpu);
    const extent = size.map((s, i) => (s === -1 ? (shape[i] as number) - (begin[i] as number) : s));
    if (extent.every((s) => s > 0)) {
      const weights = input(extent, 52);
      const loss = (t: tf.Tensor) =>
        tf.sum(tf.mul(tf.slice(t, begin, size), tf.tensor(weights.values, extent)));
      const [cpu, wasm] = [await lossAndGrads("cpu", [x], loss), await lossAndGrads("wasm", [x], loss)];
      assert.deepEqual(wasm.grads[0], cpu.grads[0]);
    }
  });
}

for (const { shape, reps } of TILES) {
  Deno.test(`tile on wasm equals cpu: [${shape}] reps [${reps}]`, async () => {
    const x = input(shape, 53);
    const r = await onBoth(() => tf.tile(tf.tensor(x.values, shape), reps));
    assert.deepEqual(r["wasm-shape"], r["cpu-shape"]);
    assert.deepEqual(r.wasm, r.cpu);
    const bools = await onBoth(() => tf.tile(tf.greater(tf.tensor(x.values, shape), 0), reps));
    assert.deepEqual(bools.wasm, bools.cpu);
  });
}

Deno.test("where with a per-sample condition on wasm (broadcast by Tile) equals cpu", async () => {
  const a = input([4, 300], 54), b = input([4, 300], 55);
  const r = await onBoth(() =>
    tf.where(
      tf.tensor2d([true, false, false, true], [4, 1], "bool"),
      tf.tensor(a.values, a.shape),
      tf.tensor(b.values, b.shape),
    )
  );
  assert.deepEqual(r.wasm, r.cpu);
});
