import assert from "node:assert/strict";
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { createModel } from "../../lib/models/create_model.ts";
import { disposeOutput } from "../../lib/models/dispose_output.ts";
import { TINY_MODEL } from "../train/_fixtures.ts";
import { TINY_SHAPES, tinyInputs } from "./_fixtures.ts";

await useBackend("wasm");

const SHAPES = TINY_SHAPES;
const batch = tinyInputs;

Deno.test("createModel() builds unimodal models whose other features are null", () => {
  const { audio, visual } = batch(2);
  for (const kind of ["audio", "visual"] as const) {
    const model = createModel({ kind, ...SHAPES, ...TINY_MODEL });
    assert.deepEqual(model.modalities, [kind]);
    assert.equal(model.config.fusion, "none");
    const out = model.apply(audio, visual);
    assert.deepEqual(out.logits.shape, [2, 4]);
    assert.equal(out.audioFeatures === null, kind === "visual");
    assert.equal(out.visualFeatures === null, kind === "audio");
    assert.equal(out.visualMap === null, kind === "audio");
    assert.equal(model.parameterCounts[kind === "audio" ? "visual" : "audio"], 0);
    disposeOutput(out);
    model.dispose();
  }
  tf.dispose([audio, visual]);
});

Deno.test("createModel() with the paper's waveform ANet is differentiable w.r.t. the raw waveform", () => {
  const model = createModel({
    kind: "av",
    ...SHAPES,
    ...TINY_MODEL,
    audio: { frontEnd: { kind: "waveform" }, widths: [4, 8], stride: 2 },
  });
  const { audio, visual } = batch(2);
  const gradient = tf.grad((a: tf.Tensor) => tf.sum(model.apply(a as tf.Tensor2D, visual).logits))(audio);
  assert.ok(tf.tidy(() => tf.sum(tf.abs(gradient)).dataSync()[0]! > 0));
  tf.dispose([audio, visual, gradient]);
  model.dispose();
});

Deno.test("createModel() is deterministic for a seed and differs across seeds", async () => {
  const { audio, visual } = batch(2);
  const logits = async (seed: number) => {
    const model = createModel({ kind: "av", fusion: "gated", ...SHAPES, ...TINY_MODEL, seed });
    const out = model.apply(audio, visual);
    const values = Array.from(await out.logits.data());
    disposeOutput(out);
    model.dispose();
    return values;
  };
  assert.deepEqual(await logits(3), await logits(3));
  assert.notDeepEqual(await logits(3), await logits(4));
  tf.dispose([audio, visual]);
});

Deno.test("createModel() updates batch-norm running statistics only in training mode", async () => {
  const model = createModel({ kind: "av", ...SHAPES, ...TINY_MODEL });
  const { audio, visual } = batch(2);
  const stat = model.variables.get("visual/stem/norm/runningMean") as tf.Variable;
  const before = Array.from(await stat.data());
  disposeOutput(model.apply(audio, visual));
  assert.deepEqual(Array.from(await stat.data()), before);
  disposeOutput(model.apply(audio, visual, { training: true }));
  assert.notDeepEqual(Array.from(await stat.data()), before);
  tf.dispose([audio, visual]);
  model.dispose();
});

Deno.test("createModel() exposes bounds, normalisation and modules, and dispose() frees every tensor", () => {
  const start = tf.memory().numTensors;
  const model = createModel({ kind: "av", ...SHAPES, ...TINY_MODEL });
  assert.deepEqual(model.bounds, { audio: [-1, 1], visual: [0, 1] });
  assert.deepEqual(model.visualNormalization, { mean: [0.5], std: [0.5] });
  assert.ok(
    model.trainable.audio.length > 0 && model.trainable.visual.length > 0 &&
      model.trainable.fusion.length > 0,
  );
  assert.ok([...model.variables.keys()].every((name) => /^(audio|visual|fusion)\//.test(name)));
  const { audio, visual } = batch(1);
  disposeOutput(model.apply(audio, visual, { training: true }));
  tf.dispose([audio, visual]);
  model.dispose();
  assert.equal(tf.memory().numTensors, start);
});

Deno.test("createModel().apply() rejects inputs of the wrong shape with a TypeError", () => {
  const model = createModel({ kind: "av", ...SHAPES, ...TINY_MODEL });
  const { audio, visual } = batch(2);
  const short = tf.zeros([2, 100]) as tf.Tensor2D;
  assert.throws(
    () => model.apply(short, visual),
    (e: Error) => e instanceof TypeError && /audio must have shape \[batch, 256\]/.test(e.message),
  );
  const one = tf.zeros([1, 8, 8, 1]) as tf.Tensor4D;
  assert.throws(() => model.apply(audio, one), /batch sizes differ/);
  tf.dispose([audio, visual, short, one]);
  model.dispose();
});
