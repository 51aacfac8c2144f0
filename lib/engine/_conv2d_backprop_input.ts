/**
 * A fast `Conv2DBackpropInput` for wasm (shipped as a plain loop). The input gradient is a stride-1
 * convolution of the zero-dilated output gradient with the spatially flipped, channel-swapped filter,
 * run on XNNPACK `Conv2D`. Strides with sh·sw > {@linkcode MAX_DILATED_STRIDE} keep the shipped kernel,
 * since zero insertion would waste more work than the fast path saves.
 *
 * dx[b, y, x, ci] = Σ_{kh,kw,co} dyDilated[b, y + kh − (KH − 1 − top), x + kw − (KW − 1 − left), co] ·
 * W[KH − 1 − kh, KW − 1 − kw, ci, co]
 *
 * @module
 */
import { tf } from "./tf.ts";
import { release, reshape, runShipped, slice4, transpose, type WasmBackendLike } from "./_kernel_util.ts";

/** Largest sh·sw for which zero insertion is used. */
export const MAX_DILATED_STRIDE = 4;

/** Kernel function registered as `Conv2DBackpropInput` on wasm. */
export function conv2dBackpropInput(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: WasmBackendLike;
  attrs: tf.NamedAttrMap;
}): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const dy = inputs.dy as tf.TensorInfo;
  const filter = inputs.filter as tf.TensorInfo;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } =
    attrs as unknown as tf.Conv2DBackpropInputAttrs;
  const [sh, sw] = typeof strides === "number" ? [strides, strides] : strides;
  if ((dataFormat !== undefined && dataFormat !== "NHWC") || sh * sw > MAX_DILATED_STRIDE) {
    return runShipped("Conv2DBackpropInput", backend, inputs, attrs);
  }
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const [batch, height, width, inChannels] = inputShape;
  const { filterHeight: kh, filterWidth: kw, outHeight, outWidth, outChannels } = info;
  const { top, left } = info.padInfo;
  const pieces: tf.TensorInfo[] = [];

  // Zero-insert dy: [B, Ho, Wo, Co] -> [B, Ho·sh, Wo·sw, Co] with dy at multiples of the stride.
  let dilated = dy;
  if (sh > 1 || sw > 1) {
    const expanded = reshape(backend, dy, [batch, outHeight, 1, outWidth, 1, outChannels]);
    const padded = runShipped("PadV2", backend, { x: expanded }, {
      paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]],
      constantValue: 0,
    });
    dilated = reshape(backend, padded, [batch, outHeight * sh, outWidth * sw, outChannels]);
    pieces.push(expanded, padded, dilated);
  }
  const dilatedH = outHeight * sh, dilatedW = outWidth * sw;
  // Pads so that the stride-1 valid conv yields exactly [height, width]. Negative pads become slices.
  const padTop = kh - 1 - top, padLeft = kw - 1 - left;
  const padBottom = height + kh - 1 - dilatedH - padTop;
  const padRight = width + kw - 1 - dilatedW - padLeft;
  if (padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0) {
    const begin = [0, Math.max(0, -padTop), Math.max(0, -padLeft), 0];
    const size = [
      batch,
      dilatedH - (begin[1] as number) - Math.max(0, -padBottom),
      dilatedW - (begin[2] as number) - Math.max(0, -padRight),
      outChannels,
    ];
    const cropped = slice4(backend, dilated, begin, size);
    pieces.push(cropped);
    dilated = cropped;
  }
  const flipped = runShipped("Reverse", backend, { x: filter }, { dims: [0, 1] });
  const swapped = transpose(backend, flipped, [0, 1, 3, 2]); // [KH, KW, Co, Ci]
  pieces.push(flipped, swapped);
  const dx = runShipped("Conv2D", backend, { x: dilated, filter: swapped }, {
    strides: [1, 1],
    dilations: [1, 1],
    pad: [[0, 0], [Math.max(0, padTop), Math.max(0, padBottom)], [
      Math.max(0, padLeft),
      Math.max(0, padRight),
    ], [
      0,
      0,
    ]],
    dataFormat: "NHWC",
  } as unknown as tf.NamedAttrMap);
  release(backend, ...pieces);
  if (dx.shape[3] !== inChannels) throw new Error("Conv2DBackpropInput produced a wrong channel count");
  return dx;
}
