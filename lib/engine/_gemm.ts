/**
 * A WebAssembly SIMD matrix product that runs on the wasm backend's own heap (lib/engine/_gemm.wat):
 * C[M, N] = Σ_k A[m, k] · B[k, n], A given by one row pointer per row. Unlike XNNPACK's
 * fully-connected operator it packs nothing, which matters when B is a fresh gradient with many rows
 * (XNNPACK repacks it on every call, at ~10 ns per element).
 *
 * @module
 */
import { GEMM_WASM_PLAIN, GEMM_WASM_RELAXED } from "./_gemm_wasm.ts";

/** Rows of A per block: M must be a multiple of it. */
export const GEMM_ROWS = 4;
/** Columns of B per block: N must be a multiple of it. */
export const GEMM_COLUMNS = 8;
/** Rows of B per K block (a [256, 64] float panel is 64 KiB, about L2-resident; A rows stream). */
export const GEMM_K_BLOCK = 256;

/**
 * `gemm(rows, M, b, N, K, c, kc)`: every argument is an i32; `rows` (M byte addresses of A's rows),
 * `b` and `c` are byte addresses in the backend's memory.
 */
export type GemmFunction = (
  rows: number,
  m: number,
  b: number,
  n: number,
  k: number,
  c: number,
  kc: number,
) => void;

const instances = new WeakMap<WebAssembly.Memory, GemmFunction | null>();

function decode(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The wasm backend's memory, if this build exposes it. */
export function backendMemory(backend: unknown): WebAssembly.Memory | undefined {
  const memory = (backend as { wasm?: { asm?: { memory?: unknown } } }).wasm?.asm?.memory;
  return memory instanceof WebAssembly.Memory ? memory : undefined;
}

/**
 * The GEMM bound to `memory` (relaxed SIMD with fused multiply-add where the engine supports it, plain
 * SIMD otherwise), or `undefined` when WebAssembly SIMD is unavailable.
 */
export function gemmFor(memory: WebAssembly.Memory): GemmFunction | undefined {
  let gemm = instances.get(memory);
  if (gemm === undefined) {
    gemm = null;
    for (const code of [GEMM_WASM_RELAXED, GEMM_WASM_PLAIN]) {
      try {
        const module = new WebAssembly.Module(decode(code) as BufferSource);
        const instance = new WebAssembly.Instance(module, { env: { memory } });
        gemm = instance.exports.gemm as GemmFunction;
        break;
      } catch {
        // this engine lacks (relaxed) SIMD: try the next build
      }
    }
    instances.set(memory, gemm);
  }
  return gemm ?? undefined;
}
