/**
 * MaxPoolGrad (wrong on wasm as shipped when channels > 1) against the cpu backend and finite differences.
 * Inputs are random, so windows have no ties and the loss Σ maxPool(x)·r is linear near x: central
 * differences with step 1e-4 are exact up to float32 rounding (tolerance 2e-3); wasm vs cpu must agree to 1e-6.
 */
import assert from "node:assert/strict";
import { tf, useBackend } from "../../lib/engine/mod.ts";
import {
  distinctInput,
  finiteDifferenceError,
  input,
  lossAndGrads,
  maxRelativeError,
  weightedLoss,
} from "./_gradcheck.ts";

const CASES: {
  shape: [number, number, number, number];
  filter: number;
  stride: number;
  pad: "same" | "valid";
}[] = [
  { shape: [2, 9, 9, 3], filter: 2, stride: 2, pad: "valid" },
  { shape: [2, 9, 11, 3], filter: 3, stride: 2, pad: "same" },
  { shape: [3, 7, 7, 4], filter: 3, stride: 1, pad: "same" },
  { shape: [1, 4, 4, 1], filter: 2, stride: 2, pad: "valid" },
  { shape: [2, 13, 13, 2], filter: 3, stride: 3, pad: "valid" },
  { shape: [8, 26, 26, 16], filter: 2, stride: 2, pad: "valid" },
  { shape: [2, 1, 50, 5], filter: 1, stride: 1, pad: "valid" },
];

for (const c of CASES) {
  Deno.test(`maxPool gradient on wasm matches cpu and finite differences: ${c.shape.join("x")} f${c.filter} s${c.stride} ${c.pad}`, async () => {
    const x = distinctInput(c.shape, 11);
    const info = tf.backend_util.computePool2DInfo(c.shape, c.filter, c.stride, 1, c.pad);
    const r = input(info.outShape, 12);
    const forward = (xs: tf.Tensor) => tf.maxPool(xs as tf.Tensor4D, c.filter, c.stride, c.pad);
    const loss = weightedLoss(forward, r);
    const wasm = await lossAndGrads("wasm", [x], loss);
    const cpu = await lossAndGrads("cpu", [x], loss);
    assert.ok(maxRelativeError(wasm.grads[0]!, cpu.grads[0]!) <= 1e-6, "dx differs from cpu");
    assert.ok(
      await finiteDifferenceError("wasm", [x], 0, wasm.grads[0]!, forward, r, 2 ** -20) <= 1e-5,
      "dx fails finite differences",
    );
  });
}

Deno.test("maxPool1d over audio-like input (as the audio encoder pools) matches cpu", async () => {
  const x = input([2, 1, 64, 8], 13);
  const r = input([2, 1, 32, 8], 14);
  const loss = weightedLoss((xs) => tf.maxPool(xs as tf.Tensor4D, [1, 2], [1, 2], "valid"), r);
  const wasm = await lossAndGrads("wasm", [x], loss);
  const cpu = await lossAndGrads("cpu", [x], loss);
  assert.ok(maxRelativeError(wasm.grads[0]!, cpu.grads[0]!) <= 1e-6);
});

Deno.test("maxPool gradient on wasm breaks ties as cpu does (first maximum in row-major order)", async () => {
  // Values from {0, 1, 2}: most windows hold ties; tiled (2x2 s2, 3x3 s3) and overlapping (3x3 s2 same) windows.
  // Channels 4 and 8 with 2x2 s2 take the SIMD kernel (odd height: a last row no window covers).
  const cases = [
    [2, 2, "valid", [2, 9, 8, 3]],
    [3, 3, "valid", [2, 9, 8, 3]],
    [3, 2, "same", [2, 9, 8, 3]],
    [2, 2, "valid", [2, 9, 8, 4]],
    [2, 2, "valid", [2, 8, 10, 8]],
  ] as const;
  for (const [filter, stride, pad, dims] of cases) {
    const shape = [...dims] as [number, number, number, number];
    const values = Float32Array.from({ length: shape.reduce((p, d) => p * d) }, (_, i) => (i * 7919) % 3);
    const x = { values, shape };
    const info = tf.backend_util.computePool2DInfo(shape, filter, stride, 1, pad);
    const r = input(info.outShape, 15);
    const loss = weightedLoss((xs) => tf.maxPool(xs as tf.Tensor4D, filter, stride, pad), r);
    const wasm = await lossAndGrads("wasm", [x], loss);
    const cpu = await lossAndGrads("cpu", [x], loss);
    assert.deepEqual(
      Array.from(wasm.grads[0]!),
      Array.from(cpu.grads[0]!),
      `f${filter} s${stride} ${pad} ${shape}`,
    );
  }
});

Deno.test("maxPool on wasm equals cpu bit for bit (2x2 SIMD kernel: ties, odd sizes; other windows shipped)", async () => {
  const shapes: [number, number, number, number][] = [[2, 8, 10, 8], [2, 9, 7, 4], [1, 6, 6, 3], [
    3,
    26,
    26,
    16,
  ]];
  for (const shape of shapes) {
    for (const [filter, stride] of [[2, 2], [3, 2]] as const) {
      const size = shape.reduce((p, d) => p * d);
      const values = Float32Array.from(
        { length: size },
        (_, i) => (i % 3 === 0 ? (i * 7919) % 3 : Math.sin(i)),
      );
      const outputs: number[][] = [];
      for (const backend of ["cpu", "wasm"] as const) {
        await useBackend(backend);
        const out = tf.tidy(() => tf.maxPool(tf.tensor4d(values, shape), filter, stride, "valid"));
        outputs.push(Array.from(await out.data()));
        out.dispose();
      }
      assert.deepEqual(outputs[1], outputs[0], `${shape} f${filter} s${stride}`);
    }
  }
});
