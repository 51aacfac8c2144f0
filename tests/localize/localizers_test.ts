import assert from "node:assert/strict";
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { localizationMaps, type LocalizerName, LOCALIZERS } from "../../lib/localize/localizers.ts";
import { tinyBatch, tinyLocalizer } from "./_fixtures.ts";

await useBackend("cpu");

Deno.test("localizationMaps() returns a [batch, h, w] map over the visual grid for every localizer", async (t) => {
  const model = tinyLocalizer();
  const batch = tinyBatch(3);
  for (const name of Object.keys(LOCALIZERS) as LocalizerName[]) {
    await t.step(name, async () => {
      const before = tf.memory().numTensors;
      const map = localizationMaps(model, batch, name);
      assert.deepEqual(map.shape, [3, 4, 4]);
      const values = await map.data();
      assert.ok(values.every(Number.isFinite));
      map.dispose();
      assert.equal(tf.memory().numTensors, before, "no tensor leak");
    });
  }
  tf.dispose(Object.values(batch));
  model.dispose();
});

Deno.test("the attention map is a distribution and hears the audio; silence and shuffling change it", async () => {
  const model = tinyLocalizer();
  const batch = tinyBatch(3);
  const own = await localizationMaps(model, batch, "attention").array();
  for (const sample of own) {
    assert.ok(Math.abs(sample.flat().reduce((a, b) => a + b, 0) - 1) < 1e-5);
  }
  const silent = await localizationMaps(model, batch, "attentionSilent").array();
  const shuffled = await localizationMaps(model, batch, "attentionShuffled").array();
  assert.notDeepEqual(silent, own);
  assert.notDeepEqual(shuffled, own);
  const single = {
    audio: tf.slice2d(batch.audio, [0, 0], [1, -1]),
    visual: tf.slice4d(batch.visual, [0, 0, 0, 0], [1, -1, -1, -1]),
  };
  assert.deepEqual(
    await localizationMaps(model, single, "attentionShuffled").array(),
    await localizationMaps(model, single, "attention").array(),
    "a batch of one keeps its own audio",
  );
  model.dispose();
});

Deno.test("the similarity map holds cosines and the centre prior peaks at the centre", async () => {
  const model = tinyLocalizer();
  const batch = tinyBatch(2);
  const similarity = await localizationMaps(model, batch, "similarity").data();
  assert.ok(similarity.every((v) => v >= -1 - 1e-5 && v <= 1 + 1e-5));
  const prior = (await localizationMaps(model, batch, "centerPrior").array())[0] ?? [];
  const centre = prior[1]?.[1] ?? 0;
  assert.equal(centre, Math.max(...prior.flat()));
  assert.ok(centre > (prior[0]?.[0] ?? 1));
  model.dispose();
});
