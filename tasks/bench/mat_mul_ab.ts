/**
 * A/B timing of wasm `BatchMatMul` forward + gradient on the log-mel front end's shapes, the GEMM route
 * for N % 8 ≠ 0 (padded columns) against XNNPACK, interleaved in one process (median of rounds).
 * Run: `deno run -A tasks/bench/mat_mul_ab.ts [rounds]`.
 *
 * @module
 */
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { BATCH_MAT_MUL_ROUTE } from "../../lib/engine/_batch_mat_mul.ts";

const rounds = Number(Deno.args[0] ?? 7);
await useBackend("wasm");
/** [M, K, N] of C = A·B */
const SHAPES: [number, number, number][] = [[3904, 128, 129], [3904, 129, 40], [5440, 128, 129], [
  5440,
  129,
  40,
]];

/** ms per call of the three products of a matMul and its gradient: C = A·B, dA = dC·Bᵀ, dB = Aᵀ·dC. */
function time(m: number, k: number, n: number, reps: number): number[] {
  const a = tf.randomNormal([m, k]), b = tf.randomNormal([k, n]), dc = tf.randomNormal([m, n]);
  const products = [
    () => tf.matMul(a, b),
    () => tf.matMul(dc, b, false, true),
    () => tf.matMul(a, dc, true, false),
  ];
  const ms = products.map((product) => {
    tf.dispose(product());
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) tf.dispose(product());
    return (performance.now() - t0) / reps;
  });
  tf.dispose([a, b, dc]);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[xs.length >> 1]!;
const NAMES = ["C = A·B", "dA = dC·Bᵀ", "dB = Aᵀ·dC"];
for (const [m, k, n] of SHAPES) {
  const runs: Record<string, number[][]> = { xnnpack: [], gemm: [] };
  for (let round = 0; round < rounds; round++) {
    const order: [string, number][] = round % 2
      ? [["gemm", 1.5], ["xnnpack", 1]]
      : [["xnnpack", 1], ["gemm", 1.5]];
    for (const [name, pad] of order) {
      BATCH_MAT_MUL_ROUTE.maxPadding = pad;
      runs[name]!.push(time(m, k, n, 5));
    }
  }
  NAMES.forEach((label, i) => {
    const [x, y] = [median(runs.xnnpack!.map((r) => r[i]!)), median(runs.gemm!.map((r) => r[i]!))];
    console.log(
      `A[${m},${k}] B[${k},${n}] ${label}: xnnpack ${x.toFixed(2)} ms, gemm ${y.toFixed(2)} ms, ${
        (x / y).toFixed(2)
      }x`,
    );
  });
}
