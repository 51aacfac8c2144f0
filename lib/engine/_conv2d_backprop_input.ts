/**
 * A fast `Conv2DBackpropInput` for wasm (shipped as a plain loop), as stride-1 convolutions: on the grid GEMM
 * of `_grid_conv.ts` where it applies, on XNNPACK `Conv2D` otherwise.
 *
 * Stride 1: the input gradient is a convolution of dy with the spatially flipped, channel-swapped filter.
 *
 * Stride s > 1 (polyphase, "sub-pixel"): input row `iy` with `t = iy + top = s·q + r` only meets filter
 * rows `kh ≡ r (mod s)`, so each of the s_h·s_w phases `(r_h, r_w)` is a stride-1 convolution of dy with
 * a sub-filter of `ceil(K / s)` taps. One `Conv2D` computes all phases as output channels (phase-major),
 * then a reshape/transpose interleaves them (depth to space) and a slice crops the padding:
 *
 * dx[b, s·q + r − top, ·, ci] = Σ_{j, co} dy[b, q − j, ·, co] · W[r + s·j, ·, ci, co]
 *
 * No zero is inserted into dy, so no multiply-add is wasted on zeros and the conv has s_h·s_w·C_in
 * output channels instead of C_in (XNNPACK is slow on very few channels, e.g. the gradient of an image).
 *
 * @module
 */
import { tf } from "./tf.ts";
import {
  release,
  reshape,
  runShipped,
  transpose,
  type WasmBackendLike,
  type WasmKernelArgs,
} from "./_kernel_util.ts";
import { sliceInfo } from "./_slice.ts";
import { gridConv2D } from "./_grid_conv.ts";

/** Kernel function registered as `Conv2DBackpropInput` on wasm. */
export function conv2dBackpropInput(args: WasmKernelArgs): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const dy = inputs.dy as tf.TensorInfo;
  const filter = inputs.filter as tf.TensorInfo;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } =
    attrs as unknown as tf.Conv2DBackpropInputAttrs;
  if (dataFormat !== undefined && dataFormat !== "NHWC") {
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
  const dx = info.strideHeight === 1 && info.strideWidth === 1
    ? strideOne(backend, dy, filter, info)
    : polyphase(backend, dy, filter, info);
  if (dx.shape[3] !== inputShape[3]) throw new Error("Conv2DBackpropInput produced a wrong channel count");
  return dx;
}

type ConvInfo = tf.backend_util.Conv2DInfo;

function conv(
  backend: WasmBackendLike,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  pads: number[],
): tf.TensorInfo {
  const viaGrid = gridConv2D(backend, x, filter, pads);
  const [top, bottom, left, right] = pads;
  if (viaGrid) return viaGrid;
  return runShipped("Conv2D", backend, { x, filter }, {
    strides: [1, 1],
    dilations: [1, 1],
    pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
    dataFormat: "NHWC",
  } as unknown as tf.NamedAttrMap);
}

/** Stride 1: dx = dy ⋆ flip(W)ᵀ, padded so that the output is exactly [height, width]. */
function strideOne(backend: WasmBackendLike, dy: tf.TensorInfo, filter: tf.TensorInfo, info: ConvInfo) {
  const { filterHeight: kh, filterWidth: kw, outHeight, outWidth, inHeight, inWidth } = info;
  const { top, left } = info.padInfo;
  const flipped = runShipped("Reverse", backend, { x: filter }, { dims: [0, 1] });
  const swapped = transpose(backend, flipped, [0, 1, 3, 2]); // [KH, KW, Co, Ci]
  const pads = [kh - 1 - top, inHeight + top - outHeight, kw - 1 - left, inWidth + left - outWidth];
  const [cropped, exact] = cropNegative(backend, dy, pads);
  const dx = conv(backend, cropped, swapped, exact);
  release(backend, flipped, swapped, ...(cropped === dy ? [] : [cropped]));
  return dx;
}

/** Negative pads `[top, bottom, left, right]` of dy become a crop; returns dy (or its crop) and the pads. */
function cropNegative(
  backend: WasmBackendLike,
  dy: tf.TensorInfo,
  pads: number[],
): [tf.TensorInfo, number[]] {
  if (pads.every((p) => p >= 0)) return [dy, pads];
  const [batch, height, width, channels] = dy.shape as number[];
  const [top, bottom, left, right] = pads.map((p) => Math.max(0, -p)) as [number, number, number, number];
  const cropped = sliceInfo(backend, dy, [0, top, left, 0], [
    batch as number,
    (height as number) - top - bottom,
    (width as number) - left - right,
    channels as number,
  ]);
  return [cropped, pads.map((p) => Math.max(0, p))];
}

/** The phase filters `[Jh, Jw, Co, sh·sw·Ci]`, flipped for a correlation (zero where a phase has fewer taps). */
function phaseFilter(backend: WasmBackendLike, filter: tf.TensorInfo, info: ConvInfo): tf.TensorInfo {
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, inChannels, outChannels } =
    info;
  const jh = Math.ceil(kh / sh), jw = Math.ceil(kw / sw);
  const phases = sh * sw * inChannels;
  const out = backend.makeOutput([jh, jw, outChannels, phases], "float32");
  // Views after the allocation: makeOutput may grow the wasm heap, which detaches older views.
  const weights = backend.typedArrayFromHeap(filter) as Float32Array;
  const combined = backend.typedArrayFromHeap(out) as Float32Array;
  combined.fill(0);
  for (let a = 0; a < jh; a++) {
    for (let b = 0; b < jw; b++) {
      for (let rh = 0; rh < sh; rh++) {
        const y = rh + sh * (jh - 1 - a);
        if (y >= kh) continue;
        for (let rw = 0; rw < sw; rw++) {
          const x = rw + sw * (jw - 1 - b);
          if (x >= kw) continue;
          const phase = (rh * sw + rw) * inChannels;
          for (let ci = 0; ci < inChannels; ci++) {
            const source = ((y * kw + x) * inChannels + ci) * outChannels;
            for (let co = 0; co < outChannels; co++) {
              combined[((a * jw + b) * outChannels + co) * phases + phase + ci] =
                weights[source + co] as number;
            }
          }
        }
      }
    }
  }
  return out;
}

/** Stride > 1: all phases in one conv, then depth to space and a crop (see the module doc). */
function polyphase(backend: WasmBackendLike, dy: tf.TensorInfo, filter: tf.TensorInfo, info: ConvInfo) {
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { batchSize: batch, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
  const { top, left } = info.padInfo;
  const jh = Math.ceil(kh / sh), jw = Math.ceil(kw / sw);
  // Phase rows q0 … q0 + qh − 1 cover the input rows; each reads dy rows q − jh + 1 … q.
  const q0h = Math.floor(top / sh), qh = Math.floor((top + inHeight - 1) / sh) - q0h + 1;
  const q0w = Math.floor(left / sw), qw = Math.floor((left + inWidth - 1) / sw) - q0w + 1;
  const pads = [
    jh - 1 - q0h,
    q0h + qh - outHeight,
    jw - 1 - q0w,
    q0w + qw - outWidth,
  ];
  const weights = phaseFilter(backend, filter, info);
  const [cropped, exact] = cropNegative(backend, dy, pads);
  const phases = conv(backend, cropped, weights, exact); // [B, qh, qw, sh·sw·Ci]
  const rows = reshape(backend, phases, [batch * qh, qw, sh, sw * inChannels]);
  const interleaved = transpose(backend, rows, [0, 2, 1, 3]); // [B·qh, sh, qw, sw·Ci]
  const full = reshape(backend, interleaved, [batch, qh * sh, qw * sw, inChannels]);
  const offsetH = top - sh * q0h, offsetW = left - sw * q0w;
  const exactSize = offsetH === 0 && offsetW === 0 && qh * sh === inHeight && qw * sw === inWidth;
  const dx = exactSize
    ? full
    : sliceInfo(backend, full, [0, offsetH, offsetW, 0], [batch, inHeight, inWidth, inChannels]);
  release(backend, weights, phases, rows, interleaved, ...(dx === full ? [] : [full]));
  if (cropped !== dy) release(backend, cropped);
  return dx;
}
