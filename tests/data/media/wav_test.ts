import assert from "node:assert/strict";
import { join } from "node:path";
import { DataFormatError } from "../../../lib/data/errors.ts";
import { decodeWav, encodeWav, readWav, type WavFormat } from "../../../lib/data/media/wav.ts";
import { tempDir, tone } from "../_fixtures.ts";

const FORMATS: [WavFormat, number][] = [
  ["pcm8", 1 / 64],
  ["pcm16", 1e-4],
  ["pcm24", 1e-6],
  ["pcm32", 1e-8],
  ["float32", 1e-7],
  ["float64", 0],
];

Deno.test("decodeWav() reads every PCM and float encoding back to the written samples", async (t) => {
  const samples = tone(440, 0.05, 8000, 0.8);
  for (const [format, tolerance] of FORMATS) {
    await t.step(format, () => {
      const wav = decodeWav(encodeWav([samples], 8000, { format }), `${format}.wav`);
      assert.equal(wav.format, format);
      assert.equal(wav.samples.length, samples.length);
      const error = Math.max(...wav.samples.map((x, i) => Math.abs(x - (samples[i] as number))));
      assert.ok(error <= tolerance, `max error ${error}`);
    });
  }
});

Deno.test("decodeWav() mixes stereo down to the mean of the channels", () => {
  const left = new Float32Array([0.5, -0.5, 0.25]), right = new Float32Array([0.5, 0.5, -0.25]);
  const wav = decodeWav(encodeWav([left, right], 8000, { format: "float32" }), "stereo.wav");
  assert.equal(wav.channels, 2);
  assert.deepEqual([...wav.samples], [0.5, 0, 0]);
});

Deno.test("decodeWav() resamples a tone to the target rate without changing its pitch", () => {
  const wav = decodeWav(encodeWav([tone(440, 1, 44100)], 44100), "tone.wav", { sampleRate: 11025 });
  assert.equal(wav.sampleRate, 11025);
  assert.equal(wav.fileSampleRate, 44100);
  assert.equal(wav.samples.length, 11025);
  const expected = tone(440, 1, 11025);
  let error = 0;
  for (let i = 200; i < 10800; i++) error = Math.max(error, Math.abs(wav.samples[i]! - expected[i]!));
  assert.ok(error < 5e-3, `max error ${error}`);
});

Deno.test("decodeWav() removes content above the new Nyquist frequency when downsampling", () => {
  const wav = decodeWav(encodeWav([tone(7000, 0.5, 22050)], 22050, { format: "float32" }), "hi.wav", {
    sampleRate: 11025,
  });
  const peak = Math.max(...wav.samples.subarray(300, -300).map(Math.abs));
  assert.ok(peak < 0.01, `7 kHz leaked through with amplitude ${peak}`);
});

Deno.test("decodeWav() reports a truncated file with its name", () => {
  const bytes = encodeWav([tone(440, 0.1, 8000)], 8000);
  assert.throws(
    () => decodeWav(bytes.subarray(0, 500), "clips/cut.wav"),
    (error: unknown) =>
      error instanceof DataFormatError && /truncated/.test(error.message) && error.path === "clips/cut.wav",
  );
});

Deno.test("decodeWav() rejects files that are not WAV and unsupported encodings", () => {
  assert.throws(
    () => decodeWav(new TextEncoder().encode("hello, world"), "x.wav"),
    /not a RIFF\/WAVE file: x\.wav/,
  );
  const bytes = encodeWav([new Float32Array(4)], 8000);
  new DataView(bytes.buffer).setUint16(20, 2, true);
  assert.throws(() => decodeWav(bytes, "adpcm.wav"), /unsupported encoding \(format code 2/);
});

Deno.test("readWav() names a missing file in its error", async () => {
  const dir = await tempDir();
  await assert.rejects(
    readWav(join(dir, "none.wav")),
    (error: unknown) => error instanceof DataFormatError && error.path.endsWith("none.wav"),
  );
});

Deno.test("readWav() rejects a float WAV holding NaN samples, naming the file and the count", async () => {
  const path = join(await tempDir(), "nan.wav");
  const samples = tone(440, 1, 8000);
  samples[10] = NaN;
  samples[20] = Infinity;
  samples[7999] = NaN;
  await Deno.writeFile(path, encodeWav([samples], 8000, { format: "float32" }));
  await assert.rejects(
    readWav(path),
    (e: unknown) =>
      e instanceof DataFormatError && e.path === path &&
      /Cannot read WAV: 3 of 8000 samples are not finite \(NaN or ±Infinity\)/.test(e.message),
  );
  // Resampling would smear NaN over the neighbourhood: the check comes first and counts the file's samples.
  await assert.rejects(readWav(path, { sampleRate: 16000 }), /3 of 8000 samples/);
});
