import assert from "node:assert/strict";
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { disposeOutput } from "../../lib/models/dispose_output.ts";
import type { AvModel } from "../../lib/models/types.ts";
import { loadCheckpoint } from "../../lib/train/checkpoint.ts";
import { CheckpointMismatchError } from "../../lib/train/checkpoint_mismatch_error.ts";
import type { TrainProgress } from "../../lib/train/progress.ts";
import { trainModel, type TrainModelConfig } from "../../lib/train/train_model.ts";
import { syntheticDataset, TINY_MODEL } from "./_fixtures.ts";
import { sha256Hex } from "../../lib/cache/mod.ts";
import { createModel } from "../../lib/models/create_model.ts";
import { torchvisionResnet18Names } from "../../lib/models/torchvision_resnet18.ts";
import { safetensorsBytes } from "../models/_safetensors_writer.ts";

await useBackend("wasm");

const dataset = syntheticDataset({ sizes: { train: 32, val: 16, test: 16 } });
const CONFIG: TrainModelConfig = {
  model: { kind: "av", fusion: "late", ...TINY_MODEL },
  train: { epochs: 3, batchSize: 8, milestones: [2], augment: true },
};

async function logits(model: AvModel): Promise<number[]> {
  const audio = tf.tidy(() => tf.reshape(tf.sin(tf.range(0, 512)), [2, 256])) as tf.Tensor2D;
  const visual = tf.tidy(() =>
    tf.reshape(tf.mul(tf.add(tf.cos(tf.range(0, 128)), 1), 0.5), [2, 8, 8, 1])
  ) as tf.Tensor4D;
  const out = model.apply(audio, visual);
  const values = Array.from(await out.logits.data());
  disposeOutput(out);
  tf.dispose([audio, visual]);
  return values;
}

function withoutTimes(history: Array<{ seconds: number }>) {
  return history.map(({ seconds: _seconds, ...rest }) => rest);
}

async function withTempDir(run: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "avrobust-train-" });
  try {
    await run(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("trainModel() resumed after an interruption equals an uninterrupted run, bit for bit", async () => {
  await withTempDir(async (dir) => {
    const whole = await trainModel(dataset, CONFIG, { outDir: `${dir}/whole` });
    const first = await trainModel(dataset, CONFIG, { outDir: `${dir}/split`, stopAfterEpochs: 1 });
    assert.equal(first.completed, false);
    assert.equal(first.history.length, 1);
    first.model.dispose();
    const events: TrainProgress[] = [];
    const rest = await trainModel(dataset, CONFIG, {
      outDir: `${dir}/split`,
      onProgress: (e) => events.push(e),
    });
    assert.equal(rest.resumedFrom, 1);
    assert.equal(rest.completed, true);
    assert.deepEqual(events[0], { kind: "resume", epoch: 1, epochs: 3 });
    assert.deepEqual(withoutTimes(rest.history), withoutTimes(whole.history));
    assert.deepEqual(rest.best, whole.best);
    assert.deepEqual(await logits(rest.model), await logits(whole.model));
    whole.model.dispose();
    rest.model.dispose();
  });
});

Deno.test("trainModel() is deterministic for a seed and returns the best-validation weights", async () => {
  await withTempDir(async (dir) => {
    const a = await trainModel(dataset, CONFIG, { outDir: dir, evaluateTest: true });
    const b = await trainModel(dataset, CONFIG);
    assert.deepEqual(withoutTimes(a.history), withoutTimes(b.history));
    assert.deepEqual(await logits(a.model), await logits(b.model));
    const bestEpoch = a.history.reduce((best, r) => (r.valAccuracy > best.valAccuracy ? r : best));
    assert.equal(a.best?.epoch, bestEpoch.epoch);
    const { model: saved, meta } = await loadCheckpoint(`${dir}/best`, { datasetHash: dataset.hash });
    assert.equal(meta.metrics.epoch, bestEpoch.epoch);
    assert.equal(meta.metrics.testAccuracy, a.testAccuracy);
    assert.ok(a.testAccuracy !== null && a.testAccuracy >= 0 && a.testAccuracy <= 1);
    assert.deepEqual(await logits(saved), await logits(a.model));
    saved.dispose();
    a.model.dispose();
    b.model.dispose();
  });
});

Deno.test("trainModel() refuses to resume a state of another config or dataset", async () => {
  await withTempDir(async (dir) => {
    const run = await trainModel(dataset, CONFIG, { outDir: dir, stopAfterEpochs: 1 });
    run.model.dispose();
    const other = { ...CONFIG, model: { ...CONFIG.model, seed: 5 } };
    await assert.rejects(
      () => trainModel(dataset, other, { outDir: dir }),
      (e: Error) => e instanceof CheckpointMismatchError && e.fields.includes("config.seed"),
    );
    const otherData = syntheticDataset({ sizes: { train: 32, val: 16, test: 16 }, seed: 2 });
    await assert.rejects(
      () => trainModel(otherData, CONFIG, { outDir: dir }),
      (e: Error) => e instanceof CheckpointMismatchError && e.fields.includes("datasetHash"),
    );
    const fresh = await trainModel(dataset, other, { outDir: dir, resume: false, stopAfterEpochs: 1 });
    assert.equal(fresh.resumedFrom, null);
    fresh.model.dispose();
  });
});

Deno.test("trainModel() reports every step and epoch and leaks no tensors", async () => {
  const events: TrainProgress[] = [];
  const before = tf.memory().numTensors;
  const result = await trainModel(dataset, { ...CONFIG, train: { ...CONFIG.train, epochs: 2 } }, {
    onProgress: (e) => events.push(e),
  });
  const steps = events.filter((e) => e.kind === "step");
  const epochs = events.filter((e) => e.kind === "epoch");
  assert.equal(steps.length, 2 * 4);
  assert.equal(epochs.length, 2);
  assert.ok(steps.every((e) => e.kind === "step" && Number.isFinite(e.loss) && e.etaSeconds >= 0));
  const modelTensors = result.model.variables.size;
  result.model.dispose();
  assert.equal(tf.memory().numTensors, before, `${modelTensors} model tensors were freed, others leaked`);
});

Deno.test("trainModel() stops at an abort and rejects a config that does not fit the dataset", async () => {
  const controller = new AbortController();
  const result = await trainModel(dataset, CONFIG, {
    signal: controller.signal,
    onProgress: (e) => e.kind === "step" && e.step === 2 && controller.abort(),
  });
  assert.equal(result.completed, false);
  assert.equal(result.history.length, 0);
  result.model.dispose();
  await assert.rejects(
    () => trainModel(dataset, { model: { kind: "av", numClasses: 3, ...TINY_MODEL } }),
    (e: Error) => e instanceof RangeError && /numClasses is 3, the dataset has 4/.test(e.message),
  );
  await assert.rejects(
    () => trainModel(dataset, { ...CONFIG, train: { batchSize: 64 } }),
    (e: Error) => e instanceof RangeError && /fewer than one batch/.test(e.message),
  );
});

Deno.test("trainModel() learns the synthetic task, which needs both modalities, well above one modality's 50%", async () => {
  const easy = syntheticDataset({ sizes: { train: 128, val: 32, test: 32 } });
  const result = await trainModel(easy, {
    model: { kind: "av", fusion: "concat", ...TINY_MODEL },
    train: { epochs: 4, batchSize: 16, milestones: [] },
  }, { evaluateTest: true });
  assert.ok((result.testAccuracy ?? 0) > 0.75, `test accuracy ${result.testAccuracy}`);
  result.model.dispose();
});

Deno.test("trainModel() fine-tunes from a checkpoint, through a wrapper, on the inputs perturb returns", async () => {
  await withTempDir(async (dir) => {
    const base = await trainModel(dataset, CONFIG, { outDir: `${dir}/base`, stopAfterEpochs: 1 });
    const start = await trainModel(dataset, CONFIG, {
      initialCheckpoint: `${dir}/base/best`,
      stopAfterEpochs: 0,
    });
    assert.deepEqual(await logits(start.model), await logits(base.model), "starts from the checkpoint");
    start.model.dispose();
    base.model.dispose();
    const short = { ...CONFIG, train: { ...CONFIG.train, epochs: 1 } };
    const wrapped: AvModel[] = [];
    const seen: AvModel[] = [];
    const same = await trainModel(dataset, short, {
      initialCheckpoint: `${dir}/base/best`,
      wrap: (model) => {
        const view = { ...model };
        wrapped.push(view);
        return view;
      },
      perturb: (model, batch) => {
        seen.push(model);
        return Promise.resolve({ audio: tf.clone(batch.audio), visual: tf.clone(batch.visual) });
      },
    });
    const plain = await trainModel(dataset, short, { initialCheckpoint: `${dir}/base/best` });
    assert.equal(wrapped.length, 1);
    assert.equal(seen.length, 4, "one perturbation per step");
    assert.ok(seen.every((m) => m === wrapped[0]), "perturb sees the wrapped model");
    assert.deepEqual(withoutTimes(same.history), withoutTimes(plain.history), "clean copies train alike");
    const before = tf.memory().numTensors;
    const moved = await trainModel(dataset, short, {
      initialCheckpoint: `${dir}/base/best`,
      perturb: (_model, batch) =>
        Promise.resolve({ audio: tf.zerosLike(batch.audio), visual: tf.onesLike(batch.visual) }),
    });
    assert.notDeepEqual(
      withoutTimes(moved.history),
      withoutTimes(plain.history),
      "trains on the perturbation",
    );
    moved.model.dispose();
    assert.equal(tf.memory().numTensors, before, "perturbed inputs are freed");
    for (const run of [same, plain]) run.model.dispose();
  });
});

Deno.test("trainModel() starts a ResNet-18 visual encoder from torchvision weights, checking their hash", async () => {
  await withTempDir(async (dir) => {
    const rgb = syntheticDataset({ sizes: { train: 8, val: 8, test: 8 }, imageShape: [32, 32, 3] });
    const config: TrainModelConfig = {
      model: { preset: "paper", kind: "visual", imageShape: [32, 32, 3], audioLength: 256 },
      train: { epochs: 1, batchSize: 8 },
    };
    // A state dict in torchvision's names and layout (OIHW kernels), every value 0.01.
    const shapes = createModel({ ...config.model, numClasses: 4 });
    const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
    for (const [torch, ours] of torchvisionResnet18Names()) {
      const [a, b, c, d] = shapes.variables.get(ours)!.shape;
      const shape = d === undefined ? shapes.variables.get(ours)!.shape : [d, c!, a!, b!];
      tensors[torch] = { shape, data: new Float32Array(shape.reduce((x, y) => x * y, 1)).fill(0.01) };
    }
    shapes.dispose();
    const path = `${dir}/resnet18.safetensors`;
    const bytes = safetensorsBytes(tensors);
    await Deno.writeFile(path, bytes);
    const sha256 = await sha256Hex(bytes);
    const run = await trainModel(rgb, config, { initialVisualWeights: { path, sha256 }, stopAfterEpochs: 0 });
    const kernel = await run.model.variables.get("visual/stage2/block1/conv2/kernel")!.data();
    assert.ok(kernel.every((v) => Math.abs(v - 0.01) < 1e-7), "the kernel came from the file");
    run.model.dispose();
    await assert.rejects(
      () =>
        trainModel(rgb, config, {
          initialVisualWeights: { path, sha256: "0".repeat(64) },
          stopAfterEpochs: 0,
        }),
      /the file's SHA-256 is .* the run was keyed by 000000000000/,
    );
  });
});

Deno.test("trainModel() with microBatchSize 'auto' measures a step and picks micro-batches that fit the limit", async () => {
  const { estimateStepMemory, bytesAt, StepMemoryError } = await import("../../lib/train/step_memory.ts");
  const probe = createModel({
    kind: "av",
    fusion: "late",
    numClasses: 4,
    audioLength: 256,
    imageShape: [8, 8, 1],
    ...TINY_MODEL,
  });
  const estimate = await estimateStepMemory(probe, "train", {
    optimizer: { kind: "adam", beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 },
  });
  probe.dispose();
  // Room for about three samples per pass: batch 8 becomes micro-batches of 3, 3 and 2 (at most 3).
  const limit = bytesAt(estimate, 3) + estimate.perSampleBytes / 2;
  const events: TrainProgress[] = [];
  const config: TrainModelConfig = {
    ...CONFIG,
    train: { ...CONFIG.train, epochs: 1, microBatchSize: "auto" },
  };
  const result = await trainModel(dataset, config, {
    memoryLimitBytes: limit,
    onProgress: (e) => events.push(e),
  });
  const memory = events.find((e) => e.kind === "memory");
  assert.ok(memory && memory.kind === "memory" && memory.microBatchSize === 3 && memory.batchSize === 8);
  assert.equal(result.config.train.microBatchSize, 3);
  assert.ok(Number.isFinite(result.history[0]?.trainLoss ?? NaN));
  result.model.dispose();
  await assert.rejects(
    () => trainModel(dataset, config, { memoryLimitBytes: estimate.fixedBytes }),
    (e: unknown) => e instanceof StepMemoryError && /one sample needs about/.test(e.message),
  );
});
