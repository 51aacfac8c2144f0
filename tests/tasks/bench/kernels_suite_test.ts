import assert from "node:assert/strict";
import { tf, useBackend } from "../../../lib/engine/mod.ts";
import { kernelTimes } from "../../../tasks/bench/kernels_suite.ts";
import { referenceSteps } from "../../../tasks/bench/reference_steps.ts";

await useBackend("wasm");

Deno.test("kernelTimes() lists every kernel of a step once per input shapes, shares summing to 1, no leaks", async () => {
  const before = tf.memory().numTensors;
  const reference = referenceSteps("small");
  const rows = await kernelTimes(reference.train, 2);
  reference.dispose();
  assert.equal(tf.memory().numTensors, before);
  const keys = rows.map((row) => `${row.kernel} ${JSON.stringify(row.inputShapes)}`);
  assert.equal(new Set(keys).size, keys.length);
  for (const kernel of ["Conv2D", "Conv2DBackpropFilter", "MaxPoolGrad", "BatchMatMul"]) {
    assert.ok(
      rows.some((row) => row.kernel === kernel),
      `${kernel} missing from the small net's training step`,
    );
  }
  assert.ok(rows.every((row, i) => row.ms >= 0 && (i === 0 || (rows[i - 1] as typeof row).ms >= row.ms)));
  assert.ok(Math.abs(rows.reduce((sum, row) => sum + row.share, 0) - 1) < 1e-9);
});
