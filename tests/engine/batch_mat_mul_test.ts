/**
 * BatchMatMul (replaced on wasm to keep transposes on XNNPACK, and single products on the project's GEMM)
 * against cpu and finite differences, in every transpose combination, 2-D, batched and with a batch of 1.
 * Unbatched (2-D or batch 1), the larger sizes take the GEMM route (35, 37 and 50 rows: 6-row tail blocks)
 * for every product: N a multiple of 8, or padded to one with zero columns (N = 130, 129, 131, 13, 20;
 * only the valid columns kept). Tolerances: 1e-5 relative to cpu for the gradients, 1e-4 for the loss (a
 * sum of up to ~14k products with cancellation: batch 3 at 37x20x129 differs by 1.5e-5 on XNNPACK's own
 * batched route); 2e-3 for finite differences (the loss is bilinear).
 */
import assert from "node:assert/strict";
import { tf } from "../../lib/engine/mod.ts";
import { finiteDifferenceError, input, lossAndGrads, maxRelativeError, weightedLoss } from "./_gradcheck.ts";

const SIZES: [number, number, number][] = [[5, 7, 4], [35, 130, 24], [37, 20, 129], [50, 131, 13]];
for (const [batch, [m, k, n]] of [[], [3], [1]].flatMap((b) => SIZES.map((s) => [b, s] as const))) {
  for (const transposeA of [false, true]) {
    for (const transposeB of [false, true]) {
      const label = `${
        batch.length ? `batch ${batch[0]}` : "2-D"
      } ${m}x${k}x${n} tA=${transposeA} tB=${transposeB}`;
      Deno.test(`matMul on wasm matches cpu and finite differences: ${label}`, async () => {
        const a = input([...batch, ...(transposeA ? [k, m] : [m, k])], 21);
        const b = input([...batch, ...(transposeB ? [n, k] : [k, n])], 22);
        const r = input([...batch, m, n], 23);
        const forward = (as: tf.Tensor, bs: tf.Tensor) => tf.matMul(as, bs, transposeA, transposeB);
        const loss = weightedLoss(forward, r);
        const wasm = await lossAndGrads("wasm", [a, b], loss);
        const cpu = await lossAndGrads("cpu", [a, b], loss);
        assert.ok(Math.abs(wasm.value - cpu.value) <= 1e-4 * Math.max(1, Math.abs(cpu.value)));
        assert.ok(maxRelativeError(wasm.grads[0]!, cpu.grads[0]!) <= 1e-5);
        assert.ok(maxRelativeError(wasm.grads[1]!, cpu.grads[1]!) <= 1e-5);
        assert.ok(await finiteDifferenceError("wasm", [a, b], 0, wasm.grads[0]!, forward, r) <= 2e-3);
        assert.ok(await finiteDifferenceError("wasm", [a, b], 1, wasm.grads[1]!, forward, r) <= 2e-3);
      });
    }
  }
}
