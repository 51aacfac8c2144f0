import assert from "node:assert/strict";
import { AV_DIGITS, buildAvDigits } from "../../../lib/data/builtin/av_digits.ts";

const cacheDir = await Deno.makeTempDir({ prefix: "av_digits_test_" });

function allFinite(values: Float32Array, low: number, high: number): boolean {
  for (const v of values) if (!(v >= low && v <= high)) return false;
  return true;
}

Deno.test("buildAvDigits() makes balanced smoke splits of 28x28 frames in [0, 1] and 1 s waveforms in [-1, 1]", async () => {
  const stages = new Set<string>();
  const data = await buildAvDigits({
    size: "smoke",
    seed: 1,
    cacheDir,
    onProgress: (p) => stages.add(p.stage),
  });
  assert.deepEqual(data.imageShape, [28, 28, 1]);
  assert.equal(data.sampleRate, 8000);
  assert.equal(data.audioLength, 8000);
  for (const split of ["train", "val", "test"] as const) {
    const { audio, visual, labels, conditions } = data.splits[split];
    const n = AV_DIGITS.sizes.smoke[split];
    assert.equal(labels.length, n);
    assert.equal(audio.length, n * 8000);
    assert.equal(visual.length, n * 784);
    assert.equal(conditions.audioMode.length, n);
    assert.ok(allFinite(audio, -1, 1), `${split} audio outside [-1, 1] or NaN`);
    assert.ok(allFinite(visual, 0, 1), `${split} frames outside [0, 1] or NaN`);
    const perClass = new Array(10).fill(0);
    for (const label of labels) perClass[label]++;
    assert.ok(Math.max(...perClass) - Math.min(...perClass) <= 1, `unbalanced labels ${perClass}`);
  }
  assert.ok(stages.has("speech bank") && stages.has("generate train"), `stages seen: ${[...stages]}`);
});

Deno.test("buildAvDigits() draws the audio and visual modes independently, at the configured rates", async () => {
  const data = await buildAvDigits({
    size: "smoke",
    seed: 2,
    cacheDir,
    counts: { train: 800, val: 0, test: 0 },
  });
  const { audioMode, visualMode } = data.splits.train.conditions;
  const n = audioMode.length;
  const clean = (modes: Uint8Array) => modes.filter((m) => m === 0).length / n;
  const bothClean = audioMode.filter((m, i) => m === 0 && visualMode[i] === 0).length / n;
  assert.ok(Math.abs(clean(audioMode) - 0.55) < 0.06, `audio clean rate ${clean(audioMode)}`);
  assert.ok(Math.abs(clean(visualMode) - 0.55) < 0.06, `visual clean rate ${clean(visualMode)}`);
  assert.ok(
    Math.abs(bothClean - clean(audioMode) * clean(visualMode)) < 0.05,
    `joint clean rate ${bothClean}`,
  );
  for (const code of [0, 1, 2, 3]) {
    assert.ok(audioMode.includes(code) && visualMode.includes(code), `mode ${code} missing`);
  }
});

Deno.test("buildAvDigits() follows a degradation config where every clip is absent", async () => {
  const base = AV_DIGITS.degradation;
  const absent = { clean: 0, hard: 0, absent: 1, misleading: 0 };
  const data = await buildAvDigits({
    size: "smoke",
    seed: 3,
    cacheDir,
    counts: { train: 20, val: 0, test: 0 },
    degradation: { audio: { ...base.audio, modes: absent }, visual: { ...base.visual, modes: absent } },
  });
  const { audio, visual, conditions } = data.splits.train;
  assert.ok(conditions.audioMode.every((m) => m === 2) && conditions.visualMode.every((m) => m === 2));
  assert.ok(allFinite(audio, -1, 1) && allFinite(visual, 0, 1));
});

Deno.test("buildAvDigits() caches the speech bank in cacheDir", async () => {
  await buildAvDigits({ size: "smoke", seed: 4, cacheDir, counts: { train: 10, val: 0, test: 0 } });
  const files = [...Deno.readDirSync(`${cacheDir}/builtin`)].map((entry) => entry.name);
  assert.ok(files.some((name) => /^speech-.*\.f32$/.test(name)), `files: ${files}`);
  assert.ok(files.some((name) => /^speech-.*\.json$/.test(name)), `files: ${files}`);
});

Deno.test("av-digits tests clean up their cache folder", async () => {
  await Deno.remove(cacheDir, { recursive: true });
  await assert.rejects(Deno.stat(cacheDir), Deno.errors.NotFound);
});
