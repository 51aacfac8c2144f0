/**
 * A log-mel spectrogram for display (plain arrays, no tensors): Hann-windowed FFT frames, triangular
 * HTK-mel bands, decibels.
 *
 * @module
 */
import { hertzToMel, melToHertz } from "../../models/log_mel.ts";
import { fft } from "./_dsp.ts";

/** Options of {@linkcode logMelSpectrogram}. */
export interface LogMelSpectrogramOptions {
  /** DFT size, a power of two (periodic Hann window of as many samples). @default the power of two at or above 25 ms */
  fftSize?: number;
  /** Samples between frames. @default fftSize / 4 */
  hopSize?: number;
  /** Mel bands. @default 40 */
  bands?: number;
  /** Lowest band edge in Hz. @default 0 */
  minFrequency?: number;
  /** Highest band edge in Hz, at most `sampleRate / 2`. @default sampleRate / 2 */
  maxFrequency?: number;
  /** Floor of the values in dB (silence reads as the floor, never -Infinity). @default -120 */
  floorDb?: number;
}

/** A log-mel spectrogram. */
export interface LogMelSpectrogram {
  /**
   * Row-major `[frames, bands]` band powers in dB: 10·log10 of the mel-weighted sum of |X_k|² / (Σw)²
   * (a full-scale sine puts about -6 dB in its band), at least `floorDb`.
   */
  values: Float32Array;
  /** Frames (time steps). */
  frames: number;
  /** Mel bands, lowest first. */
  bands: number;
  /** Sample rate in Hz. */
  sampleRate: number;
  /** DFT size. */
  fftSize: number;
  /** Samples between frames. */
  hopSize: number;
  /** Length of the waveform in seconds. */
  duration: number;
  /** Band edges in Hz (`bands + 2`, equally spaced in mel): band `b` rises from `edges[b]` to its peak at `edges[b + 1]` and falls to `edges[b + 2]`. */
  edges: number[];
}

/**
 * The log-mel spectrogram of a waveform. Frame `t` covers samples `[t·hop, t·hop + fftSize)` (a waveform
 * shorter than one frame is zero-padded to one).
 *
 * @param samples The waveform.
 * @param sampleRate Its rate in Hz.
 * @param options DFT size, hop, bands, band range, floor.
 * @returns The spectrogram and its axes.
 * @throws {RangeError} If the rate is not positive, `fftSize` is not a power of two, `hopSize` or `bands`
 *   is not a positive integer, or the band range is empty or above the Nyquist frequency.
 *
 * @example A 1 kHz tone peaks in the band whose centre is nearest 1 kHz
 * ```ts
 * import assert from "node:assert/strict";
 * const tone = Float32Array.from({ length: 8000 }, (_, i) => Math.sin((2 * Math.PI * 1000 * i) / 8000));
 * const s = logMelSpectrogram(tone, 8000);
 * const row = Array.from(s.values.subarray(0, s.bands));
 * const peak = row.indexOf(Math.max(...row));
 * assert.ok(Math.abs((s.edges[peak + 1] as number) - 1000) < 100);
 * ```
 */
export function logMelSpectrogram(
  samples: ArrayLike<number>,
  sampleRate: number,
  options: LogMelSpectrogramOptions = {},
): LogMelSpectrogram {
  if (!(sampleRate > 0)) {
    throw new RangeError(
      `Cannot compute the spectrogram: sampleRate must be > 0, current value is ${sampleRate}`,
    );
  }
  const {
    fftSize = 2 ** Math.ceil(Math.log2(0.025 * sampleRate)),
    hopSize = Math.max(1, fftSize / 4),
    bands = 40,
    minFrequency = 0,
    maxFrequency = sampleRate / 2,
    floorDb = -120,
  } = options;
  if (!Number.isInteger(Math.log2(fftSize)) || fftSize < 2) {
    throw new RangeError(
      `Cannot compute the spectrogram: fftSize must be a power of two, current value is ${fftSize}`,
    );
  }
  for (const [name, value] of [["hopSize", hopSize], ["bands", bands]] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(
        `Cannot compute the spectrogram: ${name} must be a positive integer, current value is ${value}`,
      );
    }
  }
  if (!(minFrequency >= 0 && minFrequency < maxFrequency && maxFrequency <= sampleRate / 2)) {
    throw new RangeError(
      `Cannot compute the spectrogram: need 0 <= minFrequency < maxFrequency <= sampleRate / 2, current ` +
        `values are ${minFrequency} and ${maxFrequency}`,
    );
  }
  const frames = samples.length <= fftSize ? 1 : 1 + Math.floor((samples.length - fftSize) / hopSize);
  const bins = fftSize / 2 + 1;
  const window = Float64Array.from(
    { length: fftSize },
    (_, n) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / fftSize),
  );
  const norm = window.reduce((sum, w) => sum + w, 0) ** 2;
  const low = hertzToMel(minFrequency), high = hertzToMel(maxFrequency);
  const edges = Array.from(
    { length: bands + 2 },
    (_, i) => melToHertz(low + ((high - low) * i) / (bands + 1)),
  );
  const weights = melWeights(edges, bins, sampleRate / fftSize);
  const values = new Float32Array(frames * bands);
  const re = new Float64Array(fftSize), im = new Float64Array(fftSize), power = new Float64Array(bins);
  const floor = 10 ** (floorDb / 10);
  for (let t = 0; t < frames; t++) {
    im.fill(0);
    for (let n = 0; n < fftSize; n++) {
      re[n] = ((samples[t * hopSize + n] ?? 0) as number) * (window[n] as number);
    }
    fft(re, im);
    for (let k = 0; k < bins; k++) power[k] = ((re[k] as number) ** 2 + (im[k] as number) ** 2) / norm;
    for (let b = 0; b < bands; b++) {
      let sum = 0;
      for (const [k, w] of weights[b] as [number, number][]) sum += w * (power[k] as number);
      values[t * bands + b] = 10 * Math.log10(Math.max(floor, Number.isFinite(sum) ? sum : floor));
    }
  }
  return {
    values,
    frames,
    bands,
    sampleRate,
    fftSize,
    hopSize,
    duration: samples.length / sampleRate,
    edges,
  };
}

/** Per band, the (bin, weight) pairs of its triangle (unnormalised, peak 1). */
function melWeights(edges: readonly number[], bins: number, binHz: number): [number, number][][] {
  return Array.from({ length: edges.length - 2 }, (_, b) => {
    const left = edges[b] as number, centre = edges[b + 1] as number, right = edges[b + 2] as number;
    const pairs: [number, number][] = [];
    for (let k = Math.floor(left / binHz); k <= Math.ceil(right / binHz) && k < bins; k++) {
      const hz = k * binHz;
      const w = Math.min((hz - left) / (centre - left), (right - hz) / (right - centre));
      if (w > 0) pairs.push([k, w]);
    }
    // A band narrower than a bin would read no power: give it the bin nearest its centre.
    if (pairs.length === 0) pairs.push([Math.min(bins - 1, Math.round(centre / binHz)), 1]);
    return pairs;
  });
}
