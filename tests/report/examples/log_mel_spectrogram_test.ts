import assert from "node:assert/strict";
import { logMelSpectrogram } from "../../../lib/report/examples/log_mel_spectrogram.ts";

function tone(hz: number, rate: number, length: number, amplitude = 1): Float32Array {
  return Float32Array.from({ length }, (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / rate));
}

/** Per band, the mean over frames. */
function bandMeans(s: ReturnType<typeof logMelSpectrogram>): number[] {
  return Array.from({ length: s.bands }, (_, b) => {
    let sum = 0;
    for (let t = 0; t < s.frames; t++) sum += s.values[t * s.bands + b] as number;
    return sum / s.frames;
  });
}

Deno.test("logMelSpectrogram() puts a pure tone's energy in the mel band around its frequency", async (t) => {
  for (const [hz, rate] of [[250, 8000], [1000, 8000], [3000, 8000], [440, 11025], [2500, 11025]]) {
    await t.step(`${hz} Hz at ${rate} Hz`, () => {
      const s = logMelSpectrogram(tone(hz as number, rate as number, rate as number), rate as number);
      const means = bandMeans(s);
      const peak = means.indexOf(Math.max(...means));
      assert.ok(
        (s.edges[peak] as number) < (hz as number) && (hz as number) < (s.edges[peak + 2] as number),
        `the peak band ${peak} spans ${s.edges[peak]}..${s.edges[peak + 2]} Hz`,
      );
      const centres = s.edges.slice(1, -1);
      const nearest = centres.reduce(
        (
          best,
          c,
          b,
        ) => (Math.abs(c - (hz as number)) < Math.abs((centres[best] as number) - (hz as number)) ? b : best),
        0,
      );
      assert.ok(Math.abs(peak - nearest) <= 1, `peak band ${peak}, nearest centre ${nearest}`);
      // Bands far from the tone hold (much) less: 40 dB below the peak.
      const far = means.filter((_, b) => Math.abs(b - peak) > 6);
      assert.ok(far.every((v) => v < (means[peak] as number) - 40), "energy stays near the tone");
    });
  }
});

Deno.test("logMelSpectrogram() reads a full-scale sine at about -6 dB and scales with level", () => {
  const loud = bandMeans(logMelSpectrogram(tone(1000, 8000, 8000), 8000));
  const quiet = bandMeans(logMelSpectrogram(tone(1000, 8000, 8000, 0.1), 8000));
  const top = Math.max(...loud);
  assert.ok(top > -9 && top < -3, `peak band at ${top} dB`);
  assert.ok(Math.abs(top - Math.max(...quiet) - 20) < 0.01, "a tenth of the amplitude is 20 dB less");
});

Deno.test("logMelSpectrogram() has frames × bands values on hop-spaced frames", async (t) => {
  const rows: [number, number, Parameters<typeof logMelSpectrogram>[2], number, number, number][] = [
    // rate, length, options, fftSize, hopSize, frames
    [8000, 8000, {}, 256, 64, 1 + Math.floor((8000 - 256) / 64)],
    [11025, 11025, {}, 512, 128, 1 + Math.floor((11025 - 512) / 128)],
    [8000, 1000, { fftSize: 128, hopSize: 100, bands: 16 }, 128, 100, 9],
    [8000, 100, {}, 256, 64, 1],
  ];
  for (const [rate, length, options, fftSize, hopSize, frames] of rows) {
    await t.step(`${length} samples at ${rate} Hz ${JSON.stringify(options)}`, () => {
      const s = logMelSpectrogram(new Float32Array(length).fill(0.1), rate, options);
      const bands = options?.bands ?? 40;
      assert.deepEqual([s.fftSize, s.hopSize, s.frames, s.bands], [fftSize, hopSize, frames, bands]);
      assert.equal(s.values.length, frames * bands);
      assert.equal(s.edges.length, bands + 2);
      assert.equal(s.edges[0], 0);
      assert.ok(Math.abs((s.edges.at(-1) as number) - rate / 2) < 1e-6);
      assert.equal(s.duration, length / rate);
    });
  }
});

Deno.test("logMelSpectrogram() gives finite values: silence reads as the floor", () => {
  const silent = logMelSpectrogram(new Float32Array(4000), 8000, { floorDb: -100 });
  assert.ok(silent.values.every((v) => v === -100));
  const noise = Float32Array.from({ length: 4000 }, (_, i) => Math.sin(i * i * 0.37) * 0.3);
  assert.ok(logMelSpectrogram(noise, 8000).values.every(Number.isFinite));
  // 64 bands on a 256-point DFT: the narrowest low bands still read power.
  const dense = logMelSpectrogram(noise, 8000, { bands: 64 });
  assert.ok(dense.values.every((v) => v > -120), "no empty band");
});

Deno.test("logMelSpectrogram() puts a tone burst in the frames that hold it", () => {
  const signal = new Float32Array(8000);
  signal.set(tone(1000, 8000, 2000), 6000);
  const s = logMelSpectrogram(signal, 8000);
  const energy = (t: number) => Math.max(...s.values.subarray(t * s.bands, (t + 1) * s.bands));
  const seconds = (t: number) => (t * s.hopSize + s.fftSize / 2) / 8000;
  for (let t = 0; t < s.frames; t++) {
    if (seconds(t) < 0.7) assert.equal(energy(t), -120, `frame ${t} is silent`);
    if (seconds(t) > 0.8) assert.ok(energy(t) > -10, `frame ${t} holds the tone`);
  }
});

Deno.test("logMelSpectrogram() rejects bad sizes and band ranges", () => {
  const x = new Float32Array(512);
  const cases: [number, Parameters<typeof logMelSpectrogram>[2], RegExp][] = [
    [0, {}, /sampleRate must be > 0/],
    [8000, { fftSize: 300 }, /power of two, current value is 300/],
    [8000, { hopSize: 0 }, /hopSize must be a positive integer/],
    [8000, { bands: 2.5 }, /bands must be a positive integer/],
    [8000, { maxFrequency: 5000 }, /maxFrequency <= sampleRate \/ 2/],
    [8000, { minFrequency: 3000, maxFrequency: 2000 }, /minFrequency < maxFrequency/],
  ];
  for (const [rate, options, message] of cases) {
    assert.throws(
      () => logMelSpectrogram(x, rate, options),
      (e: Error) => e instanceof RangeError && message.test(e.message),
    );
  }
});
