/**
 * `Conv2DBackpropFilter` for wasm (missing as shipped): the filter gradient is itself a convolution of
 * the input with the output gradient, run on the fast XNNPACK `Conv2D` kernel.
 *
 * dW[kh, kw, ci, co] = Σ_{b,i,j} xPad[b, i·s + kh·d, j·s + kw·d, ci] · dy[b, i, j, co]. Treating `ci` as the
 * batch and `b` as the channel, this is a stride-1 convolution of xᵀ [Ci, H, W, B] with dyᵀ [Ho, Wo, B, Co]
 * at dilation `s`. When a patch is small (kh·kw·Ci ≤ {@linkcode MAX_IM2COL_PATCH}, e.g. a first layer on
 * one-channel input, with ≥ 32 output channels) that convolution would need a huge dilated filter, so the patches are gathered instead
 * (im2col, [K, B·Ho·Wo]) and multiplied with dy [B·Ho·Wo, Co] on XNNPACK.
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

/** Largest kh·kw·Ci for which the im2col path is used. */
export const MAX_IM2COL_PATCH = 32;
/** Fewest output channels for which the im2col path is used (measured: below it the conv route wins). */
export const MIN_IM2COL_OUT_CHANNELS = 32;

/** Kernel function registered as `Conv2DBackpropFilter` on wasm. */
export function conv2dBackpropFilter(args: WasmKernelArgs): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as tf.TensorInfo;
  const dy = inputs.dy as tf.TensorInfo;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
    attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (dataFormat !== undefined && dataFormat !== "NHWC") {
    throw new Error(
      `Cannot run Conv2DBackpropFilter on wasm: dataFormat must be 'NHWC', current value is '${dataFormat}'`,
    );
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const [batch, height, width, inChannels] = x.shape as [number, number, number, number];
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, outHeight, outWidth } = info;
  const { top, left } = info.padInfo;
  // Rows and columns of the padded input that the forward pass actually read.
  const neededH = (outHeight - 1) * sh + kh;
  const neededW = (outWidth - 1) * sw + kw;
  const bottom = neededH - height - top;
  const right = neededW - width - left;

  const [, , , outChannels] = filterShape;
  if (kh * kw * inChannels <= MAX_IM2COL_PATCH && outChannels >= MIN_IM2COL_OUT_CHANNELS) {
    return im2colFilterGradient(backend, x, dy, info, filterShape);
  }
  const pieces: tf.TensorInfo[] = [];
  let xUsed = x;
  if (bottom < 0 || right < 0) {
    xUsed = sliceInfo(backend, x, [0, 0, 0, 0], [
      batch,
      height + Math.min(0, bottom),
      width + Math.min(0, right),
      inChannels,
    ]);
    pieces.push(xUsed);
  }
  const xT = transpose(backend, xUsed, [3, 1, 2, 0]); // [Ci, H, W, B]
  const dyT = transpose(backend, dy, [1, 2, 0, 3]); // [Ho, Wo, B, Co]
  pieces.push(xT, dyT);
  const conv = runShipped("Conv2D", backend, { x: xT, filter: dyT }, {
    strides: [1, 1],
    dilations: [sh, sw],
    pad: [[0, 0], [top, Math.max(0, bottom)], [left, Math.max(0, right)], [0, 0]],
    dataFormat: "NHWC",
    dimRoundingMode: undefined as unknown as string,
  } as unknown as tf.NamedAttrMap); // [Ci, kh, kw, Co]
  pieces.push(conv);
  const dw = transpose(backend, conv, [1, 2, 0, 3]);
  release(backend, ...pieces);
  return dw;
}

function im2colFilterGradient(
  backend: WasmBackendLike,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  filterShape: [number, number, number, number],
): tf.TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { dilationHeight: dh, dilationWidth: dw } = info;
  const { top, left } = info.padInfo;
  const patch = kh * kw * inChannels;
  const columns = batchSize * outHeight * outWidth;
  const patches = backend.makeOutput([1, patch, columns], "float32");
  const out = backend.typedArrayFromHeap(patches) as Float32Array;
  const xs = backend.typedArrayFromHeap(x) as Float32Array;
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < kw; kx++) {
      for (let ci = 0; ci < inChannels; ci++) {
        const rowBase = ((ky * kw + kx) * inChannels + ci) * columns;
        let column = 0;
        for (let b = 0; b < batchSize; b++) {
          for (let oy = 0; oy < outHeight; oy++) {
            const iy = oy * sh + ky * dh - top;
            const rowOk = iy >= 0 && iy < inHeight;
            const base = (b * inHeight + iy) * inWidth;
            for (let ox = 0; ox < outWidth; ox++, column++) {
              const ix = ox * sw + kx * dw - left;
              out[rowBase + column] = rowOk && ix >= 0 && ix < inWidth
                ? xs[(base + ix) * inChannels + ci] as number
                : 0;
            }
          }
        }
      }
    }
  }
  const dy3d = reshape(backend, dy, [1, columns, outChannels]);
  const product = runShipped("BatchMatMul", backend, { a: patches, b: dy3d }, {
    transposeA: false,
    transposeB: false,
  });
  const dwOut = reshape(backend, product, filterShape);
  release(backend, patches, dy3d, product);
  return dwOut;
}
