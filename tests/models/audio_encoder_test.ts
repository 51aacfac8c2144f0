import assert from "node:assert/strict";
import { createRng, tf, useBackend } from "../../lib/engine/mod.ts";
import { type AudioEncoderConfig, createAudioEncoder } from "../../lib/models/audio_encoder.ts";
import { MODEL_PRESETS } from "../../lib/models/config.ts";
import { ParameterStore } from "../../lib/models/parameter_store.ts";

await useBackend("cpu");

const WAVEFORM: AudioEncoderConfig = {
  frontEnd: { kind: "waveform" },
  widths: [4, 8],
  convsPerBlock: 2,
  kernelSize: 3,
  stride: 2,
  poolSize: 2,
};

Deno.test("createAudioEncoder() with the paper's settings is ANet: 1,566,528 parameters, 512-d, 65535 → 16 steps", () => {
  const store = new ParameterStore(createRng(1));
  const encoder = createAudioEncoder(store, MODEL_PRESETS.paper.audio, 65535, 11025);
  assert.equal(store.count(), 1_566_528);
  assert.equal(encoder.outputDim, 512);
  assert.deepEqual(encoder.lengths, [8192, 1024, 128, 16]);
  store.dispose();
});

Deno.test("createAudioEncoder() maps a waveform batch to one max-pooled embedding per clip", () => {
  const store = new ParameterStore(createRng(1));
  const encoder = createAudioEncoder(store, WAVEFORM, 256, 8000);
  const features = encoder.apply(tf.randomUniform([3, 256], -1, 1) as tf.Tensor2D, false);
  assert.deepEqual(features.shape, [3, 8]);
  assert.deepEqual(encoder.lengths, [32, 4]);
  store.dispose();
});

Deno.test("createAudioEncoder() runs on log-mel frames with stride 1", () => {
  const store = new ParameterStore(createRng(1));
  const config: AudioEncoderConfig = {
    ...WAVEFORM,
    frontEnd: { kind: "logMel", fftSize: 32, hopSize: 16, melBins: 6, minFrequency: 0 },
    stride: 1,
  };
  const encoder = createAudioEncoder(store, config, 256, 8000);
  assert.deepEqual(encoder.lengths, [7, 3]);
  assert.deepEqual(encoder.apply(tf.zeros([2, 256]), true).shape, [2, 8]);
  encoder.dispose();
  store.dispose();
});

Deno.test("createAudioEncoder() is deterministic for a seed", async () => {
  const run = async () => {
    const store = new ParameterStore(createRng(4));
    const encoder = createAudioEncoder(store, WAVEFORM, 128, 8000);
    const x = tf.tensor2d(Float32Array.from({ length: 256 }, (_, i) => Math.sin(i / 3)), [2, 128]);
    const values = await encoder.apply(x, false).data();
    store.dispose();
    return values;
  };
  assert.deepEqual(await run(), await run());
});

Deno.test("createAudioEncoder() refuses a waveform too short for its blocks", () => {
  const store = new ParameterStore(createRng(1));
  assert.throws(
    () => createAudioEncoder(store, { ...WAVEFORM, widths: [4, 4, 4, 4] }, 64, 8000),
    (error: Error) => error instanceof RangeError && /too short/.test(error.message),
  );
  assert.throws(() => createAudioEncoder(store, { ...WAVEFORM, widths: [] }, 64, 8000), /widths must be/);
  store.dispose();
});
