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

Deno.test("encodeWav() writes a canonical 44-byte RIFF/WAVE header for 16-bit mono PCM", () => {
  const bytes = encodeWav([new Float32Array(1000)], 11025, { format: "pcm16" });
  const view = new DataView(bytes.buffer);
  const text = (at: number) => new TextDecoder().decode(bytes.subarray(at, at + 4));
  assert.deepEqual([text(0), text(8), text(12), text(36)], ["RIFF", "WAVE", "fmt ", "data"]);
  assert.equal(view.getUint32(4, true), bytes.byteLength - 8, "RIFF size");
  assert.equal(view.getUint32(16, true), 16, "fmt size");
  assert.equal(view.getUint16(20, true), 1, "PCM");
  assert.equal(view.getUint16(22, true), 1, "channels");
  assert.equal(view.getUint32(24, true), 11025, "sample rate");
  assert.equal(view.getUint32(28, true), 11025 * 2, "byte rate");
  assert.equal(view.getUint16(32, true), 2, "block align");
  assert.equal(view.getUint16(34, true), 16, "bits per sample");
  assert.equal(view.getUint32(40, true), 1000 * 2, "data size: one 16-bit value per sample");
  assert.equal(bytes.byteLength, 44 + 2000);
});

Deno.test("encodeWav() clips 16-bit PCM to the int16 range instead of wrapping", () => {
  const bytes = encodeWav([new Float32Array([2, -2, 1, -1, 0.5, 1e9, -Infinity, 0])], 8000, {
    format: "pcm16",
  });
  const view = new DataView(bytes.buffer);
  const values = Array.from({ length: 8 }, (_, i) => view.getInt16(44 + 2 * i, true));
  assert.deepEqual(values, [32767, -32767, 32767, -32767, 16384, 32767, -32767, 0]);
});

Deno.test("encodeWav() round-trips 16-bit PCM within two steps (×32767 in, ÷32768 out), count and rate kept", () => {
  const samples = Float32Array.from(
    { length: 4097 },
    (_, i) => 0.9 * Math.sin(i * 0.01) * Math.cos(i * 0.37),
  );
  const wav = decodeWav(encodeWav([samples], 16000, { format: "pcm16" }), "round.wav");
  assert.deepEqual([wav.sampleRate, wav.channels, wav.samples.length], [16000, 1, samples.length]);
  wav.samples.forEach((x, i) => assert.ok(Math.abs(x - (samples[i] as number)) <= 2 / 32768, `sample ${i}`));
});
