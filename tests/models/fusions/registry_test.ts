import assert from "node:assert/strict";
import { tf, useBackend } from "../../../lib/engine/mod.ts";
import { createModel } from "../../../lib/models/create_model.ts";
import { disposeOutput } from "../../../lib/models/dispose_output.ts";
import { FUSIONS, isFusionName } from "../../../lib/models/fusions/registry.ts";
import type { FusionName } from "../../../lib/models/fusions/types.ts";
import { TINY_MODEL } from "../../train/_fixtures.ts";

await useBackend("wasm");

const SHAPES = { numClasses: 5, audioLength: 256, imageShape: [8, 8, 1] as [number, number, number] };

function inputs(batch: number) {
  const audio = tf.tidy(() =>
    tf.sin(tf.mul(tf.range(0, batch * 256), 0.37)).reshape([batch, 256])
  ) as tf.Tensor2D;
  const visual = tf.tidy(() =>
    tf.div(tf.add(tf.cos(tf.mul(tf.range(0, batch * 64), 0.53)), 1), 2).reshape([batch, 8, 8, 1])
  ) as tf.Tensor4D;
  return { audio, visual };
}

function absSum(t: tf.Tensor): number {
  return tf.tidy(() => tf.sum(tf.abs(t)).dataSync()[0] as number);
}

function allFinite(t: tf.Tensor): boolean {
  return tf.tidy(() => tf.all(tf.isFinite(t)).dataSync()[0] === 1);
}

const NAMES = Object.keys(FUSIONS).filter(isFusionName);

Deno.test("FUSIONS lists the six audio-visual fusions", () => {
  assert.deepEqual(NAMES, ["concat", "sum", "film", "gated", "attention", "late"] satisfies FusionName[]);
});

for (const fusion of NAMES) {
  for (
    const conditioning of fusion === "film" || fusion === "gated"
      ? ["audio", "visual"] as const
      : ["audio"] as const
  ) {
    const label = `${fusion}${conditioning === "visual" ? " (visual conditioning)" : ""}`;

    Deno.test(`the ${label} fusion returns logits, both embeddings and the visual map`, () => {
      const model = createModel({
        kind: "av",
        fusion,
        ...SHAPES,
        ...TINY_MODEL,
        fusionOptions: { hiddenSize: 8, conditioning },
      });
      const { audio, visual } = inputs(3);
      const out = model.apply(audio, visual);
      assert.deepEqual(out.logits.shape, [3, 5]);
      assert.deepEqual(out.audioFeatures?.shape, [3, 8]);
      assert.deepEqual(out.visualFeatures?.shape, [3, 8]);
      assert.deepEqual(out.visualMap?.shape, [3, 4, 4, 8]);
      assert.equal(out.auxiliaryLogits, undefined);
      assert.ok(allFinite(out.logits));
      disposeOutput(out);
      tf.dispose([audio, visual]);
      model.dispose();
    });

    Deno.test(`the ${label} fusion passes gradients to both encoders and both raw inputs`, () => {
      const model = createModel({
        kind: "av",
        fusion,
        ...SHAPES,
        ...TINY_MODEL,
        fusionOptions: { hiddenSize: 8, conditioning },
      });
      const { audio, visual } = inputs(4);
      const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 3], "int32"), 5);
      const loss = (a: tf.Tensor, v: tf.Tensor, training: boolean) => {
        const out = model.apply(a as tf.Tensor2D, v as tf.Tensor4D, { training });
        return tf.losses.softmaxCrossEntropy(labels, out.logits) as tf.Scalar;
      };
      const variables = [...model.trainable.audio, ...model.trainable.visual, ...model.trainable.fusion];
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => loss(audio, visual, true), variables);
        for (const module of ["audio", "visual"] as const) {
          const kernels = [...model.variables].filter(([name, v]) =>
            name.endsWith("/kernel") && model.trainable[module].includes(v)
          );
          assert.ok(kernels.length > 0);
          for (const [name, v] of kernels) {
            const g = grads[v.name];
            assert.ok(g && allFinite(g) && absSum(g) > 0, `no gradient reaches ${name}`);
          }
        }
        const [dAudio, dVisual] = tf.grads((a: tf.Tensor, v: tf.Tensor) => loss(a, v, false))([
          audio,
          visual,
        ]);
        assert.ok(dAudio && allFinite(dAudio) && absSum(dAudio) > 0, "no gradient w.r.t. the waveform");
        assert.ok(dVisual && allFinite(dVisual) && absSum(dVisual) > 0, "no gradient w.r.t. the frame");
      });
      tf.dispose([audio, visual, labels]);
      model.dispose();
    });
  }
}

Deno.test("the late fusion returns its unimodal logits when asked, and averages them", async () => {
  const model = createModel({ kind: "av", fusion: "late", ...SHAPES, ...TINY_MODEL });
  const { audio, visual } = inputs(2);
  const out = model.apply(audio, visual, { auxiliary: true });
  assert.equal(out.auxiliaryLogits?.length, 2);
  const [a, v] = out.auxiliaryLogits as [tf.Tensor2D, tf.Tensor2D];
  const mean = await tf.mul(tf.add(a, v), 0.5).data();
  assert.deepEqual(Array.from(await out.logits.data()), Array.from(mean));
  disposeOutput(out);
  tf.dispose([audio, visual]);
  model.dispose();
});

Deno.test("the attention fusion with attendedHead returns the attended feature's logits when asked", () => {
  const model = createModel({
    kind: "av",
    fusion: "attention",
    ...SHAPES,
    ...TINY_MODEL,
    fusionOptions: { ...TINY_MODEL.fusionOptions, attendedHead: true },
  });
  const { audio, visual } = inputs(3);
  const before = tf.memory().numTensors;
  const plain = model.apply(audio, visual);
  assert.equal(plain.auxiliaryLogits, undefined);
  disposeOutput(plain);
  assert.equal(tf.memory().numTensors, before, "the unused head's logits are not leaked");
  const out = model.apply(audio, visual, { auxiliary: true });
  assert.deepEqual(out.auxiliaryLogits?.map((t) => t.shape), [[3, 5]]);
  assert.ok(allFinite(out.auxiliaryLogits?.[0] as tf.Tensor2D));
  disposeOutput(out);
  tf.dispose([audio, visual]);
  model.dispose();
});

Deno.test("the attention fusion with attendedHead: 'locations' mixes each location's class probabilities by the attention", async () => {
  const model = createModel({
    kind: "av",
    fusion: "attention",
    ...SHAPES,
    ...TINY_MODEL,
    fusionOptions: { ...TINY_MODEL.fusionOptions, attendedHead: "locations" },
  });
  const { audio, visual } = inputs(3);
  const out = model.apply(audio, visual, { auxiliary: true });
  const logits = out.auxiliaryLogits?.[0] as tf.Tensor2D;
  assert.deepEqual(logits.shape, [3, 5]);
  // Log-probabilities: a mixture of distributions is a distribution.
  const sums = await tf.tidy(() => tf.sum(tf.exp(logits), 1)).data();
  for (const s of sums) assert.ok(Math.abs(s - 1) < 1e-4, `exp(logits) sums to ${s}`);
  disposeOutput(out);
  tf.dispose([audio, visual]);
  model.dispose();
});
