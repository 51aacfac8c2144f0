/**
 * `Conv2DBackpropFilter` for wasm (missing as shipped).
 *
 * Stride 1 (when the padding waste is small): one SIMD GEMM of the project's own (`_gemm.ts`) over x and
 * dy laid out on zero-padded grids, with no im2col and no weight packing (see `gridFilterGradient`).
 * XNNPACK repacks the large operand of such a product on every call, which cost more than the product
 * on the reference CNNs' shapes.
 *
 * Otherwise the filter gradient is itself a convolution of the input with the output gradient, run on
 * the XNNPACK `Conv2D` kernel:
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
import { GEMM_COLUMNS, GEMM_ROWS, gemmFor, gemmInto } from "./_gemm.ts";
import { backendMemory } from "./_wasm_module.ts";

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
  const viaGrid = gridFilterGradient(backend, x, dy, info, filterShape);
  if (viaGrid) return viaGrid;
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

/** Most padded multiply-adds per useful one for which the grid route is taken. */
export const MAX_GRID_WASTE = 3;

/**
 * Stride 1 on the SIMD GEMM of `_gemm.ts`, with no im2col: x is laid out channel-major on a zero-padded
 * grid of `Hg × Wg` per image (flattened, images one after another), and dy on the same grid (zero where
 * no output is). Then the input pixel that tap (ky, kx) pairs with grid position p is at p + ky·Wg + kx,
 * so row (ky, kx, ci) of the im2col matrix is a window of channel ci's grid, and
 * dW[(ky, kx, ci), co] = Σ_p xg[ci, p + ky·Wg + kx] · dyg[p, co] is one GEMM whose A rows are pointers
 * into the grid. Rows that run off the right (bottom) edge read the next row's left (next image's top)
 * padding, which is zero, so the grid needs only max(left + W, neededW − left) columns, not W + kw − 1.
 * Returns `undefined` when the route does not apply (stride > 1, no SIMD, too much padding waste).
 */
function gridFilterGradient(
  backend: WasmBackendLike,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  filterShape: [number, number, number, number],
): tf.TensorInfo | undefined {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { dilationHeight: dh, dilationWidth: dw } = info;
  const { top, left } = info.padInfo;
  if (sh !== 1 || sw !== 1 || top < 0 || left < 0) return undefined;
  const memory = backendMemory(backend);
  const gemm = memory && gemmFor(memory);
  if (!memory || !gemm) return undefined;
  const neededH = outHeight + (kh - 1) * dh, neededW = outWidth + (kw - 1) * dw;
  const gridH = Math.max(top + inHeight, neededH - top), gridW = Math.max(left + inWidth, neededW - left);
  if (outHeight > gridH || outWidth > gridW) return undefined;
  const rows = kh * kw * inChannels;
  const paddedRows = Math.ceil(rows / GEMM_ROWS) * GEMM_ROWS;
  const paddedColumns = Math.ceil(outChannels / GEMM_COLUMNS) * GEMM_COLUMNS;
  const depth = batchSize * gridH * gridW; // K of the GEMM
  const waste = (paddedRows * paddedColumns * depth) /
    (rows * outChannels * batchSize * outHeight * outWidth);
  if (!(waste <= MAX_GRID_WASTE)) return undefined;
  const reach = (kh - 1) * dh * gridW + (kw - 1) * dw; // largest tap offset
  const channelStride = depth + reach;

  const xGrid = backend.makeOutput([inChannels * channelStride], "float32");
  const dyGrid = backend.makeOutput([depth * paddedColumns], "float32");
  const rowTable = backend.makeOutput([paddedRows], "int32");
  const out = backend.makeOutput(filterShape, "float32");
  // Views after every allocation: makeOutput may grow the heap, which detaches older views.
  const heap = new Float32Array(memory.buffer);
  const xs = backend.typedArrayFromHeap(x) as Float32Array;
  const dys = backend.typedArrayFromHeap(dy) as Float32Array;
  const xg = backend.typedArrayFromHeap(xGrid) as Float32Array;
  const dyg = backend.typedArrayFromHeap(dyGrid) as Float32Array;
  const table = backend.typedArrayFromHeap(rowTable) as Int32Array;

  xg.fill(0);
  const imageSize = gridH * gridW;
  for (let b = 0, source = 0; b < batchSize; b++) {
    for (let y = 0; y < inHeight; y++) {
      let target = b * imageSize + (y + top) * gridW + left;
      for (let xx = 0; xx < inWidth; xx++, target++) {
        for (let ci = 0, at = target; ci < inChannels; ci++, at += channelStride) {
          xg[at] = xs[source++] as number;
        }
      }
    }
  }
  dyg.fill(0);
  const dyBase = dys.byteOffset >> 2, dygBase = dyg.byteOffset >> 2;
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const source = dyBase + (b * outHeight + oy) * outWidth * outChannels;
      const target = dygBase + (b * imageSize + oy * gridW) * paddedColumns;
      if (paddedColumns === outChannels) {
        heap.copyWithin(target, source, source + outWidth * outChannels);
      } else {
        for (let ox = 0; ox < outWidth; ox++) {
          const from = source + ox * outChannels;
          heap.copyWithin(target + ox * paddedColumns, from, from + outChannels);
        }
      }
    }
  }
  for (let ky = 0, row = 0; ky < kh; ky++) {
    for (let kx = 0; kx < kw; kx++) {
      for (let ci = 0; ci < inChannels; ci++, row++) {
        table[row] = xg.byteOffset + 4 * (ci * channelStride + ky * dh * gridW + kx * dw);
      }
    }
  }
  for (let row = rows; row < paddedRows; row++) table[row] = table[0] as number;

  gemmInto(
    backend,
    memory,
    gemm,
    { table: rowTable, m: rows, b: dyGrid, n: paddedColumns, k: depth },
    out,
    outChannels,
  );
  release(backend, xGrid, dyGrid, rowTable);
  return out;
}
