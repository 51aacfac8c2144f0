/**
 * A correct `MaxPoolGrad` for wasm (the shipped kernel is wrong when channels > 1 or images are larger
 * than about 6x6). Each output gradient goes to the first maximum of its window in row-major order, the
 * same tie rule as the cpu backend.
 *
 * @module
 */
import { tf } from "./tf.ts";
import type { WasmKernelArgs } from "./_kernel_util.ts";

/** Kernel function registered as `MaxPoolGrad` on wasm. */
export function maxPoolGrad(args: WasmKernelArgs): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const dy = inputs.dy as tf.TensorInfo;
  const input = inputs.input as tf.TensorInfo;
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const { effectiveFilterHeight: fh, effectiveFilterWidth: fw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const xs = backend.typedArrayFromHeap(input) as Float32Array;
  const dys = backend.typedArrayFromHeap(dy) as Float32Array;
  const out = backend.makeOutput(input.shape, "float32");
  const dx = backend.typedArrayFromHeap(out) as Float32Array;
  dx.fill(0);
  const best = new Float32Array(channels);
  const where = new Int32Array(channels);
  for (let b = 0; b < batchSize; b++) {
    const xBase = b * inHeight * inWidth * channels;
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = oy * sh - top;
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = ox * sw - left;
        let first = true;
        for (let ky = Math.max(0, -y0); ky < fh && y0 + ky < inHeight; ky++) {
          const rowBase = xBase + (y0 + ky) * inWidth * channels;
          for (let kx = Math.max(0, -x0); kx < fw && x0 + kx < inWidth; kx++) {
            const pixel = rowBase + (x0 + kx) * channels;
            if (first) {
              for (let c = 0; c < channels; c++) {
                best[c] = xs[pixel + c] as number;
                where[c] = pixel + c;
              }
              first = false;
              continue;
            }
            for (let c = 0; c < channels; c++) {
              const value = xs[pixel + c] as number;
              if (value > (best[c] as number)) {
                best[c] = value;
                where[c] = pixel + c;
              }
            }
          }
        }
        if (first) continue; // a window entirely in the padding reads nothing
        const dyBase = ((b * outHeight + oy) * outWidth + ox) * channels;
        for (let c = 0; c < channels; c++) {
          const target = where[c] as number;
          dx[target] = (dx[target] as number) + (dys[dyBase + c] as number);
        }
      }
    }
  }
  return out;
}
