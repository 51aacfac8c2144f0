/**
 * `MaxPool` for wasm on 2×2 windows that tile the input (stride 2, no padding, channels a multiple of 4;
 * every model here pools so): `_simd.wat`'s `max_pool_2x2`, about 2× faster than the shipped XNNPACK
 * operator on [64, 28, 28, 32] in isolation. Each output is its window's first maximum in row-major order, the
 * pixel that `MaxPoolGrad` sends the gradient to. Anything else keeps the shipped kernel.
 *
 * @module
 */
import { tf } from "./tf.ts";
import { addressOf, runShipped, type WasmKernelArgs } from "./_kernel_util.ts";
import { simdKernels } from "./_simd.ts";

/** The geometry of a `MaxPool` or `MaxPoolGrad` call on an input of `shape` (dilation 1). */
export function poolInfo(shape: number[], attrs: tf.NamedAttrMap): tf.backend_util.Conv2DInfo {
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolAttrs;
  return tf.backend_util.computePool2DInfo(
    shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
}

/** True when the windows tile the input: stride = window, no padding, every window inside it. */
export function windowsTile(info: tf.backend_util.Conv2DInfo): boolean {
  const { effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
  return info.strideHeight === fh && info.strideWidth === fw && info.padInfo.top === 0 &&
    info.padInfo.left === 0 && info.outHeight * fh <= info.inHeight && info.outWidth * fw <= info.inWidth;
}

/** Kernel function registered as `MaxPool` on wasm. */
export function maxPool(args: WasmKernelArgs): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as tf.TensorInfo;
  const info = poolInfo(x.shape, attrs);
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const simd =
    x.dtype === "float32" && windowsTile(info) && info.filterHeight === 2 && info.filterWidth === 2 &&
      channels % 4 === 0 && outHeight * outWidth > 0
      ? simdKernels(backend)
      : undefined;
  if (!simd) return runShipped("MaxPool", backend, inputs, attrs);
  const out = backend.makeOutput(info.outShape, "float32");
  simd.max_pool_2x2(
    addressOf(backend, x),
    addressOf(backend, out),
    batchSize,
    inHeight,
    inWidth,
    channels,
    outHeight,
    outWidth,
  );
  return out;
}
