import assert from "node:assert/strict";
import { createRng, tf, useBackend } from "../../lib/engine/mod.ts";
import type { Box } from "../../lib/data/mod.ts";
import { disposeOutput } from "../../lib/models/mod.ts";
import { mapAttack, mapLoss, type MapLossOptions } from "../../lib/localize/map_attack.ts";
import { localizationMaps } from "../../lib/localize/localizers.ts";
import { massInBox } from "../../lib/localize/map_shift.ts";
import { tinyBatch, tinyLocalizer } from "./_fixtures.ts";

await useBackend("cpu");

const BOXES: Box[] = [[0, 0, 0.5, 0.5], [0.25, 0.25, 1, 1]];

/** Σ over the batch of the map loss at (audio, visual). */
function total(
  model: ReturnType<typeof tinyLocalizer>,
  options: MapLossOptions,
  audio: tf.Tensor2D,
  visual: tf.Tensor4D,
  labels: tf.Tensor1D,
): tf.Scalar {
  return tf.tidy((): tf.Scalar => {
    const output = model.apply(audio, visual);
    const value = tf.sum<tf.Scalar>(mapLoss(options)(output, labels));
    disposeOutput(output);
    return value;
  });
}

Deno.test("mapLoss() gradients flow through the map (central finite differences)", async (t) => {
  const model = tinyLocalizer();
  const batch = tinyBatch(2);
  const rows: [string, MapLossOptions][] = [
    ["attention, out of the box", { regions: BOXES }],
    ["attention, into a region, keeping the class", { regions: BOXES, direction: "in", classWeight: 1 }],
    ["similarity, out of the box", { regions: BOXES, source: "similarity" }],
  ];
  for (const [name, options] of rows) {
    await t.step(name, async () => {
      for (const modality of ["audio", "visual"] as const) {
        const x = batch[modality];
        const f = (input: tf.Tensor) =>
          modality === "audio"
            ? total(model, options, input as tf.Tensor2D, batch.visual, batch.labels)
            : total(model, options, batch.audio, input as tf.Tensor4D, batch.labels);
        const gradient = tf.grad(f)(x);
        const rng = createRng(modality === "audio" ? 1 : 2);
        const direction = tf.tensor(Float32Array.from({ length: x.size }, () => rng.range(-1, 1)), x.shape);
        const analytic = (await tf.sum(tf.mul(gradient, direction)).data())[0] ?? NaN;
        const h = 1e-3;
        const plus = (await f(tf.add(x, tf.mul(direction, h))).data())[0] ?? NaN;
        const minus = (await f(tf.sub(x, tf.mul(direction, h))).data())[0] ?? NaN;
        const numeric = (plus - minus) / (2 * h);
        assert.ok(Math.abs(analytic) > 1e-6, `${modality}: the gradient is not zero`);
        assert.ok(
          Math.abs(analytic - numeric) <= 0.05 * Math.abs(analytic) + 1e-4,
          `${modality}: analytic ${analytic}, numeric ${numeric}`,
        );
      }
    });
  }
  model.dispose();
});

Deno.test("mapAttack() moves attention mass out of the box within the budget", async () => {
  const model = tinyLocalizer();
  const batch = tinyBatch(2);
  const budget = { norm: "linf" as const, audio: 0, visual: 0.1 };
  const result = await mapAttack(model, batch, { budget, regions: BOXES, steps: 10 });
  const read = async (inputs: { audio: tf.Tensor2D; visual: tf.Tensor4D }) =>
    Float32Array.from(await localizationMaps(model, inputs, "attention").data());
  const clean = await read(batch);
  const attacked = await read({ audio: result.audio, visual: result.visual });
  const mass = (map: Float32Array) =>
    BOXES.map((box, i) => massInBox(map.slice(i * 16, (i + 1) * 16), [4, 4], box)).reduce((a, b) => a + b);
  assert.ok(mass(attacked) < mass(clean), `mass in the boxes ${mass(clean)} -> ${mass(attacked)}`);
  const change = (await tf.max(tf.abs(tf.sub(result.visual, batch.visual))).data())[0] ?? Infinity;
  assert.ok(change <= 0.1 + 1e-6);
  assert.deepEqual(await result.audio.data(), await batch.audio.data(), "zero-budget audio is bit-identical");
  tf.dispose([result.audio, result.visual]);
  model.dispose();
});

Deno.test("mapLoss() refuses a batch that does not match its regions, and a negative class weight", () => {
  const model = tinyLocalizer();
  const batch = tinyBatch(1);
  assert.throws(
    () => total(model, { regions: BOXES }, batch.audio, batch.visual, batch.labels),
    /2 regions for a batch of 1/,
  );
  assert.throws(() => mapLoss({ regions: BOXES, classWeight: -1 }), RangeError);
  model.dispose();
});
