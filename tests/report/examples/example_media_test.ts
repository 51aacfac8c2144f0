import assert from "node:assert/strict";
import { decodeImage, decodeWav } from "../../../lib/data/mod.ts";
import { exampleMedia } from "../../../lib/report/examples/example_media.ts";
import { cleanAudio, exampleSet, FRAME, LENGTH, RATE } from "./_fixtures.ts";

Deno.test("exampleMedia() gives each row only what its setting changed, in a per-sample folder", () => {
  const views = exampleMedia(exampleSet());
  assert.deepEqual(views.map((v) => [v.folder, v.label]), [["toy/01-test-0", "zero"], [
    "toy/02-test-1",
    "one",
  ]]);
  const files = views[0]?.rows.map((row) => [row.setting, row.media.map((m) => m.file)]);
  assert.deepEqual(files, [
    ["clean", ["clean.wav", "clean-mel.svg", "clean-frame.png"]],
    ["audio", [
      "audio-adversarial.wav",
      "audio-perturbation.wav",
      "audio-adversarial-mel.svg",
      "audio-perturbation-mel.svg",
    ]],
    ["visual", ["visual-adversarial-frame.png", "visual-perturbation-frame.png"]],
    ["joint", [
      "joint-adversarial.wav",
      "joint-perturbation.wav",
      "joint-adversarial-mel.svg",
      "joint-perturbation-mel.svg",
      "joint-adversarial-frame.png",
      "joint-perturbation-frame.png",
    ]],
  ]);
  assert.deepEqual(views[0]?.rows.map((r) => r.title), [
    "clean",
    "A-attack (L∞, ε_a = 0.012)",
    "V-attack (L∞, ε_v = 0.012 normalised)",
    "AV-attack (L∞, ε_a = 0.006, ε_v = 0.006 normalised)",
  ]);
  // With the model's std kept, each visual budget states its pixel size (ε_v · std).
  const [own] = exampleMedia({ ...exampleSet(), visualStd: [0.229, 0.224, 0.225] });
  assert.deepEqual(own?.rows.slice(2).map((r) => r.title), [
    "V-attack (L∞, ε_v = 0.012 normalised = 0.69–0.70/255 per pixel)",
    "AV-attack (L∞, ε_a = 0.006, ε_v = 0.006 normalised = 0.34–0.35/255 per pixel)",
  ]);
});

Deno.test("exampleMedia() writes 16-bit WAVs at the dataset's rate that decode to the model's audio", () => {
  const [view] = exampleMedia(exampleSet());
  const media = view?.rows[0]?.media[0];
  assert.equal(media?.mime, "audio/wav");
  const wav = decodeWav(media?.bytes ?? new Uint8Array(), "clean.wav");
  assert.deepEqual([wav.format, wav.sampleRate, wav.channels, wav.samples.length], [
    "pcm16",
    RATE,
    1,
    LENGTH,
  ]);
  const clean = cleanAudio(0);
  wav.samples.forEach((v, i) => assert.ok(Math.abs(v - (clean[i] as number)) <= 1 / 32767, `sample ${i}`));
});

Deno.test("exampleMedia() amplifies the audio perturbation to the peak and labels the factor", () => {
  const [view] = exampleMedia(exampleSet(), { audioPeak: 0.8 });
  const audio = view?.rows[1];
  assert.ok(Math.abs((audio?.factors.audio ?? 0) - 0.8 / 0.012) < 0.01);
  const perturbation = audio?.media.find((m) => m.file === "audio-perturbation.wav");
  assert.match(perturbation?.caption ?? "", /^perturbation ×66\.7 \(peak 0\.012 → 0\.8\)$/);
  const samples = decodeWav(perturbation?.bytes ?? new Uint8Array(), "p.wav").samples;
  assert.ok(Math.abs(Math.max(...Array.from(samples, Math.abs)) - 0.8) < 1e-3);
  const joint = view?.rows[3];
  assert.ok(Math.abs((joint?.factors.audio ?? 0) - 0.8 / 0.006) < 0.01);
  assert.ok(Math.abs((joint?.factors.frame ?? 0) - 0.5 / 0.006) < 0.1);
});

Deno.test("exampleMedia() draws frames as PNGs scaled to the frame size", () => {
  const [view] = exampleMedia(exampleSet(), { frameSize: 12 });
  const frame = view?.rows[0]?.media.find((m) => m.mime === "image/png");
  const image = decodeImage(frame?.bytes ?? new Uint8Array(), "f.png");
  assert.deepEqual([image.width, image.height], [FRAME[1] * 3, FRAME[0] * 3]);
  assert.deepEqual(frame?.size, [image.width, image.height]);
});
