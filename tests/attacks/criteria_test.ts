import assert from "node:assert/strict";
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { isAdversarial } from "../../lib/attacks/criteria.ts";

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`isAdversarial() compares the argmax with the label or the target (${backend})`, async () => {
    await useBackend(backend);
    const logits = tf.tensor2d([[3, 1, 0], [0, 2, 1], [0, 1, 5]]);
    const labels = tf.tensor1d([0, 0, 2], "int32");
    const targets = tf.tensor1d([1, 1, 1], "int32");
    assert.deepEqual(Array.from(await isAdversarial(logits, labels).data()), [0, 1, 0]);
    assert.deepEqual(Array.from(await isAdversarial(logits, labels, targets).data()), [0, 1, 0]);
    assert.throws(() => isAdversarial(logits, tf.tensor1d([0], "int32")), TypeError, "Cannot decide success");
    tf.dispose([logits, labels, targets]);
  });
}
