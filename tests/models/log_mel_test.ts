import assert from "node:assert/strict";
import { createRng, tf, useBackend } from "../../lib/engine/mod.ts";
import { createLogMel, type LogMelConfig } from "../../lib/models/log_mel.ts";

const CONFIG: LogMelConfig = { kind: "logMel", fftSize: 16, hopSize: 8, melBins: 4, minFrequency: 0 };

/** Direct windowed DFT power of frame t, in JS. */
function powerSpectrum(x: Float32Array, start: number, n: number): number[] {
  const bins = n / 2 + 1;
  return Array.from({ length: bins }, (_, k) => {
    let re = 0, im = 0;
    for (let i = 0; i < n; i++) {
      const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
      re += w * (x[start + i] as number) * Math.cos((2 * Math.PI * k * i) / n);
      im -= w * (x[start + i] as number) * Math.sin((2 * Math.PI * k * i) / n);
    }
    return re * re + im * im;
  });
}

/**
 * Frame layouts of the fold: N/2 a multiple of the hop (2 or 4 pieces per frame: halves cut straight from
 * the waveform), and not (1 or 3 pieces: halves sliced from whole frames).
 */
const LAYOUTS = [
  { fftSize: 16, hopSize: 8, frames: 5 },
  { fftSize: 16, hopSize: 4, frames: 9 },
  { fftSize: 16, hopSize: 16, frames: 3 },
  { fftSize: 24, hopSize: 8, frames: 4 },
];

for (const backend of ["cpu", "wasm"] as const) {
  for (const { fftSize, hopSize, frames } of LAYOUTS) {
    const layout = `N=${fftSize} hop=${hopSize}`;
    Deno.test(`createLogMel() equals a direct DFT through the mel filters on ${backend}, ${layout}`, async () => {
      await useBackend(backend);
      const length = 48;
      const rng = createRng(3);
      const values = Float32Array.from({ length }, () => rng.range(-1, 1));
      const frontEnd = createLogMel({ ...CONFIG, fftSize, hopSize }, length, 8000);
      const out = frontEnd.apply(tf.tensor2d(values, [1, length]));
      assert.deepEqual(out.shape, [1, 1, frontEnd.frames, 4]);
      assert.equal(frontEnd.frames, frames);
      const logMel = await out.data();
      const mel = (hz: number) => 2595 * Math.log10(1 + hz / 700);
      const edges = Array.from({ length: 6 }, (_, i) => 700 * (10 ** ((mel(4000) * i) / 5 / 2595) - 1));
      for (let t = 0; t < frontEnd.frames; t++) {
        const power = powerSpectrum(values, t * hopSize, fftSize);
        for (let m = 0; m < 4; m++) {
          let energy = 0;
          power.forEach((p, k) => {
            const hz = (k * 8000) / fftSize;
            const [l, c, r] = [edges[m]!, edges[m + 1]!, edges[m + 2]!];
            energy += p * Math.max(0, Math.min((hz - l) / (c - l), (r - hz) / (r - c)));
          });
          const got = logMel[t * 4 + m] as number;
          assert.ok(
            Math.abs(got - Math.log(energy + 1e-6)) < 1e-3,
            `frame ${t} band ${m}: ${got} vs ${Math.log(energy + 1e-6)}`,
          );
        }
      }
      frontEnd.dispose();
      out.dispose();
    });
  }

  Deno.test(`createLogMel() puts a pure tone's energy in the band around its frequency on ${backend}`, async () => {
    await useBackend(backend);
    const length = 256;
    const config: LogMelConfig = { kind: "logMel", fftSize: 64, hopSize: 32, melBins: 8, minFrequency: 0 };
    const frontEnd = createLogMel(config, length, 8000);
    const band = async (hz: number) => {
      const tone = Float32Array.from({ length }, (_, i) => Math.sin((2 * Math.PI * hz * i) / 8000));
      const out = frontEnd.apply(tf.tensor2d(tone, [1, length]));
      const values = await out.data();
      out.dispose();
      const means = Array.from({ length: 8 }, (_, m) => {
        let s = 0;
        for (let t = 0; t < frontEnd.frames; t++) s += values[t * 8 + m] as number;
        return s;
      });
      return means.indexOf(Math.max(...means));
    };
    const low = await band(300), high = await band(3000);
    assert.ok(low < high, `bands ${low} and ${high}`);
    assert.equal(high, 7);
    frontEnd.dispose();
  });

  for (const { fftSize, hopSize } of LAYOUTS) {
    const layout = `N=${fftSize} hop=${hopSize}`;
    Deno.test(`createLogMel() has the gradient of finite differences on ${backend}, ${layout}`, async () => {
      await useBackend(backend);
      const length = 40;
      const rng = createRng(9);
      const x = Float32Array.from({ length }, () => rng.range(-1, 1));
      const direction = Float32Array.from({ length }, () => (rng.uniform() < 0.5 ? -1 : 1));
      const frontEnd = createLogMel({ ...CONFIG, fftSize, hopSize }, length, 8000);
      const weights = tf.tensor(Float32Array.from({ length: frontEnd.frames * 4 }, () => rng.normal()), [
        1,
        1,
        frontEnd.frames,
        4,
      ]);
      const loss = (input: tf.Tensor) => tf.sum(tf.mul(frontEnd.apply(input as tf.Tensor2D), weights));
      const gradient = Array.from(await tf.grad(loss)(tf.tensor2d(x, [1, length])).data());
      const h = 1e-3;
      const at = async (sign: number) => {
        const shifted = x.map((v, i) => v + sign * h * (direction[i] as number));
        return (await loss(tf.tensor2d(shifted, [1, length])).data())[0] as number;
      };
      const numeric = ((await at(1)) - (await at(-1))) / (2 * h);
      const analytic = gradient.reduce((s, g, i) => s + g * (direction[i] as number), 0);
      assert.ok(
        Math.abs(numeric - analytic) < 2e-2 * Math.max(1, Math.abs(analytic)),
        `${numeric} vs ${analytic}`,
      );
      frontEnd.dispose();
    });
  }
}

Deno.test("createLogMel() rejects inconsistent settings with a RangeError", async () => {
  await useBackend("cpu");
  assert.throws(() => createLogMel({ ...CONFIG, hopSize: 5 }, 64, 8000), /multiple of hopSize/);
  assert.throws(() => createLogMel(CONFIG, 8, 8000), /fftSize must be <= audioLength/);
  assert.throws(() => createLogMel({ ...CONFIG, fftSize: 15, hopSize: 5 }, 64, 8000), /fftSize must be even/);
  assert.throws(() => createLogMel({ ...CONFIG, maxFrequency: 5000 }, 64, 8000), /sampleRate \/ 2/);
});
