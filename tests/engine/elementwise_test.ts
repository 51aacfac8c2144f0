/**
 * Add, Sqrt and leading-axis Sum (replaced on wasm by the SIMD kernels of `_simd.wat` where the sizes
 * allow, the shipped kernel otherwise) against cpu: float32 sums and square roots are correctly rounded
 * on both, so Add and Sqrt must equal cpu bit for bit; Sum must equal a float64 column sum in row order
 * (what the kernel promises) bit for bit and cpu's float32 sum to rounding.
 */
import assert from "node:assert/strict";
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { input } from "./_gradcheck.ts";
import { simdKernels } from "../../lib/engine/_simd.ts";

async function onBackend(
  backend: "cpu" | "wasm",
  make: () => tf.Tensor,
): Promise<{ values: number[]; shape: number[]; dtype: string }> {
  await useBackend(backend);
  const result = tf.tidy(make);
  const out = { values: Array.from(await result.data()), shape: result.shape, dtype: result.dtype };
  result.dispose();
  return out;
}

const BINARY: { a: number[]; b: number[] }[] = [
  { a: [4, 6, 6, 16], b: [16] }, // a bias on every pixel (SIMD)
  { a: [16], b: [4, 6, 6, 16] }, // the same, operands swapped (SIMD)
  { a: [5, 8], b: [1, 8] }, // a [1, C] bias (SIMD)
  { a: [3, 7, 12], b: [3, 7, 12] }, // same shape (SIMD)
  { a: [3, 5], b: [3, 5] }, // same shape, 15 floats (shipped)
  { a: [4, 6], b: [6] }, // bias of 6 (shipped)
  { a: [4, 1], b: [1, 8] }, // general broadcasting (shipped)
  { a: [2, 8], b: [] }, // a scalar (shipped)
];

for (const { a, b } of BINARY) {
  Deno.test(`add of [${a}] and [${b}] on wasm equals cpu bit for bit`, async () => {
    const x = input(a, 1), y = input(b, 2);
    const make = () => tf.add(tf.tensor(x.values, x.shape), tf.tensor(y.values, y.shape));
    const [cpu, wasm] = [await onBackend("cpu", make), await onBackend("wasm", make)];
    assert.deepEqual(wasm.shape, cpu.shape);
    assert.deepEqual(wasm.values, cpu.values);
  });
}

Deno.test("add of int32 tensors keeps the shipped kernel (int32 results)", async () => {
  const wasm = await onBackend(
    "wasm",
    () => tf.add(tf.tensor2d([[1, 2, 3, 4]], [1, 4], "int32"), tf.tensor1d([5, 6, 7, 8], "int32")),
  );
  assert.equal(wasm.dtype, "int32");
  assert.deepEqual(wasm.values, [6, 8, 10, 12]);
});

for (const shape of [[40, 12], [3, 5], [0, 4]]) {
  Deno.test(`sqrt of [${shape}] on wasm equals cpu bit for bit (zeros, tiny and huge values included)`, async () => {
    const values = input(shape, 4).values.map((
      v,
      i,
    ) => (i % 7 === 0 ? 0 : i % 5 === 0 ? v * 1e-30 : v * v * 1e6));
    const make = () => tf.sqrt(tf.tensor(values, shape));
    const [cpu, wasm] = [await onBackend("cpu", make), await onBackend("wasm", make)];
    assert.deepEqual(wasm.shape, cpu.shape);
    assert.deepEqual(wasm.values, cpu.values);
  });
}

const SUMS: { shape: number[]; axes: number[] }[] = [
  { shape: [4, 9, 9, 16], axes: [0, 1, 2] }, // a conv bias gradient: 16 columns (two 8-wide blocks)
  { shape: [64, 20], axes: [0] }, // 8 + 8 + 4 columns
  { shape: [7, 3, 12], axes: [0] }, // 36 columns
  { shape: [33, 4], axes: [0] }, // one 4-wide block
  { shape: [6, 5, 3], axes: [0, 1] }, // 3 columns: the scalar loop
];

for (const { shape, axes } of SUMS) {
  Deno.test(`sum over leading axes ${axes} of [${shape}] on wasm: float64 column sums, rounded once`, async () => {
    const x = input(shape, 3);
    for (const keepDims of [false, true]) {
      const make = () => tf.sum(tf.tensor(x.values, x.shape), axes, keepDims);
      const [cpu, wasm] = [await onBackend("cpu", make), await onBackend("wasm", make)];
      assert.deepEqual(wasm.shape, cpu.shape);
      const columns = shape.slice(axes.length).reduce((p, d) => p * d, 1);
      const totals = new Float64Array(columns);
      for (let i = 0; i < x.values.length; i++) {
        totals[i % columns] = (totals[i % columns] as number) + (x.values[i] as number);
      }
      assert.deepEqual(wasm.values, Array.from(Float32Array.from(totals)));
      for (const [i, value] of cpu.values.entries()) {
        assert.ok(Math.abs((wasm.values[i] as number) - value) <= 1e-5 * shape[0]!, `column ${i}`);
      }
    }
  });
}

Deno.test("the SIMD kernels load on this engine (so the tests above ran them, not only the fallbacks)", async () => {
  await useBackend("wasm");
  const kernels = simdKernels(tf.backend());
  assert.ok(kernels, "WebAssembly SIMD is unavailable");
  assert.equal(typeof kernels.add_rows, "function");
});
