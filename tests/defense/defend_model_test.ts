import assert from "node:assert/strict";
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { disposeBatch, loadBatch } from "../../lib/data/batch.ts";
import { createModel } from "../../lib/models/create_model.ts";
import type { AvModel } from "../../lib/models/types.ts";
import { disposeOutput } from "../../lib/models/dispose_output.ts";
import { runAttack } from "../../lib/attacks/registry.ts";
import { defendModel } from "../../lib/defense/defend_model.ts";
import { memoryBanks } from "../../lib/defense/memory_banks.ts";
import type { IstaDiagnostics } from "../../lib/defense/ista.ts";
import { syntheticDataset, TINY_MODEL } from "../train/_fixtures.ts";

await useBackend("wasm");

const dataset = syntheticDataset({ sizes: { train: 24, val: 4, test: 8 } });
const CONFIG = {
  kind: "av",
  fusion: "concat",
  numClasses: 4,
  audioLength: 256,
  imageShape: [8, 8, 1],
  ...TINY_MODEL,
} as const;
const CODING = { lambda: 0.05, maxIterations: 30, tolerance: 1e-4 };

async function setUp() {
  const model = createModel(CONFIG);
  const banks = await memoryBanks(model, { split: dataset.splits.train, shape: dataset }, {
    size: 16,
    batchSize: 8,
  });
  const batch = await loadBatch(dataset.splits.test, [0, 1, 2, 3], dataset);
  const cleanUp = () => {
    tf.dispose([banks.audio, banks.visual].flatMap((t) => (t ? [t] : [])));
    disposeBatch(batch);
    model.dispose();
  };
  return { model, banks, batch, cleanUp };
}

Deno.test("memoryBanks() stores N embeddings of the base model as [d, N] dictionaries", async () => {
  const { model, banks, cleanUp } = await setUp();
  assert.equal(banks.indices.length, 16);
  assert.equal(new Set(banks.indices).size, 16);
  assert.equal(banks.audio?.shape[1], 16);
  assert.equal(banks.visual?.shape[1], 16);
  const index = banks.indices[3] ?? 0;
  const one = await loadBatch(dataset.splits.train, [index], dataset);
  const output = model.apply(one.audio, one.visual);
  const expected = await output.audioFeatures?.data();
  const column = tf.tidy(() => tf.slice(banks.audio ?? tf.zeros([1, 1]), [0, 3], [-1, 1]));
  const stored = await column.data();
  expected?.forEach((v, i) => assert.ok(Math.abs(v - (stored[i] ?? NaN)) < 1e-5, `feature ${i}`));
  const again = await memoryBanks(model, { split: dataset.splits.train, shape: dataset }, {
    size: 16,
    batchSize: 5,
  });
  assert.deepEqual(again.indices, banks.indices, "seeded choice");
  tf.dispose(
    [
      output.logits,
      output.audioFeatures,
      output.visualFeatures,
      output.visualMap,
      column,
      again.audio,
      again.visual,
    ].flatMap((t) => (t ? [t] : [])),
  );
  disposeBatch(one);
  cleanUp();
});

Deno.test("defendModel() is deterministic, reduces to the base model at a = 0, and reports diagnostics", async () => {
  const { model, banks, batch, cleanUp } = await setUp();
  const seen: [string, IstaDiagnostics][] = [];
  const defended = defendModel(model, { audio: banks.audio, visual: banks.visual }, {
    ...CODING,
    onDiagnostics: (modality, d) => seen.push([modality, d]),
  });
  const logits = async (m: AvModel) => {
    const out = m.apply(batch.audio, batch.visual);
    const values = Array.from(await out.logits.data());
    disposeOutput(out);
    return values;
  };
  const first = await logits(defended);
  assert.deepEqual(
    await logits(defended),
    first,
    "bit-identical forward passes: no randomness, no EOT needed",
  );
  assert.deepEqual(seen.map(([m]) => m), ["audio", "visual", "audio", "visual"]);
  assert.ok(seen.every(([, d]) => d.zeroShare >= 0 && d.zeroShare <= 1 && d.iterations >= 1));
  const plain = defendModel(model, { audio: banks.audio, visual: banks.visual }, { ...CODING, mix: 0 });
  assert.deepEqual(await logits(plain), await logits(model), "a = 0 is the base model");
  assert.notDeepEqual(first, await logits(model), "a = 0.5 changes the logits");
  const before = tf.memory().numTensors;
  await logits(defended);
  assert.equal(tf.memory().numTensors, before, "no tensor leak");
  defended.dispose();
  plain.dispose();
  cleanUp();
});

Deno.test("defendModel() trains: gradients reach the encoders through the ISTA, the banks stay fixed", async () => {
  const { model, banks, batch, cleanUp } = await setUp();
  const defended = defendModel(model, { audio: banks.audio, visual: banks.visual }, CODING);
  const bankBefore = Array.from(await banks.audio!.data());
  const variables = [...model.trainable.audio, ...model.trainable.fusion];
  const { value, grads } = tf.variableGrads(() => {
    const out = defended.apply(batch.audio, batch.visual, { training: true });
    const loss: tf.Scalar = tf.mean(out.logits);
    disposeOutput({ ...out, logits: tf.zeros([1, 1]) });
    return loss;
  }, variables);
  const audioGradient = grads[model.trainable.audio[0]!.name];
  assert.ok(audioGradient, "a gradient for the first audio encoder variable");
  assert.ok((await tf.tidy(() => tf.max(tf.abs(audioGradient))).data())[0]! > 0, "non-zero");
  assert.deepEqual(Array.from(await banks.audio!.data()), bankBefore, "the bank is unchanged");
  tf.dispose([value, ...Object.values(grads)]);
  defended.dispose();
  cleanUp();
});

Deno.test("attacks differentiate through the defended model, exactly or through BPDA", async () => {
  const { model, banks, batch, cleanUp } = await setUp();
  for (const backward of ["exact", "linear", "identity"] as const) {
    const defended = defendModel(model, { audio: banks.audio, visual: banks.visual }, {
      ...CODING,
      backward,
    });
    const gradient = tf.grad((a) =>
      tf.sum(defended.apply(tf.reshape<tf.Rank.R2>(a, batch.audio.shape), batch.visual).logits)
    )(batch.audio);
    const size = (await tf.tidy(() => tf.max(tf.abs(gradient))).data())[0] ?? 0;
    assert.ok(size > 0, `${backward}: a non-zero input gradient`);
    const result = await runAttack(defended, batch, { attack: "pgd", options: { steps: 2 } }, {
      norm: "linf",
      audio: 0.05,
      visual: 0.05,
    });
    assert.equal(result.gradientCalls, 2);
    tf.dispose([gradient, result.audio, result.visual]);
    defended.dispose();
  }
  cleanUp();
});
