/**
 * The SIMD kernels of lib/engine/_simd.wat, bound to the wasm backend's memory. The pooling, sum, add
 * and square-root kernels are bit-identical to the kernels they replace; the two one-channel convolutions
 * sum in their own order. Callers keep their previous route for engines without SIMD.
 *
 * @module
 */
import { SIMD_WASM } from "./_simd_wasm.ts";
import { backendMemory, instanceOn } from "./_wasm_module.ts";

/** The exports of `_simd.wat`; every pointer a byte address in the backend's memory. */
export interface SimdKernels {
  /**
   * MaxPoolGrad of 2×2 windows tiling x [B, H, W, C] (stride 2, no padding; C a multiple of 4), dy
   * [B, Ho, Wo, C] into dx: each gradient at its window's first maximum, +0 at the window's other pixels;
   * pixels outside every window are not written.
   */
  max_pool_grad_2x2(
    x: number,
    dy: number,
    dx: number,
    batch: number,
    height: number,
    width: number,
    channels: number,
    outHeight: number,
    outWidth: number,
  ): void;
  /** MaxPool of 2×2 windows tiling x [B, H, W, C] (C a multiple of 4) into out [B, Ho, Wo, C]. */
  max_pool_2x2(
    x: number,
    out: number,
    batch: number,
    height: number,
    width: number,
    channels: number,
    outHeight: number,
    outWidth: number,
  ): void;
  /** Float64 column sums of x [rows, columns] (columns a multiple of 4) into `sums` [columns] float64. */
  column_sums(x: number, rows: number, columns: number, sums: number): void;
  /** out [rows, columns] = a [rows, columns] + b [columns] (columns a multiple of 4). */
  add_rows(a: number, b: number, out: number, rows: number, columns: number): void;
  /** out = √a over n floats (n a multiple of 4). */
  sqrt(a: number, out: number, n: number): void;
  /**
   * Stride-1 cross-correlation of grid [B, Hg, Wg, C] (zero-padded, C a multiple of 4) with w [kh, kw, C]
   * into out [B, Hg − kh + 1, Wg − kw + 1] (one output channel).
   */
  conv_to_one(
    grid: number,
    w: number,
    out: number,
    batch: number,
    gridHeight: number,
    gridWidth: number,
    channels: number,
    kh: number,
    kw: number,
    outHeight: number,
    outWidth: number,
  ): void;
  /**
   * Stride-1 cross-correlation of grid [B, Hg, Wg] (zero-padded, one channel) with w [kh, kw, Co] (Co a
   * multiple of 4) into out [B, Hg − kh + 1, Wg − kw + 1, Co].
   */
  conv_from_one(
    grid: number,
    w: number,
    out: number,
    batch: number,
    gridHeight: number,
    gridWidth: number,
    kh: number,
    kw: number,
    outHeight: number,
    outWidth: number,
    outChannels: number,
  ): void;
}

/** The SIMD kernels on `backend`'s memory, or `undefined` without WebAssembly SIMD. */
export function simdKernels(backend: unknown): SimdKernels | undefined {
  const memory = backendMemory(backend);
  return memory && (instanceOn(memory, [SIMD_WASM]) as unknown as SimdKernels | undefined);
}
