import assert from "node:assert/strict";
import { type AvDataset, memorySplit } from "../../../lib/data/mod.ts";
import { createRng, tf, useBackend } from "../../../lib/engine/mod.ts";
import { linearModel } from "../../../lib/models/mod.ts";
import { unpackFloats } from "../../../lib/report/examples/packed_floats.ts";
import { examplesCell, type ExamplesCellOptions } from "../../../lib/report/study/_examples_cell.ts";

await useBackend("cpu");

const model = linearModel({ seed: 3 });
const SIZE = 10, AUDIO = 8, FRAME = 2 * 2 * 3;

/** A test split whose labels are the model's predictions except at `wrong` (shifted by one class). */
async function dataset(wrong: readonly number[]): Promise<AvDataset> {
  const rng = createRng(5);
  const audio = Float32Array.from({ length: SIZE * AUDIO }, () => rng.range(-0.5, 0.5));
  const visual = Float32Array.from({ length: SIZE * FRAME }, () => rng.range(0.2, 0.8));
  const argMax = tf.tidy(() =>
    tf.argMax(model.apply(tf.tensor2d(audio, [SIZE, AUDIO]), tf.tensor4d(visual, [SIZE, 2, 2, 3])).logits, 1)
  );
  const predicted = Array.from(await argMax.data());
  argMax.dispose();
  const labels = Int32Array.from(predicted, (p, i) => (wrong.includes(i) ? (p + 1) % 3 : p));
  const split = memorySplit({
    audio,
    visual,
    labels,
    ids: Array.from({ length: SIZE }, (_, i) => `clip-${i}`),
    audioLength: AUDIO,
    frameSize: FRAME,
  });
  return {
    name: "toy",
    classes: ["a", "b", "c"],
    sampleRate: 8000,
    audioLength: AUDIO,
    imageShape: [2, 2, 3],
    splits: { train: split, val: split, test: split },
    hash: "toy",
    skipped: [],
  };
}

const OPTIONS: ExamplesCellOptions = {
  name: "toy",
  model: "linear",
  samples: 3,
  attack: { attack: "pgd", options: { steps: 3 } },
  settings: [
    { setting: "audio", budget: { norm: "linf", audio: 0.05, visual: 0 } },
    { setting: "visual", budget: { norm: "linf", audio: 0, visual: 0.05 } },
    { setting: "joint", budget: { norm: "linf", audio: 0.03, visual: 0.03 } },
  ],
  seed: 1,
  batchSize: 4,
};

Deno.test("examplesCell() takes the first correctly classified test samples, attacked per setting", async () => {
  const set = await examplesCell(model, await dataset([0, 2]), OPTIONS);
  assert.deepEqual(set.samples.map((s) => [s.index, s.id]), [[1, "clip-1"], [3, "clip-3"], [4, "clip-4"]]);
  assert.equal(set.selection, "The first 3 test samples the model classifies correctly");
  assert.deepEqual([set.attack, set.sampleRate, set.frameShape, set.classes], ["pgd(steps=3)", 8000, [
    2,
    2,
    3,
  ], [
    "a",
    "b",
    "c",
  ]]);
  for (const sample of set.samples) {
    assert.equal(sample.clean.predicted, sample.label);
    const audio = unpackFloats(sample.audio), frame = unpackFloats(sample.frame);
    assert.deepEqual([audio.length, frame.length], [AUDIO, FRAME]);
    assert.deepEqual(sample.attacks.map((a) => [a.setting, a.audio !== null, a.frame !== null]), [
      ["audio", true, false],
      ["visual", false, true],
      ["joint", true, true],
    ]);
    for (const attack of sample.attacks) {
      assert.ok(attack.confidence >= attack.trueConfidence && attack.confidence <= 1);
      if (attack.audio !== null) {
        const change = unpackFloats(attack.audio).map((v, i) => Math.abs(v - (audio[i] as number)));
        assert.ok(Math.max(...change) <= attack.budget.audio + 1e-6, "within the audio budget");
        assert.ok(Math.max(...change) > 0, "the audio changed");
      }
    }
  }
});

Deno.test("examplesCell() fills up with misclassified samples and says so when too few are right", async () => {
  const set = await examplesCell(model, await dataset([0, 1, 2, 3, 4, 5, 6, 7, 8]), OPTIONS);
  assert.deepEqual(set.samples.map((s) => s.index), [9, 0, 1]);
  assert.match(
    set.selection,
    /first 1 test samples the model classifies correctly, then the first 2 it misclassifies/,
  );
});

Deno.test("examplesCell() is deterministic and leaks no tensors", async () => {
  const data = await dataset([0]);
  await examplesCell(model, data, OPTIONS);
  const before = tf.memory().numTensors;
  const first = await examplesCell(model, data, OPTIONS);
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(await examplesCell(model, data, OPTIONS), first);
});
