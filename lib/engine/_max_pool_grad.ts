/**
 * A correct `MaxPoolGrad` for wasm (the shipped kernel is wrong when channels > 1 or images are larger
 * than about 6x6). Each output gradient goes to the first maximum of its window in row-major order, the
 * same tie rule as the cpu backend. 2×2 windows that tile the input (every model here pools so) run on
 * the SIMD kernel of `_simd.wat`: branch-free selects, where the scalar loop mispredicted on every
 * comparison of random-looking data.
 *
 * @module
 */
import type { tf } from "./tf.ts";
import type { WasmKernelArgs } from "./_kernel_util.ts";
import { simdKernels } from "./_simd.ts";
import { poolInfo, windowsTile } from "./_max_pool.ts";

/** Kernel function registered as `MaxPoolGrad` on wasm. */
export function maxPoolGrad(args: WasmKernelArgs): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const dy = inputs.dy as tf.TensorInfo;
  const input = inputs.input as tf.TensorInfo;
  const info = poolInfo(input.shape, attrs);
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const { effectiveFilterHeight: fh, effectiveFilterWidth: fw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const out = backend.makeOutput(input.shape, "float32");
  // Views after the allocation (it may grow the heap, which detaches older views).
  const xs = backend.typedArrayFromHeap(input) as Float32Array;
  const dys = backend.typedArrayFromHeap(dy) as Float32Array;
  const dx = backend.typedArrayFromHeap(out) as Float32Array;
  const tiled = windowsTile(info);
  const simd = tiled && fh === 2 && fw === 2 && channels % 4 === 0 ? simdKernels(backend) : undefined;
  if (simd) {
    // The kernel writes every pixel a window covers; only an odd last row or column needs zeros first.
    if (outHeight * 2 !== inHeight || outWidth * 2 !== inWidth) dx.fill(0);
    simd.max_pool_grad_2x2(
      xs.byteOffset,
      dys.byteOffset,
      dx.byteOffset,
      batchSize,
      inHeight,
      inWidth,
      channels,
      outHeight,
      outWidth,
    );
    return out;
  }
  dx.fill(0);
  if (tiled) {
    tiledGradient(xs, dys, dx, { batchSize, inHeight, inWidth, channels, outHeight, outWidth, fh, fw });
    return out;
  }
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

/** Sizes of a pooling whose windows tile the input. */
interface Tiling {
  batchSize: number;
  inHeight: number;
  inWidth: number;
  channels: number;
  outHeight: number;
  outWidth: number;
  fh: number;
  fw: number;
}

/**
 * The gradient when the windows tile the input (stride = window, no padding, every window inside): each
 * pixel lies in at most one window, so each output gradient is stored, not added, at its window's first
 * maximum in row-major order (strict `>`, the same tie rule). `dx` is zero on entry. The 2×2 window, which
 * every model here pools with, is unrolled.
 */
function tiledGradient(xs: Float32Array, dys: Float32Array, dx: Float32Array, t: Tiling): void {
  const { batchSize, inHeight, inWidth, channels, outHeight, outWidth, fh, fw } = t;
  const row = inWidth * channels;
  let dyIndex = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const base = ((b * inHeight + oy * fh) * inWidth + ox * fw) * channels;
        if (fh === 2 && fw === 2) {
          for (let c = 0; c < channels; c++, dyIndex++) {
            const p00 = base + c, p01 = p00 + channels, p10 = p00 + row, p11 = p10 + channels;
            let at = p00;
            let best = xs[p00] as number;
            if ((xs[p01] as number) > best) {
              at = p01;
              best = xs[p01] as number;
            }
            if ((xs[p10] as number) > best) {
              at = p10;
              best = xs[p10] as number;
            }
            if ((xs[p11] as number) > best) at = p11;
            dx[at] = dys[dyIndex] as number;
          }
          continue;
        }
        for (let c = 0; c < channels; c++, dyIndex++) {
          let at = base + c;
          let best = xs[at] as number;
          for (let ky = 0; ky < fh; ky++) {
            for (let kx = 0; kx < fw; kx++) {
              const pixel = base + ky * row + kx * channels + c;
              if ((xs[pixel] as number) > best) {
                at = pixel;
                best = xs[pixel] as number;
              }
            }
          }
          dx[at] = dys[dyIndex] as number;
        }
      }
    }
  }
}
