/**
 * Small audio DSP used by the built-in datasets: band-limited resampling, RBJ biquad filters, coloured
 * noise and level helpers. Everything works on mono Float32Array waveforms and is deterministic.
 *
 * @module
 */
import type { Rng } from "../../engine/random.ts";

/** Kaiser window shape (about 80 dB stop-band attenuation). */
const KAISER_BETA = 8;

function besselI0(x: number): number {
  let sum = 1, term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 60; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

/**
 * Resamples by `ratio` (output rate / input rate, any positive real) with a Kaiser-windowed sinc.
 * The sinc is low-passed at 0.95 × the lower Nyquist frequency and spans `zeroCrossings` zero crossings
 * on each side at the lower rate; samples outside the signal count as zero. A table of 512 phases with
 * linear interpolation between phases keeps it fast.
 */
export function resampleByRatio(input: Float32Array, ratio: number, zeroCrossings = 16): Float32Array {
  const outLength = Math.max(1, Math.round(input.length * ratio));
  const out = new Float32Array(outLength);
  const scale = Math.min(1, ratio) * 0.95;
  const halfWidth = zeroCrossings / scale;
  const taps = Math.ceil(halfWidth);
  const phases = 512;
  const width = 2 * taps + 2;
  const norm = besselI0(KAISER_BETA);
  const table = new Float32Array((phases + 1) * width);
  for (let p = 0; p <= phases; p++) {
    const frac = p / phases;
    for (let k = 0; k < width; k++) {
      const offset = k - taps - frac;
      const u = offset / halfWidth;
      if (u <= -1 || u >= 1) continue;
      const x = Math.PI * scale * offset;
      const sinc = x === 0 ? 1 : Math.sin(x) / x;
      table[p * width + k] = scale * sinc * besselI0(KAISER_BETA * Math.sqrt(1 - u * u)) / norm;
    }
  }
  const n = input.length;
  for (let i = 0; i < outLength; i++) {
    const position = i / ratio;
    const base = Math.floor(position);
    const phase = (position - base) * phases;
    const p0 = Math.floor(phase), weight = phase - p0;
    const row0 = p0 * width, row1 = (p0 + 1) * width;
    let sum = 0;
    const first = base - taps;
    const kStart = Math.max(0, -first), kEnd = Math.min(width, n - first);
    for (let k = kStart; k < kEnd; k++) {
      const coefficient = (table[row0 + k] as number) * (1 - weight) + (table[row1 + k] as number) * weight;
      sum += (input[first + k] as number) * coefficient;
    }
    out[i] = sum;
  }
  return out;
}

/** Kinds of RBJ biquad filter. */
export type BiquadKind = "lowpass" | "highpass" | "bandpass";

/** Filters `signal` in place with an RBJ-cookbook biquad (Q 0.707 for low/high-pass, 1 for band-pass). */
export function biquad(signal: Float32Array, kind: BiquadKind, cutoffHz: number, sampleRate: number): void {
  const w0 = 2 * Math.PI * Math.min(cutoffHz, sampleRate * 0.49) / sampleRate;
  const q = kind === "bandpass" ? 1 : Math.SQRT1_2;
  const alpha = Math.sin(w0) / (2 * q), cos = Math.cos(w0);
  let b0: number, b1: number, b2: number;
  if (kind === "lowpass") [b0, b1, b2] = [(1 - cos) / 2, 1 - cos, (1 - cos) / 2];
  else if (kind === "highpass") [b0, b1, b2] = [(1 + cos) / 2, -(1 + cos), (1 + cos) / 2];
  else [b0, b1, b2] = [alpha, 0, -alpha];
  const a0 = 1 + alpha, a1 = -2 * cos, a2 = 1 - alpha;
  let x1 = 0, x2 = 0, y1 = 0, y2 = 0;
  for (let i = 0; i < signal.length; i++) {
    const x = signal[i] as number;
    const y = (b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2) / a0;
    x2 = x1, x1 = x, y2 = y1, y1 = y;
    signal[i] = y;
  }
}

/** Colours of background noise. */
export type NoiseColour = "white" | "pink" | "brown";

/** Zero-mean noise of unit RMS. Pink uses Paul Kellet's filter, brown a leaky integrator. */
export function colouredNoise(length: number, colour: NoiseColour, rng: Rng): Float32Array {
  const out = new Float32Array(length);
  let b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0, brown = 0;
  for (let i = 0; i < length; i++) {
    const white = rng.normal();
    if (colour === "white") out[i] = white;
    else if (colour === "pink") {
      b0 = 0.99886 * b0 + white * 0.0555179;
      b1 = 0.99332 * b1 + white * 0.0750759;
      b2 = 0.969 * b2 + white * 0.153852;
      b3 = 0.8665 * b3 + white * 0.3104856;
      b4 = 0.55 * b4 + white * 0.5329522;
      b5 = -0.7616 * b5 - white * 0.016898;
      out[i] = b0 + b1 + b2 + b3 + b4 + b5 + b6 + white * 0.5362;
      b6 = white * 0.115926;
    } else {
      brown = 0.995 * brown + white * 0.1;
      out[i] = brown;
    }
  }
  removeMean(out);
  normaliseRms(out, 1);
  return out;
}

/** Root mean square of `signal[start, end)`. */
export function rms(signal: Float32Array, start = 0, end = signal.length): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += (signal[i] as number) ** 2;
  return end > start ? Math.sqrt(sum / (end - start)) : 0;
}

/** Subtracts the mean in place. */
export function removeMean(signal: Float32Array): void {
  let sum = 0;
  for (let i = 0; i < signal.length; i++) sum += signal[i] as number;
  const mean = signal.length > 0 ? sum / signal.length : 0;
  for (let i = 0; i < signal.length; i++) signal[i] = (signal[i] as number) - mean;
}

/** Scales in place to RMS `target`; a silent signal stays silent (no division by zero). */
export function normaliseRms(signal: Float32Array, target: number): void {
  const level = rms(signal);
  if (level < 1e-9) return;
  const gain = target / level;
  for (let i = 0; i < signal.length; i++) signal[i] = (signal[i] as number) * gain;
}

/** Adds `source * gain` into `target` starting at `offset` (parts outside `target` are dropped). */
export function mixInto(target: Float32Array, source: Float32Array, offset: number, gain: number): void {
  const start = Math.max(0, offset), end = Math.min(target.length, offset + source.length);
  for (let i = start; i < end; i++) target[i] = (target[i] as number) + (source[i - offset] as number) * gain;
}

/** Converts decibels to an amplitude ratio. */
export function dbToGain(db: number): number {
  return 10 ** (db / 20);
}

/**
 * Final level stage shared by both datasets: scales the mix to RMS `targetRms`, then soft-limits peaks
 * above 0.9 with tanh so that every sample lies in [-1, 1]. NaN never appears: silent input stays zero.
 */
export function finishWaveform(signal: Float32Array, targetRms: number): void {
  removeMean(signal);
  normaliseRms(signal, targetRms);
  for (let i = 0; i < signal.length; i++) {
    const x = signal[i] as number;
    const magnitude = Math.abs(x);
    signal[i] = magnitude <= 0.9 ? x : Math.sign(x) * (0.9 + 0.1 * Math.tanh((magnitude - 0.9) / 0.1));
  }
}
