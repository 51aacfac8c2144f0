/**
 * Conv2DBackpropFilter (missing on wasm as shipped) and Conv2DBackpropInput (replaced for speed) against the
 * cpu backend and finite differences. Loss = Σ conv2d(x, w) · r with a fixed random r, so that dL/dx and dL/dw
 * are exactly the two backprop kernels applied to r.
 *
 * Tolerances: wasm vs cpu max relative error ≤ 1e-4 (float32 sums of ≤ 7·7·3·... terms in another order);
 * finite differences ≤ 2e-3 (the loss is bilinear, so central differences are exact up to the float32
 * rounding of the forward pass; the final weighted sum is taken in float64).
 */
import assert from "node:assert/strict";
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { finiteDifferenceError, input, lossAndGrads, maxRelativeError, weightedLoss } from "./_gradcheck.ts";

interface Case {
  batch: number;
  height: number;
  width: number;
  inChannels: number;
  outChannels: number;
  kernel: [number, number];
  stride: number;
  pad: "same" | "valid" | number;
}

const CASES: Case[] = [];
const kernels: [number, number][] = [[1, 1], [3, 3], [4, 4], [5, 3], [7, 7]];
for (const stride of [1, 2, 3]) {
  for (const pad of ["same", "valid"] as const) {
    for (const kernel of kernels) {
      CASES.push({ batch: 2, height: 11, width: 9, inChannels: 3, outChannels: 4, kernel, stride, pad });
    }
  }
}
CASES.push({
  batch: 3,
  height: 13,
  width: 13,
  inChannels: 2,
  outChannels: 5,
  kernel: [3, 3],
  stride: 2,
  pad: 1,
});
CASES.push({
  batch: 1,
  height: 8,
  width: 8,
  inChannels: 1,
  outChannels: 1,
  kernel: [2, 2],
  stride: 2,
  pad: "valid",
});
CASES.push({
  batch: 2,
  height: 1,
  width: 64,
  inChannels: 4,
  outChannels: 6,
  kernel: [1, 3],
  stride: 2,
  pad: "same",
});
// Padding wider than the kernel: the polyphase input gradient crops dy instead of padding it.
CASES.push({
  batch: 2,
  height: 7,
  width: 6,
  inChannels: 2,
  outChannels: 3,
  kernel: [3, 3],
  stride: 2,
  pad: 4,
});
// Stride 4 (more phases than taps: some phases have no filter row at all).
CASES.push({
  batch: 1,
  height: 13,
  width: 10,
  inChannels: 2,
  outChannels: 3,
  kernel: [3, 3],
  stride: 4,
  pad: "same",
});
// Small patches with many output channels take the im2col route of Conv2DBackpropFilter.
CASES.push({
  batch: 2,
  height: 9,
  width: 9,
  inChannels: 1,
  outChannels: 32,
  kernel: [3, 3],
  stride: 1,
  pad: "same",
});
CASES.push({
  batch: 3,
  height: 10,
  width: 7,
  inChannels: 2,
  outChannels: 33,
  kernel: [3, 3],
  stride: 2,
  pad: "valid",
});
CASES.push({
  batch: 2,
  height: 8,
  width: 8,
  inChannels: 3,
  outChannels: 40,
  kernel: [3, 3],
  stride: 3,
  pad: "same",
});

// Stride 1 takes the grid route of Conv2DBackpropFilter (SIMD GEMM on padded grids) when its padding waste
// is small: the medium reference CNN's second layer at batch 1, rows and columns that are not multiples of
// the GEMM's 4x8 blocks, numeric (square kernel: tfjs 4.22 miscomputes the output
// shape of a numeric pad with a non-square kernel) and valid padding, a non-square kernel, a 1x1 kernel and a one-row image.
CASES.push(
  {
    batch: 1,
    height: 14,
    width: 14,
    inChannels: 32,
    outChannels: 64,
    kernel: [3, 3],
    stride: 1,
    pad: "same",
  },
  { batch: 2, height: 9, width: 7, inChannels: 5, outChannels: 24, kernel: [3, 3], stride: 1, pad: "valid" },
  { batch: 3, height: 6, width: 10, inChannels: 3, outChannels: 13, kernel: [3, 3], stride: 1, pad: 2 },
  { batch: 2, height: 6, width: 9, inChannels: 3, outChannels: 16, kernel: [5, 3], stride: 1, pad: "same" },
  { batch: 2, height: 8, width: 8, inChannels: 1, outChannels: 32, kernel: [3, 3], stride: 1, pad: "same" },
  { batch: 1, height: 5, width: 5, inChannels: 2, outChannels: 8, kernel: [1, 1], stride: 1, pad: "valid" },
  { batch: 2, height: 1, width: 12, inChannels: 4, outChannels: 16, kernel: [1, 3], stride: 1, pad: "same" },
  { batch: 2, height: 7, width: 8, inChannels: 6, outChannels: 17, kernel: [4, 4], stride: 1, pad: "same" },
);
// One input channel (an image, a spectrogram): the forward pass runs on `_simd.wat`'s conv_from_one (16
// channels at a time, then 4), the input gradient (one channel) on conv_to_one, four pixels at a time and
// the rest one by one (output widths 9 and 6).
CASES.push(
  {
    batch: 2,
    height: 12,
    width: 11,
    inChannels: 1,
    outChannels: 16,
    kernel: [3, 3],
    stride: 1,
    pad: "valid",
  },
  { batch: 2, height: 5, width: 6, inChannels: 1, outChannels: 4, kernel: [5, 3], stride: 1, pad: "same" },
  { batch: 1, height: 7, width: 6, inChannels: 1, outChannels: 20, kernel: [3, 3], stride: 1, pad: "same" },
);
// Stride 1 with filter rows of ≥ 16 floats (kw·Ci, and kw·Co for the input gradient) takes the grid GEMM
// route of the forward Conv2D and of Conv2DBackpropInput (lib/engine/_grid_conv.ts): output channels that
// are not multiples of 8 (padded columns), pixel counts that are not multiples of the GEMM's 6 rows (the
// tail block), batch 1, valid/same/numeric (square kernel) padding, a non-square kernel and a 1x1 kernel.
CASES.push(
  { batch: 1, height: 5, width: 6, inChannels: 8, outChannels: 12, kernel: [3, 3], stride: 1, pad: "valid" },
  { batch: 2, height: 5, width: 9, inChannels: 6, outChannels: 24, kernel: [5, 3], stride: 1, pad: "same" },
  { batch: 3, height: 6, width: 5, inChannels: 16, outChannels: 8, kernel: [1, 1], stride: 1, pad: "same" },
  { batch: 2, height: 6, width: 6, inChannels: 9, outChannels: 16, kernel: [3, 3], stride: 1, pad: 1 },
  { batch: 1, height: 7, width: 3, inChannels: 7, outChannels: 11, kernel: [3, 3], stride: 1, pad: "same" },
);

function name(c: Case): string {
  return `B${c.batch} ${c.height}x${c.width}x${c.inChannels}->${c.outChannels} k${
    c.kernel.join("x")
  } s${c.stride} ${c.pad}`;
}

for (const c of CASES) {
  Deno.test(`conv2d gradients on wasm match cpu and finite differences: ${name(c)}`, async () => {
    const x = input([c.batch, c.height, c.width, c.inChannels], 1);
    const w = input([c.kernel[0], c.kernel[1], c.inChannels, c.outChannels], 2);
    const info = tf.backend_util.computeConv2DInfo(
      [c.batch, c.height, c.width, c.inChannels],
      [c.kernel[0], c.kernel[1], c.inChannels, c.outChannels],
      c.stride,
      1,
      c.pad,
    );
    const outShape = info.outShape;
    const r = input(outShape, 3);
    const forward = (xs: tf.Tensor, ws: tf.Tensor) =>
      tf.conv2d(xs as tf.Tensor4D, ws as tf.Tensor4D, c.stride, c.pad);
    const loss = weightedLoss(forward, r);
    const wasm = await lossAndGrads("wasm", [x, w], loss);
    const cpu = await lossAndGrads("cpu", [x, w], loss);
    assert.ok(Math.abs(wasm.value - cpu.value) <= 1e-4 * Math.max(1, Math.abs(cpu.value)), "conv differs");
    assert.ok(maxRelativeError(wasm.grads[0]!, cpu.grads[0]!) <= 1e-4, "dx differs from cpu");
    assert.ok(maxRelativeError(wasm.grads[1]!, cpu.grads[1]!) <= 1e-4, "dw differs from cpu");
    assert.ok(
      await finiteDifferenceError("wasm", [x, w], 0, wasm.grads[0]!, forward, r) <= 2e-3,
      "dx fails finite differences",
    );
    assert.ok(
      await finiteDifferenceError("wasm", [x, w], 1, wasm.grads[1]!, forward, r) <= 2e-3,
      "dw fails finite differences",
    );
  });
}

Deno.test("conv1d (stride 2, as in the audio encoder) has matching gradients on wasm and cpu", async () => {
  const x = input([3, 101, 2], 4);
  const w = input([3, 2, 5], 5);
  const r = input([3, 51, 5], 6);
  const loss = weightedLoss((xs, ws) => tf.conv1d(xs as tf.Tensor3D, ws as tf.Tensor3D, 2, "same"), r);
  const wasm = await lossAndGrads("wasm", [x, w], loss);
  const cpu = await lossAndGrads("cpu", [x, w], loss);
  assert.ok(maxRelativeError(wasm.grads[0]!, cpu.grads[0]!) <= 1e-4);
  assert.ok(maxRelativeError(wasm.grads[1]!, cpu.grads[1]!) <= 1e-4);
});

Deno.test("conv2d forward outputs on wasm match cpu elementwise (one-channel input: conv_from_one; and the GEMM)", async () => {
  const cases: [number[], number[], "same" | "valid"][] = [
    [[2, 9, 11, 1], [3, 3, 1, 32], "same"], // 16 + 16 channels, the medium CNN's first layer
    [[2, 12, 11, 1], [3, 3, 1, 16], "valid"], // the small CNN's
    [[1, 7, 6, 1], [3, 3, 1, 20], "same"], // 16 + 4
    [[2, 5, 6, 1], [5, 3, 1, 4], "same"], // 4 only, a non-square kernel
    [[2, 6, 6, 8], [3, 3, 8, 16], "same"], // the grid GEMM
  ];
  for (const [xShape, wShape, pad] of cases) {
    const x = input(xShape, 7), w = input(wShape, 8);
    const outputs: Float32Array[] = [];
    for (const backend of ["cpu", "wasm"] as const) {
      await useBackend(backend);
      const out = tf.tidy(() =>
        tf.conv2d(tf.tensor4d(x.values, xShape as never), tf.tensor4d(w.values, wShape as never), 1, pad)
      );
      outputs.push(await out.data() as Float32Array);
      out.dispose();
    }
    assert.ok(maxRelativeError(outputs[1]!, outputs[0]!) <= 1e-5, `${xShape} * ${wShape} ${pad}`);
  }
});
