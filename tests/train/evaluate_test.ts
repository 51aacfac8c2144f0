import assert from "node:assert/strict";
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { createModel } from "../../lib/models/create_model.ts";
import { evaluateAccuracy } from "../../lib/train/evaluate.ts";
import { syntheticDataset, TINY_MODEL } from "./_fixtures.ts";

await useBackend("wasm");

const dataset = syntheticDataset({ sizes: { train: 4, val: 10, test: 4 } });

Deno.test("evaluateAccuracy() counts argmax hits in split order, whatever the batch size", async () => {
  const model = createModel({
    kind: "av",
    numClasses: 4,
    audioLength: 256,
    imageShape: [8, 8, 1],
    ...TINY_MODEL,
  });
  const whole = await evaluateAccuracy(model, dataset.splits.val, dataset, { batchSize: 10 });
  const pieces = await evaluateAccuracy(model, dataset.splits.val, dataset, { batchSize: 3 });
  assert.equal(whole.count, 10);
  assert.deepEqual(Array.from(pieces.predictions), Array.from(whole.predictions));
  assert.ok(Math.abs(pieces.loss - whole.loss) < 1e-5);
  const hits = Array.from(whole.predictions).filter((p, i) => p === dataset.splits.val.labels[i]).length;
  assert.equal(whole.accuracy, hits / 10);
  const limited = await evaluateAccuracy(model, dataset.splits.val, dataset, { limit: 4 });
  assert.equal(limited.count, 4);
  model.dispose();
});

Deno.test("evaluateAccuracy() reports progress, leaks no tensors and rejects a bad batch size", async () => {
  const model = createModel({
    kind: "visual",
    numClasses: 4,
    audioLength: 256,
    imageShape: [8, 8, 1],
    ...TINY_MODEL,
  });
  const before = tf.memory().numTensors;
  const seen: number[] = [];
  await evaluateAccuracy(model, dataset.splits.val, dataset, {
    batchSize: 4,
    onProgress: (done) => seen.push(done),
  });
  assert.deepEqual(seen, [4, 8, 10]);
  assert.equal(tf.memory().numTensors, before);
  await assert.rejects(
    () => evaluateAccuracy(model, dataset.splits.val, dataset, { batchSize: 0 }),
    RangeError,
  );
  model.dispose();
});
