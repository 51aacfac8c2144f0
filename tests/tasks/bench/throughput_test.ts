import assert from "node:assert/strict";
import { tf, useBackend } from "../../../lib/engine/mod.ts";
import { measureThroughput } from "../../../tasks/bench/throughput.ts";
import { linearBatch, linearModel } from "../../attacks/_fixtures.ts";

await useBackend("wasm");

Deno.test("measureThroughput() times PGD-10 by default without leaking tensors", async () => {
  const model = linearModel({ seed: 111 });
  const batch = linearBatch(model, { seed: 112 });
  const before = tf.memory().numTensors;
  const speed = await measureThroughput(model, batch, { repeats: 2 });
  assert.equal(tf.memory().numTensors, before);
  assert.equal(speed.gradientCalls, 10);
  assert.equal(speed.seconds.length, 2);
  assert.equal(speed.batchSize, 4);
  assert.ok(speed.samplesPerSecond > 0);
  await assert.rejects(() => measureThroughput(model, batch, { repeats: 0 }), RangeError, "options.repeats");
});
