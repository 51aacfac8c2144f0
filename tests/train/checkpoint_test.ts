import assert from "node:assert/strict";
import { tf, useBackend } from "../../lib/engine/mod.ts";
import { DataFormatError } from "../../lib/data/errors.ts";
import { createModel } from "../../lib/models/create_model.ts";
import { disposeOutput } from "../../lib/models/dispose_output.ts";
import type { AvModel } from "../../lib/models/types.ts";
import {
  loadCheckpoint,
  readCheckpointMeta,
  saveCheckpoint,
  verifyCheckpoint,
} from "../../lib/train/checkpoint.ts";
import { CheckpointIntegrityError } from "../../lib/train/checkpoint_integrity_error.ts";
import { CheckpointMismatchError } from "../../lib/train/checkpoint_mismatch_error.ts";
import { TINY_MODEL } from "./_fixtures.ts";

await useBackend("wasm");

const CONFIG = {
  kind: "av",
  fusion: "film",
  numClasses: 4,
  audioLength: 256,
  imageShape: [8, 8, 1],
  ...TINY_MODEL,
} as const;

function inputs() {
  return {
    audio: tf.tidy(() => tf.reshape(tf.sin(tf.range(0, 512)), [2, 256])) as tf.Tensor2D,
    visual: tf.tidy(() =>
      tf.reshape(tf.mul(tf.add(tf.cos(tf.range(0, 128)), 1), 0.5), [2, 8, 8, 1])
    ) as tf.Tensor4D,
  };
}

function trainedModel() {
  const model = createModel({ ...CONFIG, seed: 9 });
  const { audio, visual } = inputs();
  // Move the running statistics and weights away from their initial values.
  disposeOutput(model.apply(audio, visual, { training: true }));
  for (const variable of model.trainable.fusion) variable.assign(tf.add(variable, 0.01));
  tf.dispose([audio, visual]);
  return model;
}

async function logits(model: AvModel) {
  const { audio, visual } = inputs();
  const out = model.apply(audio, visual);
  const values = Array.from(await out.logits.data());
  disposeOutput(out);
  tf.dispose([audio, visual]);
  return values;
}

Deno.test("saveCheckpoint() and loadCheckpoint() round-trip to bit-identical logits", async () => {
  const dir = await Deno.makeTempDir();
  const model = trainedModel();
  await saveCheckpoint(dir, model, {
    datasetHash: "h1",
    datasetName: "synthetic",
    metrics: { valAccuracy: 0.75 },
  });
  const { model: loaded, meta } = await loadCheckpoint(dir, {
    config: { ...CONFIG, seed: 9 },
    datasetHash: "h1",
  });
  assert.deepEqual(await logits(loaded), await logits(model));
  for (const [name, variable] of model.variables) {
    assert.deepEqual(
      Array.from(await loaded.variables.get(name)!.data()),
      Array.from(await variable.data()),
      name,
    );
  }
  assert.equal(meta.metrics.valAccuracy, 0.75);
  assert.equal(meta.seed, 9);
  assert.equal(meta.datasetName, "synthetic");
  assert.ok(meta.versions["tfjs-core"]);
  loaded.dispose();
  model.dispose();
});

Deno.test("saveCheckpoint() writes the tfjs weights format: model.json with weightsManifest and one .bin", async () => {
  const dir = await Deno.makeTempDir();
  const model = trainedModel();
  await saveCheckpoint(dir, model);
  for (const variable of model.trainable.fusion) variable.assign(tf.add(variable, 1));
  await saveCheckpoint(dir, model);
  const modelJson = JSON.parse(await Deno.readTextFile(`${dir}/model.json`));
  const paths: string[] = modelJson.weightsManifest[0].paths;
  const names = modelJson.weightsManifest[0].weights.map((w: { name: string }) => w.name);
  assert.deepEqual(names.sort(), [...model.variables.keys()].sort());
  const bins: string[] = [];
  for await (const entry of Deno.readDir(dir)) if (entry.name.endsWith(".bin")) bins.push(entry.name);
  assert.deepEqual(bins, paths, "the older weights file is removed once the new checkpoint is committed");
  const bytes = await Deno.readFile(`${dir}/${paths[0]}`);
  const decoded = tf.io.decodeWeights(bytes.slice().buffer, modelJson.weightsManifest[0].weights);
  assert.equal(Object.keys(decoded).length, model.variables.size);
  tf.dispose(Object.values(decoded));
  model.dispose();
});

Deno.test("loadCheckpoint() refuses another config or dataset, naming the differing fields", async () => {
  const dir = await Deno.makeTempDir();
  const model = trainedModel();
  await saveCheckpoint(dir, model, { datasetHash: "h1" });
  await assert.rejects(
    () =>
      loadCheckpoint(dir, {
        config: { ...CONFIG, seed: 9, fusion: "gated", audio: { ...CONFIG.audio, widths: [4, 16] } },
      }),
    (error: Error) =>
      error instanceof CheckpointMismatchError &&
      error.fields.includes("config.fusion") &&
      error.fields.includes("config.audio.widths") &&
      /config\.fusion: "film" in the checkpoint, "gated" expected/.test(error.message),
  );
  await assert.rejects(
    () => loadCheckpoint(dir, { datasetHash: "h2" }),
    (error: Error) => error instanceof CheckpointMismatchError && error.fields.join() === "datasetHash",
  );
  model.dispose();
});

Deno.test("loadCheckpoint() reports missing or corrupt files as DataFormatError naming the file", async () => {
  const dir = await Deno.makeTempDir();
  await assert.rejects(
    () => readCheckpointMeta(dir),
    (e: Error) => e instanceof DataFormatError && e.message.includes(dir),
  );
  const model = trainedModel();
  const meta = await saveCheckpoint(dir, model);
  const path = `${dir}/${meta.weightsFile}`;
  const bytes = await Deno.readFile(path);
  bytes[10] = (bytes[10] ?? 0) ^ 0xff;
  await Deno.writeFile(path, bytes);
  await assert.rejects(
    () => loadCheckpoint(dir),
    (e: Error) =>
      e instanceof DataFormatError && /does not match its recorded hash/.test(e.message) &&
      e.message.includes(path),
  );
  model.dispose();
});

Deno.test("saveCheckpoint() records a SHA-256 per file and verifyCheckpoint() accepts the intact files", async () => {
  const dir = await Deno.makeTempDir();
  const model = trainedModel();
  const meta = await saveCheckpoint(dir, model);
  model.dispose();
  assert.deepEqual(Object.keys(meta.files).sort(), [meta.weightsFile, "model.json"].sort());
  assert.equal(meta.files[meta.weightsFile], meta.weightsSha256);
  assert.equal(await verifyCheckpoint(dir), meta.contentSha256);
});

Deno.test("verifyCheckpoint() and loadCheckpoint() raise CheckpointIntegrityError on an altered, truncated or swapped file", async (t) => {
  const model = trainedModel();
  const other = await Deno.makeTempDir();
  const otherModel = createModel({ ...CONFIG, seed: 10 });
  const otherMeta = await saveCheckpoint(other, otherModel);
  otherModel.dispose();
  const flip = async (path: string) => {
    const bytes = await Deno.readFile(path);
    bytes[20] = (bytes[20] ?? 0) ^ 0x01;
    await Deno.writeFile(path, bytes);
  };
  const truncate = async (path: string) => {
    const bytes = await Deno.readFile(path);
    await Deno.writeFile(path, bytes.subarray(0, bytes.length - 8));
  };
  const rows: [string, (dir: string, weights: string) => [string, () => Promise<void>]][] = [
    ["weights altered", (dir, weights) => [`${dir}/${weights}`, () => flip(`${dir}/${weights}`)]],
    ["weights truncated", (dir, weights) => [`${dir}/${weights}`, () => truncate(`${dir}/${weights}`)]],
    [
      "weights swapped with another checkpoint's",
      (
        dir,
        weights,
      ) => [
        `${dir}/${weights}`,
        () => Deno.copyFile(`${other}/${otherMeta.weightsFile}`, `${dir}/${weights}`),
      ],
    ],
    ["weights removed", (dir, weights) => [`${dir}/${weights}`, () => Deno.remove(`${dir}/${weights}`)]],
    ["model.json altered", (dir) => [`${dir}/model.json`, () => flip(`${dir}/model.json`)]],
    [
      "a metric in checkpoint.json edited, JSON still valid",
      (dir) => [`${dir}/checkpoint.json`, async () => {
        const meta = JSON.parse(await Deno.readTextFile(`${dir}/checkpoint.json`));
        meta.metrics.valAccuracy = 0.99;
        await Deno.writeTextFile(`${dir}/checkpoint.json`, JSON.stringify(meta));
      }],
    ],
  ];
  for (const [name, damage] of rows) {
    await t.step(name, async () => {
      const dir = await Deno.makeTempDir();
      const meta = await saveCheckpoint(dir, model, { metrics: { valAccuracy: 0.5 } });
      const [path, corrupt] = damage(dir, meta.weightsFile);
      await corrupt();
      const named = (e: Error) => e instanceof CheckpointIntegrityError && e.path === path;
      await assert.rejects(() => verifyCheckpoint(dir), named);
      await assert.rejects(() => loadCheckpoint(dir), named);
    });
  }
  model.dispose();
});
