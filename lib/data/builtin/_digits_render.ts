/**
 * Per-clip rendering of `av-digits`: one spoken digit (1 s, 8 kHz) and one MNIST frame (28×28), each
 * degraded according to its own independently drawn mode.
 *
 * @module
 */
import type { Rng } from "../../engine/random.ts";
import type { AudioDegradation, DegradationMode, VisualDegradation } from "./_modes.ts";
import { drawRange, otherClass } from "./_modes.ts";
import {
  biquad,
  type BiquadKind,
  colouredNoise,
  dbToGain,
  finishWaveform,
  mixInto,
  type NoiseColour,
  normaliseRms,
  resampleByRatio,
  rms,
} from "./_dsp.ts";
import { addNoiseAndClamp, dctLowPass, gaussianBlur } from "./_raster.ts";

/** One utterance of `digit`, with speed jitter, trimmed to fit `maxLength`, at unit RMS. */
function utterance(bank: Float32Array[][], digit: number, maxLength: number, rng: Rng): Float32Array {
  const source = rng.pick(bank[digit] as Float32Array[]);
  const stretch = Math.min(rng.range(0.88, 1.14), (maxLength * 0.98) / source.length);
  const word = Math.abs(stretch - 1) < 1e-3 ? source.slice() : resampleByRatio(source, stretch, 8);
  normaliseRms(word, 1);
  return word.length > maxLength ? word.subarray(0, maxLength) : word;
}

/**
 * Renders the waveform of one clip. Clean: the word over background noise at `cleanSnrDb`. Hard: at
 * `hardSnrDb`, plus (each with probability 0.6) a band-limiting filter and 1–3 cut-outs of 50–150 ms.
 * Misleading: like hard, but another digit is spoken. Absent: background noise only. Clean and hard
 * clips get a quieter other-digit distractor with `distractorProbability`.
 */
export function renderDigitAudio(
  label: number,
  mode: DegradationMode,
  bank: Float32Array[][],
  length: number,
  sampleRate: number,
  config: AudioDegradation,
  rng: Rng,
): Float32Array {
  const out = new Float32Array(length);
  let signalLevel = 1;
  if (mode !== "absent") {
    const digit = mode === "misleading" ? otherClass(label, 10, rng) : label;
    const word = utterance(bank, digit, length, rng);
    const offset = rng.int(length - word.length + 1);
    const hard = mode !== "clean";
    if (hard && rng.chance(0.6)) {
      const kind: BiquadKind = rng.pick(["lowpass", "highpass", "bandpass"] as const);
      const cutoff = kind === "lowpass"
        ? rng.range(300, 800)
        : kind === "highpass"
        ? rng.range(1400, 2400)
        : rng.range(500, 1500);
      biquad(word, kind, cutoff, sampleRate);
    }
    if (hard && rng.chance(0.6)) {
      const cuts = 1 + rng.int(3);
      for (let c = 0; c < cuts; c++) {
        const cut = Math.round(rng.range(0.05, 0.15) * sampleRate);
        const start = rng.int(Math.max(1, word.length - cut));
        word.fill(0, start, start + cut);
      }
    }
    mixInto(out, word, offset, 1);
    signalLevel = Math.max(1e-3, rms(out, offset, offset + word.length));
    if (mode !== "misleading" && rng.chance(config.distractorProbability)) {
      const other = utterance(bank, otherClass(label, 10, rng), length, rng);
      const at = rng.int(length) - Math.floor(other.length / 2);
      mixInto(out, other, at, signalLevel * dbToGain(drawRange(rng, config.distractorGainDb)));
    }
  }
  const colour: NoiseColour = rng.pick(["white", "pink", "brown"] as const);
  const noise = colouredNoise(length, colour, rng);
  const snr = mode === "clean" ? drawRange(rng, config.cleanSnrDb) : drawRange(rng, config.hardSnrDb);
  mixInto(out, noise, 0, mode === "absent" ? 1 : signalLevel / dbToGain(snr));
  finishWaveform(out, rng.range(0.04, 0.1));
  return out;
}

type HardOperation = "noise" | "occlusion" | "blur" | "contrast" | "energy";
const HARD_OPERATIONS: readonly HardOperation[] = ["noise", "occlusion", "blur", "contrast", "energy"];

/** Copies a 28×28 digit into `frame` shifted by (dx, dy), combining with `max` at weight `weight`. */
function placeDigit(frame: Float32Array, digit: Uint8Array, dx: number, dy: number, weight: number): void {
  for (let y = 0; y < 28; y++) {
    const sy = y - dy;
    if (sy < 0 || sy >= 28) continue;
    for (let x = 0; x < 28; x++) {
      const sx = x - dx;
      if (sx < 0 || sx >= 28) continue;
      const value = ((digit[sy * 28 + sx] as number) / 255) * weight;
      if (value > (frame[y * 28 + x] as number)) frame[y * 28 + x] = value;
    }
  }
}

/**
 * Renders one 28×28 frame. Clean: the digit shifted by up to 3 px with mild noise. Hard: one or two (even
 * odds) of strong noise, occlusion (8–14 px square), blur (σ 1–1.8 px), contrast loss (to 20–40 %) and
 * energy removal (DCT low-pass keeping 5–7 × 5–7 coefficients). Misleading: another digit, as hard.
 * Absent: blurred noise blobs only. Clean and hard frames get a faint shifted other-class digit with
 * `distractorProbability`. `pick(digit)` returns an MNIST image of that digit.
 */
export function renderDigitFrame(
  label: number,
  mode: DegradationMode,
  pick: (digit: number) => Uint8Array,
  config: VisualDegradation,
  rng: Rng,
): Float32Array {
  const frame = new Float32Array(28 * 28);
  const operations = new Set<HardOperation>();
  if (mode === "absent") {
    for (let i = 0; i < frame.length; i++) frame[i] = rng.uniform();
    gaussianBlur(frame, 28, 28, 1, rng.range(1.5, 3));
    const low = rng.range(0, 0.4), span = rng.range(0.1, 0.5);
    for (let i = 0; i < frame.length; i++) frame[i] = low + span * (frame[i] as number);
  } else {
    const digit = mode === "misleading" ? otherClass(label, 10, rng) : label;
    placeDigit(frame, pick(digit), rng.int(7) - 3, rng.int(7) - 3, mode === "clean" ? rng.range(0.75, 1) : 1);
    if (mode !== "misleading" && rng.chance(config.distractorProbability)) {
      const dx = (rng.chance(0.5) ? -1 : 1) * (6 + rng.int(6)), dy = rng.int(9) - 4;
      placeDigit(frame, pick(otherClass(label, 10, rng)), dx, dy, rng.range(0.25, 0.45));
    }
    if (mode !== "clean") {
      const pool = rng.shuffle([...HARD_OPERATIONS]);
      const count = rng.chance(0.5) ? 1 : 2;
      for (const operation of pool.slice(0, count)) operations.add(operation);
    }
  }
  if (operations.has("energy")) dctLowPass(frame, 28, 5 + rng.int(3));
  if (operations.has("blur")) gaussianBlur(frame, 28, 28, 1, rng.range(1, 1.8));
  if (operations.has("occlusion")) {
    const width = 8 + rng.int(7), height = 8 + rng.int(7);
    const x0 = 4 + rng.int(24 - width), y0 = 4 + rng.int(24 - height);
    const fill = rng.uniform(), textured = rng.chance(0.5);
    for (let y = y0; y < y0 + height && y < 28; y++) {
      for (let x = x0; x < x0 + width && x < 28; x++) frame[y * 28 + x] = textured ? rng.uniform() : fill;
    }
  }
  if (operations.has("contrast")) {
    const scale = rng.range(0.2, 0.4), offset = rng.range(0, 1 - scale);
    for (let i = 0; i < frame.length; i++) {
      frame[i] = offset + scale * Math.min(1, Math.max(0, frame[i] as number));
    }
  }
  const std = operations.has("noise") || mode === "absent"
    ? drawRange(rng, config.hardNoise)
    : drawRange(rng, config.cleanNoise);
  addNoiseAndClamp(frame, std, rng.normal);
  return frame;
}
