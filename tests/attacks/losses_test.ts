import assert from "node:assert/strict";
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { LOSSES, lossId, resolveLoss } from "../../lib/attacks/losses.ts";

await useBackend("wasm");

Deno.test("LOSSES compute per-sample cross-entropy, margin and cross-entropy plus feature cosine", async () => {
  const logits = tf.tensor2d([[2, 0, 0], [0, 1, 3]]);
  const labels = tf.tensor1d([0, 1], "int32");
  const audioFeatures = tf.tensor2d([[1, 0], [1, 1]]);
  const visualFeatures = tf.tensor2d([[0, 1], [2, 2]]);
  const output = { logits, audioFeatures, visualFeatures, visualMap: null };
  const ce = Array.from(await LOSSES.crossEntropy(output, labels).data());
  const expected = [
    -Math.log(Math.exp(2) / (Math.exp(2) + 2)),
    -Math.log(Math.exp(1) / (1 + Math.exp(1) + Math.exp(3))),
  ];
  ce.forEach((v, i) => assert.ok(Math.abs(v - (expected[i] ?? 0)) < 1e-5));
  assert.deepEqual(Array.from(await LOSSES.margin(output, labels).data()), [-2, 2]);
  const withCosine = Array.from(await LOSSES.crossEntropyCosine(output, labels).data());
  assert.ok(Math.abs((withCosine[0] ?? 0) - (ce[0] ?? 0)) < 1e-5);
  assert.ok(Math.abs((withCosine[1] ?? 0) - (ce[1] ?? 0) - 1) < 1e-5);
  assert.throws(
    () => LOSSES.crossEntropyCosine({ ...output, audioFeatures: null }, labels),
    TypeError,
    "audio and visual features",
  );
  tf.dispose([logits, labels, audioFeatures, visualFeatures]);
});

Deno.test("resolveLoss() accepts names and functions and rejects unknown names", () => {
  assert.equal(resolveLoss(), LOSSES.crossEntropy);
  const custom = LOSSES.margin;
  assert.equal(resolveLoss(custom), custom);
  assert.throws(() => resolveLoss("hinge" as "margin"), RangeError, "current value is 'hinge'");
  assert.equal(lossId("margin"), "margin");
});
