import assert from "node:assert/strict";
import { createRng, tf, useBackend } from "../../lib/engine/mod.ts";
import { MODEL_PRESETS } from "../../lib/models/config.ts";
import { ParameterStore } from "../../lib/models/parameter_store.ts";
import { createVisualEncoder, type VisualEncoderConfig } from "../../lib/models/visual_encoder.ts";

await useBackend("cpu");

const SMALL: VisualEncoderConfig = {
  stemWidth: 4,
  stemKernel: 3,
  stemStride: 1,
  stemMaxPool: false,
  widths: [4, 8],
  blocks: [1, 2],
  strides: [1, 2],
  mean: [0.5, 0.5],
  std: [0.25, 0.5],
};

Deno.test("createVisualEncoder() with the ResNet-18 layout has torchvision's 11,176,512 parameters and a 7x7 map", () => {
  const store = new ParameterStore(createRng(1));
  const encoder = createVisualEncoder(
    store,
    { ...MODEL_PRESETS.paper.visual, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
    [224, 224, 3],
  );
  assert.equal(store.count(), 11_176_512);
  assert.deepEqual(encoder.mapShape, [7, 7, 512]);
  store.dispose();
});

Deno.test("createVisualEncoder() returns pooled features and the last map", async () => {
  const store = new ParameterStore(createRng(1));
  const encoder = createVisualEncoder(store, SMALL, [8, 8, 2]);
  const { features, map } = encoder.apply(tf.randomUniform([3, 8, 8, 2]) as tf.Tensor4D, true);
  assert.deepEqual(features.shape, [3, 8]);
  assert.deepEqual(map.shape, [3, 4, 4, 8]);
  const pooled = await tf.mean(map, [1, 2]).data();
  assert.deepEqual(Array.from(await features.data()), Array.from(pooled));
  store.dispose();
});

Deno.test("createVisualEncoder() normalises the frame with its mean and std inside", async () => {
  const frame = tf.randomUniform([2, 8, 8, 2], 0, 1, "float32", 3) as tf.Tensor4D;
  const a = new ParameterStore(createRng(2)), b = new ParameterStore(createRng(2));
  const normalising = createVisualEncoder(a, SMALL, [8, 8, 2]);
  const plain = createVisualEncoder(b, { ...SMALL, mean: [0, 0], std: [1, 1] }, [8, 8, 2]);
  const manual = tf.div(tf.sub(frame, tf.tensor1d([0.5, 0.5])), tf.tensor1d([0.25, 0.5])) as tf.Tensor4D;
  const x = await normalising.apply(frame, false).features.data();
  const y = await plain.apply(manual, false).features.data();
  for (let i = 0; i < x.length; i++) assert.ok(Math.abs((x[i] as number) - (y[i] as number)) < 1e-5);
  a.dispose();
  b.dispose();
});

Deno.test("createVisualEncoder() rejects a normalisation of the wrong size and mismatched stage lists", () => {
  const store = new ParameterStore(createRng(1));
  assert.throws(
    () => createVisualEncoder(store, { ...SMALL, mean: [0.5] }, [8, 8, 2]),
    /mean and std need 2 entries/,
  );
  assert.throws(
    () => createVisualEncoder(store, { ...SMALL, blocks: [1] }, [8, 8, 2]),
    /one entry per stage/,
  );
  store.dispose();
});
