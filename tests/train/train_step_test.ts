import assert from "node:assert/strict";
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { disposeBatch, loadBatch } from "../../lib/data/batch.ts";
import { createModel } from "../../lib/models/create_model.ts";
import { createOptimizer } from "../../lib/train/optimizer.ts";
import { crossEntropy, meanCosine, trainStep } from "../../lib/train/train_step.ts";
import { resolveTrainConfig } from "../../lib/train/config.ts";
import { syntheticDataset, TINY_MODEL } from "./_fixtures.ts";

await useBackend("wasm");

const dataset = syntheticDataset({ sizes: { train: 16, val: 4, test: 4 } });
const RATES = { audio: 2e-3, visual: 2e-3, fusion: 2e-3 };

async function losses(fusion: "concat" | "late", steps: number): Promise<number[]> {
  const model = createModel({
    kind: "av",
    fusion,
    numClasses: 4,
    audioLength: 256,
    imageShape: [8, 8, 1],
    ...TINY_MODEL,
  });
  const optimizer = createOptimizer(model, resolveTrainConfig().optimizer);
  const batch = await loadBatch(dataset.splits.train, Array.from({ length: 16 }, (_, i) => i), dataset);
  const out: number[] = [];
  for (let i = 0; i < steps; i++) {
    const { loss, correct } = trainStep(model, batch, optimizer, { learningRates: RATES });
    out.push((await loss.data())[0] as number);
    tf.dispose([loss, correct]);
  }
  disposeBatch(batch);
  optimizer.dispose();
  model.dispose();
  return out;
}

Deno.test("crossEntropy() is the mean negative log-softmax of the true class", async () => {
  const logits = tf.tensor2d([[2, 0, 0], [0, 0, 3]]);
  const labels = tf.tensor1d([0, 1], "int32");
  const expected = (-Math.log(Math.exp(2) / (Math.exp(2) + 2)) - Math.log(1 / (2 + Math.exp(3)))) / 2;
  assert.ok(Math.abs((await crossEntropy(logits, labels).data())[0]! - expected) < 1e-5);
});

Deno.test("trainStep() lowers the loss on a fixed batch", async () => {
  const values = await losses("concat", 12);
  assert.ok(values.at(-1)! < values[0]! * 0.9, `loss went ${values[0]} -> ${values.at(-1)}`);
});

Deno.test("trainStep() is bit-identical for the same seed (loss after N steps)", async () => {
  assert.deepEqual(await losses("late", 4), await losses("late", 4));
});

Deno.test("trainStep() leaks no tensors over many steps", async () => {
  const model = createModel({
    kind: "av",
    fusion: "late",
    numClasses: 4,
    audioLength: 256,
    imageShape: [8, 8, 1],
    ...TINY_MODEL,
  });
  const optimizer = createOptimizer(model, resolveTrainConfig({ optimizer: { kind: "sgd" } }).optimizer);
  const batch = await loadBatch(dataset.splits.train, [0, 1, 2, 3, 4, 5, 6, 7], dataset);
  const step = () => {
    const { loss, correct } = trainStep(model, batch, optimizer, { learningRates: RATES });
    tf.dispose([loss, correct]);
  };
  step();
  const before = tf.memory().numTensors;
  for (let i = 0; i < 20; i++) step();
  assert.equal(tf.memory().numTensors, before);
  disposeBatch(batch);
  optimizer.dispose();
  model.dispose();
});

Deno.test("trainStep() with a dissimilarity weight adds λ · mean cos(f_v, f_a) and pushes the embeddings apart", async () => {
  const config = {
    kind: "av",
    fusion: "concat",
    numClasses: 4,
    audioLength: 256,
    imageShape: [8, 8, 1],
    ...TINY_MODEL,
  } as const;
  const batch = await loadBatch(dataset.splits.train, Array.from({ length: 16 }, (_, i) => i), dataset);
  const firstLoss = async (dissimilarityWeight: number) => {
    const model = createModel(config);
    const optimizer = createOptimizer(model, resolveTrainConfig().optimizer);
    const cosine = tf.tidy(() => {
      const output = model.apply(batch.audio, batch.visual, { training: true });
      if (!output.audioFeatures || !output.visualFeatures) throw new Error("no embeddings");
      return meanCosine(output.audioFeatures, output.visualFeatures);
    });
    const { loss, correct } = trainStep(model, batch, optimizer, {
      learningRates: RATES,
      dissimilarityWeight,
    });
    const values = { loss: (await loss.data())[0] ?? NaN, cosine: (await cosine.data())[0] ?? NaN };
    for (let i = 0; i < 15; i++) {
      const step = trainStep(model, batch, optimizer, { learningRates: RATES, dissimilarityWeight });
      tf.dispose([step.loss, step.correct]);
    }
    const after = tf.tidy(() => {
      const output = model.apply(batch.audio, batch.visual);
      if (!output.audioFeatures || !output.visualFeatures) throw new Error("no embeddings");
      return meanCosine(output.audioFeatures, output.visualFeatures);
    });
    const result = { ...values, after: (await after.data())[0] ?? NaN };
    tf.dispose([loss, correct, cosine, after]);
    optimizer.dispose();
    model.dispose();
    return result;
  };
  const plain = await firstLoss(0);
  const minSim = await firstLoss(2);
  assert.ok(Math.abs(minSim.loss - plain.loss - 2 * plain.cosine) < 1e-4, `${minSim.loss} vs ${plain.loss}`);
  assert.ok(minSim.after < plain.after, `cos ${minSim.after} < ${plain.after}`);
  assert.throws(() => meanCosine(tf.zeros([2, 3]), tf.zeros([2, 4])), TypeError, "share a shape");
  disposeBatch(batch);
});

Deno.test("trainStep() with micro-batches gives one big batch's update on a model without batch norm", async () => {
  const { nonlinearModel, linearBatch } = await import("../../lib/models/toy_models.ts");
  const run = async (microBatchSize: number | null) => {
    const model = nonlinearModel({ numClasses: 4, seed: 5 });
    const batch = linearBatch(model, { size: 8, seed: 6, labels: "random" });
    const optimizer = createOptimizer(model, { kind: "sgd", momentum: 0.9, weightDecay: 1e-4 });
    const { loss, correct } = trainStep(model, batch, optimizer, { learningRates: RATES, microBatchSize });
    const values = {
      loss: (await loss.data())[0] as number,
      correct: (await correct.data())[0] as number,
      weights: await Promise.all([...model.variables.values()].map(async (v) => Array.from(await v.data()))),
    };
    tf.dispose([loss, correct, batch.audio, batch.visual, batch.labels]);
    optimizer.dispose();
    model.dispose();
    return values;
  };
  const whole = await run(null), micro = await run(3);
  assert.ok(Math.abs(whole.loss - micro.loss) < 1e-6, `${whole.loss} vs ${micro.loss}`);
  assert.equal(whole.correct, micro.correct);
  whole.weights.forEach((w, i) => {
    const m = micro.weights[i] ?? [];
    w.forEach((v, j) => assert.ok(Math.abs(v - (m[j] ?? NaN)) < 1e-6, `weight ${i}[${j}]`));
  });
});
