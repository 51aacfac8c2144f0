import assert from "node:assert/strict";
import { MODEL_PRESETS, resolveModelConfig } from "../../lib/models/config.ts";

Deno.test("resolveModelConfig() fills the small preset and defaults the fusion by kind", () => {
  const av = resolveModelConfig({ kind: "av", numClasses: 10 });
  assert.equal(av.preset, "small");
  assert.equal(av.fusion, "concat");
  assert.equal(av.audioLength, MODEL_PRESETS.small.audioLength);
  assert.deepEqual(av.imageShape, [28, 28, 1]);
  assert.deepEqual(av.visual.mean, [0.5]);
  assert.equal(resolveModelConfig({ kind: "audio", numClasses: 10 }).fusion, "none");
});

Deno.test("resolveModelConfig() gives the paper preset the released shapes and ImageNet normalisation", () => {
  const config = resolveModelConfig({ preset: "paper", kind: "av", numClasses: 28 });
  assert.equal(config.audioLength, 65535);
  assert.equal(config.sampleRate, 11025);
  assert.deepEqual(config.imageShape, [224, 224, 3]);
  assert.deepEqual(config.audio.widths, [64, 128, 256, 512]);
  assert.deepEqual(config.audio.frontEnd, { kind: "waveform" });
  assert.deepEqual(config.visual.blocks, [2, 2, 2, 2]);
  assert.deepEqual(config.visual.mean, [0.485, 0.456, 0.406]);
  assert.deepEqual(config.visual.std, [0.229, 0.224, 0.225]);
});

Deno.test("resolveModelConfig() merges partial encoder settings and does not share arrays with the preset", () => {
  const config = resolveModelConfig({ kind: "av", numClasses: 3, visual: { widths: [4, 8, 16] } });
  assert.deepEqual(config.visual.widths, [4, 8, 16]);
  assert.equal(config.visual.stemWidth, MODEL_PRESETS.small.visual.stemWidth);
  config.audio.widths.push(1);
  assert.notDeepEqual(MODEL_PRESETS.small.audio.widths, config.audio.widths);
});

Deno.test("resolveModelConfig() is idempotent on a resolved config", () => {
  const config = resolveModelConfig({ kind: "av", fusion: "film", numClasses: 3, seed: 7 });
  assert.deepEqual(resolveModelConfig(config), config);
});

Deno.test("resolveModelConfig() rejects bad kinds, fusions and sizes with a RangeError naming the field", async (t) => {
  const cases: Array<[string, () => unknown, RegExp]> = [
    [
      "unknown fusion",
      () => resolveModelConfig({ kind: "av", fusion: "mix" as "sum", numClasses: 2 }),
      /unknown fusion 'mix'/,
    ],
    [
      "fusion on a unimodal model",
      () => resolveModelConfig({ kind: "audio", fusion: "sum", numClasses: 2 }),
      /fusion must be 'none'/,
    ],
    [
      "zero classes",
      () => resolveModelConfig({ kind: "av", numClasses: 0 }),
      /numClasses must be a positive integer/,
    ],
    ["unknown kind", () => resolveModelConfig({ kind: "video" as "av", numClasses: 2 }), /kind must be/],
    [
      "bad frame",
      () => resolveModelConfig({ kind: "av", numClasses: 2, imageShape: [0, 2, 1] }),
      /imageShape\[0\]/,
    ],
  ];
  for (const [name, run, message] of cases) {
    await t.step(
      name,
      () => assert.throws(run, (error: Error) => error instanceof RangeError && message.test(error.message)),
    );
  }
});
