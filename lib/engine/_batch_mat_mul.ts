/**
 * `BatchMatMul` for wasm. The shipped kernel takes a naive loop whenever a transpose is asked for (10-30x
 * slower); here the transposed operand is made explicit first. Then a single product (no batch, N a
 * multiple of 8, enough work) runs on the project's SIMD GEMM (`_gemm.ts`), which packs nothing: XNNPACK
 * repacks its right operand on every call (~10 ns per element, as much as the product on the dense layers
 * of the reference CNNs); anything else runs on XNNPACK as shipped.
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
import { backendMemory, GEMM_COLUMNS, GEMM_ROWS, gemmFor, gemmInto } from "./_gemm.ts";

/** Fewest multiply-adds (M·N·K) for which a single product runs on the project's GEMM. */
export const MIN_GEMM_WORK = 1 << 16;

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
  if (depth !== k || n % GEMM_COLUMNS !== 0 || m * n * k < MIN_GEMM_WORK) return undefined;
  const memory = backendMemory(backend);
  const gemm = memory && gemmFor(memory);
  if (!memory || !gemm) return undefined;
  const rowTable = backend.makeOutput([Math.ceil(m / GEMM_ROWS) * GEMM_ROWS], "int32");
  const out = backend.makeOutput([...a.shape.slice(0, -2), m, n], "float32");
  // Views after the allocations: makeOutput may grow the heap, which detaches older views.
  const table = backend.typedArrayFromHeap(rowTable) as Int32Array;
  const start = backend.typedArrayFromHeap(a).byteOffset;
  for (let row = 0; row < table.length; row++) table[row] = start + 4 * k * Math.min(row, m - 1);
  gemmInto(backend, memory, gemm, { table: rowTable, m, b, n, k }, out, n);
  release(backend, rowTable);
  return out;
}
