/**
 * `BatchMatMul` for wasm. The shipped kernel takes a naive loop whenever a transpose is asked for (10-30x
 * slower); here the transposed operand is made explicit first. Then a single product (no batch, enough
 * work) runs on the project's SIMD GEMM (`_gemm.ts`), which packs nothing: XNNPACK repacks its right
 * operand on every call (~10 ns per element, as much as the product on the dense layers of the reference
 * CNNs). When N is not a multiple of 8, B is copied with zero columns up to the next multiple (at most
 * {@linkcode BATCH_MAT_MUL_ROUTE}`.maxPadding` times N, e.g. the log-mel front end's N = 129 → 136) and
 * only the valid columns of C are kept. Anything else runs on XNNPACK as shipped.
 *
 * @module
 */
import type { tf } from "./tf.ts";
import {
  release,
  reshape,
  runShipped,
  transpose,
  type WasmBackendLike,
  type WasmKernelArgs,
} from "./_kernel_util.ts";
import { GEMM_COLUMNS, GEMM_ROWS, gemmFor, gemmInto } from "./_gemm.ts";
import { backendMemory } from "./_wasm_module.ts";

/** Fewest multiply-adds (M·N·K) for which a single product runs on the project's GEMM. */
export const MIN_GEMM_WORK = 1 << 16;

/**
 * Tuning of the GEMM route, read on every call (benchmarks set it to compare routes in one process):
 * `maxPadding` is the largest ratio of padded to true N taken to the GEMM (1 keeps N % 8 ≠ 0 on XNNPACK).
 */
export const BATCH_MAT_MUL_ROUTE = { maxPadding: 1.5 };

/** Kernel function registered as `BatchMatMul` on wasm. */
export function batchMatMul(args: WasmKernelArgs): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
  const pieces: tf.TensorInfo[] = [];
  const explicit = (x: tf.TensorInfo, flip: boolean): tf.TensorInfo => {
    if (!flip) return x;
    const rank = x.shape.length;
    const outer = x.shape.slice(0, -2).reduce((p, d) => p * d, 1);
    const rows = x.shape[rank - 2] as number, cols = x.shape[rank - 1] as number;
    const as3d = reshape(backend, x, [outer, rows, cols]);
    const flipped = transpose(backend, as3d, [0, 2, 1]);
    const back = reshape(backend, flipped, [...x.shape.slice(0, -2), cols, rows]);
    pieces.push(as3d, flipped, back);
    return back;
  };
  const a = explicit(inputs.a as tf.TensorInfo, transposeA);
  const b = explicit(inputs.b as tf.TensorInfo, transposeB);
  const out = singleProduct(backend, a, b) ??
    runShipped("BatchMatMul", backend, { a, b }, { transposeA: false, transposeB: false });
  release(backend, ...pieces);
  return out;
}

/** a [.., M, K] · b [.., K, N] on the GEMM when every batch dimension is 1; `undefined` otherwise. */
function singleProduct(
  backend: WasmBackendLike,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
): tf.TensorInfo | undefined {
  const rank = a.shape.length;
  if (rank !== b.shape.length || a.dtype !== "float32" || b.dtype !== "float32") return undefined;
  if (![...a.shape.slice(0, -2), ...b.shape.slice(0, -2)].every((d) => d === 1)) return undefined;
  const [m, k] = a.shape.slice(-2) as [number, number];
  const [depth, n] = b.shape.slice(-2) as [number, number];
  const width = Math.ceil(n / GEMM_COLUMNS) * GEMM_COLUMNS;
  if (depth !== k || width > BATCH_MAT_MUL_ROUTE.maxPadding * n || m * n * k < MIN_GEMM_WORK) {
    return undefined;
  }
  const memory = backendMemory(backend);
  const gemm = memory && gemmFor(memory);
  if (!memory || !gemm) return undefined;
  const padded = width === n ? b : padColumns(backend, b, k, n, width);
  const rowTable = backend.makeOutput([Math.ceil(m / GEMM_ROWS) * GEMM_ROWS], "int32");
  const out = backend.makeOutput([...a.shape.slice(0, -2), m, n], "float32");
  // Views after the allocations: makeOutput may grow the heap, which detaches older views.
  const table = backend.typedArrayFromHeap(rowTable) as Int32Array;
  const start = backend.typedArrayFromHeap(a).byteOffset;
  for (let row = 0; row < table.length; row++) table[row] = start + 4 * k * Math.min(row, m - 1);
  gemmInto(backend, memory, gemm, { table: rowTable, m, b: padded, n: width, k }, out, n);
  release(backend, rowTable, ...(padded === b ? [] : [padded]));
  return out;
}

/** b [K, N] copied into a fresh [K, width] tensor whose columns past N are zero. */
function padColumns(
  backend: WasmBackendLike,
  b: tf.TensorInfo,
  k: number,
  n: number,
  width: number,
): tf.TensorInfo {
  const padded = backend.makeOutput([k, width], "float32");
  // Views after the allocation (it may grow the heap).
  const to = backend.typedArrayFromHeap(padded) as Float32Array;
  const from = backend.typedArrayFromHeap(b) as Float32Array;
  for (let row = 0; row < k; row++) {
    to.set(from.subarray(row * n, row * n + n), row * width);
    to.fill(0, row * width + n, row * width + width);
  }
  return padded;
}
