/**
 * A WebAssembly SIMD matrix product that runs on the wasm backend's own heap (lib/engine/_gemm.wat):
 * C[M, N] = Σ_k A[m, k] · B[k, n], A given by one row pointer per row. Unlike XNNPACK's
 * fully-connected operator it packs nothing, which matters when B is a fresh gradient with many rows
 * (XNNPACK repacks it on every call, at ~10 ns per element).
 *
 * @module
 */
import type { tf } from "./tf.ts";
import { addressOf, release, type WasmBackendLike } from "./_kernel_util.ts";
import { GEMM_WASM_PLAIN, GEMM_WASM_RELAXED } from "./_gemm_wasm.ts";
import { instanceOn } from "./_wasm_module.ts";

/** Rows of A per block: M must be a multiple of it. */
export const GEMM_ROWS = 6;
/** Columns of B per block: N must be a multiple of it. */
export const GEMM_COLUMNS = 8;
/** Rows of B per K block (a [256, 64] float panel is 64 KiB, about L2-resident; A rows stream). */
export const GEMM_K_BLOCK = 256;

/**
 * `gemm(rows, M, b, N, K, c, kc, jump)`: every argument is an i32; `rows` (M byte addresses of A's rows),
 * `b` and `c` are byte addresses in the backend's memory. K block j (of kc rows of B) reads row m of A
 * at `rows[m] + 4·k + j·jump` bytes (jump 0 for a plain product).
 */
export type GemmFunction = (
  rows: number,
  m: number,
  b: number,
  n: number,
  k: number,
  c: number,
  kc: number,
  jump: number,
) => void;

/**
 * The GEMM bound to `memory` (relaxed SIMD with fused multiply-add where the engine supports it, plain
 * SIMD otherwise), or `undefined` when WebAssembly SIMD is unavailable.
 */
export function gemmFor(memory: WebAssembly.Memory): GemmFunction | undefined {
  return instanceOn(memory, [GEMM_WASM_RELAXED, GEMM_WASM_PLAIN])?.gemm as GemmFunction | undefined;
}

/** One product for {@linkcode gemmInto}: A by a row table, B a [K, N] tensor (N a multiple of 8). */
export interface GemmOperands {
  /** int32 tensor of at least `ceil(m / GEMM_ROWS) · GEMM_ROWS` row addresses (spare entries any valid row). */
  table: tf.TensorInfo;
  /** Rows of A and C. */
  m: number;
  /** B, [K, N] float32, N a multiple of {@linkcode GEMM_COLUMNS}. */
  b: tf.TensorInfo;
  /** Columns of B. */
  n: number;
  /** Depth. */
  k: number;
  /** Rows of B per K block. @default GEMM_K_BLOCK */
  kc?: number;
  /** Extra bytes A skips per K block. @default 0 */
  jump?: number;
}

/**
 * C = A·B into `out` ([m, nOut] float32, nOut ≤ n: the first nOut columns of the product), through a
 * scratch block for the rows past the last whole GEMM block and for everything when nOut < n.
 */
export function gemmInto(
  backend: WasmBackendLike,
  memory: WebAssembly.Memory,
  gemm: GemmFunction,
  { table, m, b, n, k, kc = GEMM_K_BLOCK, jump = 0 }: GemmOperands,
  out: tf.TensorInfo,
  nOut: number,
): void {
  const whole = nOut === n ? Math.floor(m / GEMM_ROWS) * GEMM_ROWS : 0;
  const rest = Math.ceil((m - whole) / GEMM_ROWS) * GEMM_ROWS;
  const scratch = rest > 0 ? backend.makeOutput([rest * n], "float32") : undefined;
  // Addresses after the allocation (views detach when the heap grows; addresses stay).
  const [rows, bAt, cAt] = [addressOf(backend, table), addressOf(backend, b), addressOf(backend, out)];
  if (whole > 0) gemm(rows, whole, bAt, n, k, cAt, kc, jump);
  if (!scratch) return;
  gemm(rows + 4 * whole, rest, bAt, n, k, addressOf(backend, scratch), kc, jump);
  const heap = new Float32Array(memory.buffer);
  const from = addressOf(backend, scratch) >> 2, to = (cAt >> 2) + whole * nOut;
  for (let row = 0; row < m - whole; row++) {
    heap.copyWithin(to + row * nOut, from + row * n, from + row * n + nOut);
  }
  release(backend, scratch);
}
