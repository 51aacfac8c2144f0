import assert from "node:assert/strict";
import { createRng } from "../../lib/engine/random.ts";
import { memorySplit } from "../../lib/data/memory_split.ts";

function twoSamples() {
  return memorySplit({
    audio: new Float32Array([0.1, 0.2, 0.3, -0.9, 0.9, 0.5]),
    visual: new Float32Array([0, 0.5, 1, 0.25]),
    labels: new Int32Array([4, 7]),
    ids: ["x/0", "x/1"],
    boxes: new Float32Array([0.1, 0.2, 0.6, 0.7, -1, -1, -1, -1]),
    audioLength: 3,
    frameSize: 2,
  });
}

Deno.test("memorySplit() returns each sample's slices, label, id and box", async () => {
  const split = twoSamples();
  assert.equal(split.size, 2);
  assert.deepEqual(Array.from(split.labels), [4, 7]);
  const first = await split.sample(0);
  assert.equal(first.id, "x/0");
  assert.equal(first.label, 4);
  assert.deepEqual(Array.from(first.audio), Array.from(new Float32Array([0.1, 0.2, 0.3])));
  assert.deepEqual(Array.from(first.visual), [0, 0.5]);
  assert.deepEqual(first.box?.map((v) => Math.round(v * 10) / 10), [0.1, 0.2, 0.6, 0.7]);
});

Deno.test("memorySplit() leaves out the box of a row marked -1", async () => {
  const second = await twoSamples().sample(1);
  assert.equal(second.box, undefined);
  assert.equal(second.label, 7);
});

Deno.test("memorySplit() returns copies that callers may modify", async () => {
  const split = twoSamples();
  const first = await split.sample(0);
  first.audio.fill(0);
  first.visual.fill(0);
  const again = await split.sample(0);
  assert.equal(again.audio[2], Math.fround(0.3));
  assert.equal(again.visual[1], 0.5);
});

Deno.test("memorySplit() augments with a seeded gain and stays inside [-1, 1]", async () => {
  const split = twoSamples();
  const a = await split.sample(1, { augment: true, rng: createRng(3) });
  const b = await split.sample(1, { augment: true, rng: createRng(3) });
  assert.deepEqual(a.audio, b.audio);
  assert.ok(a.audio.every((v) => v >= -1 && v <= 1));
  assert.deepEqual(a.visual, (await split.sample(1)).visual);
});

Deno.test("memorySplit() rejects a bad index and augment without rng", async () => {
  const split = twoSamples();
  await assert.rejects(split.sample(2), RangeError);
  await assert.rejects(split.sample(-1), RangeError);
  await assert.rejects(split.sample(0, { augment: true }), /options\.rng is required/);
});

Deno.test("memorySplit() throws a TypeError when an array has the wrong length", () => {
  assert.throws(
    () =>
      memorySplit({
        audio: new Float32Array(5),
        visual: new Float32Array(4),
        labels: new Int32Array(2),
        ids: ["a", "b"],
        audioLength: 3,
        frameSize: 2,
      }),
    { name: "TypeError", message: /audio must have 6 values, current value is 5/ },
  );
});
