/**
 * `MaxPool` for wasm on 2×2 windows that tile the input (stride 2, no padding, channels a multiple of 4;
 * every model here pools so): `_simd.wat`'s `max_pool_2x2`, about 4× faster than the shipped XNNPACK
 * operator on the reference CNNs' shapes. Each output is its window's first maximum in row-major order, the
 * pixel that `MaxPoolGrad` sends the gradient to. Anything else keeps the shipped kernel.
 *
 * @module
 */
import { tf } from "./tf.ts";
import { runShipped, type WasmKernelArgs } from "./_kernel_util.ts";
import { simdKernels } from "./_simd.ts";

/** Kernel function registered as `MaxPool` on wasm. */
export function maxPool(args: WasmKernelArgs): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as tf.TensorInfo;
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolAttrs;
  const info = tf.backend_util.computePool2DInfo(
    x.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const tiled = x.dtype === "float32" && info.filterHeight === 2 && info.filterWidth === 2 &&
    info.strideHeight === 2 && info.strideWidth === 2 && info.padInfo.top === 0 && info.padInfo.left === 0 &&
    outHeight * 2 <= inHeight && outWidth * 2 <= inWidth && channels % 4 === 0 && outHeight * outWidth > 0;
  const simd = tiled ? simdKernels(backend) : undefined;
  if (!simd) return runShipped("MaxPool", backend, inputs, attrs);
  const out = backend.makeOutput(info.outShape, "float32");
  const at = (t: tf.TensorInfo) => backend.typedArrayFromHeap(t).byteOffset;
  simd.max_pool_2x2(at(x), at(out), batchSize, inHeight, inWidth, channels, outHeight, outWidth);
  return out;
}
