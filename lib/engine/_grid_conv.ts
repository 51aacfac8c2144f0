/**
 * A stride-1, dilation-1 NHWC convolution as one SIMD GEMM of the project's own (`_gemm.ts`), with no
 * im2col: x is copied onto a zero-padded grid [B, Hg, Wg, Ci] with Hg = Ho + kh − 1, Wg = Wo + kw − 1.
 * Output pixel (b, oy, ox) is row m of the GEMM, whose A row starts at the grid pixel (b, oy, ox); for
 * filter row ky its taps (kx, ci) are the kw·Ci contiguous floats from grid pixel (b, oy + ky, ox), so
 * with K blocks of kw·Ci (one per ky) and a jump of one grid row between blocks, A is read in place and
 * B is the filter as stored ([kh·kw·Ci, Co]). Used by the forward `Conv2D` and by `Conv2DBackpropInput`
 * (itself a stride-1 convolution of dy). With one output channel (the input gradient of a convolution
 * from an image or a spectrogram) and Ci a multiple of 4, the same grid goes to `_simd.wat`'s
 * `conv_to_one` instead: one dot product per pixel, where the GEMM would compute 8 columns to keep 1; with
 * one input channel (a first layer) and Co a multiple of 4, to `conv_from_one` (each tap's input splat
 * times the filter's row), where K blocks of kw floats would leave the GEMM reloading its accumulators.
 *
 * @module
 */
import type { tf } from "./tf.ts";
import { addressOf, release, type WasmBackendLike } from "./_kernel_util.ts";
import { GEMM_COLUMNS, GEMM_ROWS, gemmFor, gemmInto } from "./_gemm.ts";
import { backendMemory } from "./_wasm_module.ts";
import { simdKernels } from "./_simd.ts";

/** Fewest floats per filter row (kw·Ci, one K block, after which C is reloaded) for which the route is taken. */
export const MIN_GRID_CONV_SEGMENT = 16;
/** Most padded output columns per useful one (Co rounded up to the GEMM's 8) for which the route is taken. */
export const MAX_GRID_CONV_COLUMN_WASTE = 1.5;

/**
 * `x ⋆ filter` (cross-correlation, stride 1, dilation 1) with non-negative pads `[top, bottom, left, right]`:
 * x [B, H, W, Ci], filter [kh, kw, Ci, Co] → [B, Ho, Wo, Co]. Returns `undefined` when the route does not
 * apply (no SIMD, short filter rows, few output channels other than one, an empty output); the caller
 * then falls back.
 */
export function gridConv2D(
  backend: WasmBackendLike,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  pads: readonly number[],
): tf.TensorInfo | undefined {
  const [top, bottom, left, right] = pads as [number, number, number, number];
  const [batch, height, width, inChannels] = x.shape as [number, number, number, number];
  const [kh, kw, filterChannels, outChannels] = filter.shape as [number, number, number, number];
  if (filterChannels !== inChannels || Math.min(top, bottom, left, right) < 0) return undefined;
  const outHeight = height + top + bottom - kh + 1, outWidth = width + left + right - kw + 1;
  if (outHeight <= 0 || outWidth <= 0 || batch === 0) return undefined;
  const toOne = outChannels === 1 && inChannels % 4 === 0;
  const fromOne = inChannels === 1 && outChannels % 4 === 0;
  const direct = toOne || fromOne; // one of _simd.wat's kernels, not the GEMM
  const columns = Math.ceil(outChannels / GEMM_COLUMNS) * GEMM_COLUMNS;
  const gemmFits = kw * inChannels >= MIN_GRID_CONV_SEGMENT &&
    columns <= MAX_GRID_CONV_COLUMN_WASTE * outChannels;
  if (!direct && !gemmFits) return undefined;
  const memory = backendMemory(backend);
  const gemm = memory && gemmFor(memory);
  const simd = direct ? simdKernels(backend) : undefined;
  if (!memory || !gemm || (direct && !simd)) return undefined;

  const gridH = outHeight + kh - 1, gridW = outWidth + kw - 1;
  const pixels = batch * outHeight * outWidth;
  const depth = kh * kw * inChannels;
  const grid = backend.makeOutput([batch * gridH * gridW * inChannels], "float32");
  const rowTable = direct
    ? undefined
    : backend.makeOutput([Math.ceil(pixels / GEMM_ROWS) * GEMM_ROWS], "int32");
  const weights = columns === outChannels || direct
    ? filter
    : backend.makeOutput([depth * columns], "float32");
  const out = backend.makeOutput([batch, outHeight, outWidth, outChannels], "float32");
  // Views after every allocation: makeOutput may grow the heap, which detaches older views.
  const heap = new Float32Array(memory.buffer);
  const xs = backend.typedArrayFromHeap(x) as Float32Array;
  const xg = backend.typedArrayFromHeap(grid) as Float32Array;

  xg.fill(0);
  const rowFloats = width * inChannels, xBase = xs.byteOffset >> 2, gBase = xg.byteOffset >> 2;
  for (let b = 0; b < batch; b++) {
    for (let y = 0; y < height; y++) {
      const source = xBase + (b * height + y) * rowFloats;
      const target = gBase + ((b * gridH + y + top) * gridW + left) * inChannels;
      heap.copyWithin(target, source, source + rowFloats);
    }
  }
  if (simd) {
    const [g, w, o] = [addressOf(backend, grid), addressOf(backend, filter), addressOf(backend, out)];
    if (toOne) simd.conv_to_one(g, w, o, batch, gridH, gridW, inChannels, kh, kw, outHeight, outWidth);
    else simd.conv_from_one(g, w, o, batch, gridH, gridW, kh, kw, outHeight, outWidth, outChannels);
    release(backend, grid);
    return out;
  }
  const table = backend.typedArrayFromHeap(rowTable!) as Int32Array;
  for (let b = 0, m = 0; b < batch; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const rowStart = xg.byteOffset + 4 * (b * gridH + oy) * gridW * inChannels;
      for (let ox = 0; ox < outWidth; ox++, m++) table[m] = rowStart + 4 * ox * inChannels;
    }
  }
  table.fill(table[0] as number, pixels);
  if (weights !== filter) padColumns(backend, filter, weights, depth, outChannels, columns);

  const segment = kw * inChannels;
  gemmInto(
    backend,
    memory,
    gemm,
    {
      table: rowTable!,
      m: pixels,
      b: weights,
      n: columns,
      k: depth,
      kc: segment,
      jump: 4 * (gridW - kw) * inChannels,
    },
    out,
    outChannels,
  );
  release(backend, grid, rowTable!, ...(weights === filter ? [] : [weights]));
  return out;
}

/** Copies `[rows, from]` into `[rows, to]` (to ≥ from), zero in the extra columns. */
function padColumns(
  backend: WasmBackendLike,
  source: tf.TensorInfo,
  target: tf.TensorInfo,
  rows: number,
  from: number,
  to: number,
): void {
  const s = backend.typedArrayFromHeap(source) as Float32Array;
  const t = backend.typedArrayFromHeap(target) as Float32Array;
  t.fill(0);
  for (let row = 0; row < rows; row++) t.set(s.subarray(row * from, (row + 1) * from), row * to);
}
