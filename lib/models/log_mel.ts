/**
 * A differentiable log-mel spectrogram for the wasm backend.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";

/** Settings of the log-mel front end. */
export type LogMelConfig = {
  kind: "logMel";
  /** DFT size N (periodic Hann window of N samples); a multiple of `hopSize`. */
  fftSize: number;
  /** Samples between frames. */
  hopSize: number;
  /** Mel bands. */
  melBins: number;
  /** Lowest band edge in Hz. */
  minFrequency: number;
  /** Highest band edge in Hz, at most `sampleRate / 2`. @default sampleRate / 2 */
  maxFrequency?: number;
};

/** A built front end; constant tensors live until {@linkcode LogMelFrontEnd.dispose}. */
export interface LogMelFrontEnd {
  /** Frames per waveform of the configured length. */
  readonly frames: number;
  /** `[batch, samples]` waveform to `[batch, 1, frames, melBins]` log-mel energies. */
  apply(waveform: tf.Tensor2D): tf.Tensor4D;
  /** Frees the DFT basis and the mel matrix. */
  dispose(): void;
}

const LOG_FLOOR = 1e-6;

function hertzToMel(hz: number): number {
  return 2595 * Math.log10(1 + hz / 700);
}

function melToHertz(mel: number): number {
  return 700 * (10 ** (mel / 2595) - 1);
}

/** Triangular HTK-mel filters `[bins, melBins]` (torchaudio's default, no area normalisation). */
function melMatrix(
  config: LogMelConfig,
  sampleRate: number,
  maxFrequency: number,
  bins: number,
): Float32Array {
  const { fftSize, melBins, minFrequency } = config;
  const low = hertzToMel(minFrequency), high = hertzToMel(maxFrequency);
  const edges = Array.from(
    { length: melBins + 2 },
    (_, i) => melToHertz(low + ((high - low) * i) / (melBins + 1)),
  );
  const matrix = new Float32Array(bins * melBins);
  for (let k = 0; k < bins; k++) {
    const hz = (k * sampleRate) / fftSize;
    for (let m = 0; m < melBins; m++) {
      const left = edges[m] as number, centre = edges[m + 1] as number, right = edges[m + 2] as number;
      const up = (hz - left) / (centre - left), down = (right - hz) / (right - centre);
      matrix[k * melBins + m] = Math.max(0, Math.min(up, down));
    }
  }
  return matrix;
}

/**
 * Builds a log-mel front end that is differentiable and fast on wasm (tfjs's `stft` has no gradient and no
 * wasm kernel). Frames are cut by reshapes and slices (`fftSize / hopSize` overlapping pieces), the
 * windowed DFT is a matMul with a cos and a sin basis, the mel filterbank another matMul; the backward pass
 * of the framing is the overlap-add, done by tf's own slice/concat gradients. Frames are not centred:
 * frame `t` covers samples `[t·hop, t·hop + N)`. Output: `log(mel energy + 1e-6)`.
 *
 * @param config The settings.
 * @param audioLength Samples per waveform.
 * @param sampleRate Sample rate of the waveform in Hz.
 * @returns The front end.
 * @throws {RangeError} If the settings are inconsistent or the waveform is shorter than one frame.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tf, useBackend } from "../engine/mod.ts";
 * await useBackend("cpu");
 * const config = { kind: "logMel", fftSize: 64, hopSize: 32, melBins: 8, minFrequency: 0 } as const;
 * const frontEnd = createLogMel(config, 256, 8000);
 * assert.deepEqual(frontEnd.apply(tf.zeros([2, 256])).shape, [2, 1, 7, 8]);
 * frontEnd.dispose();
 * ```
 */
export function createLogMel(config: LogMelConfig, audioLength: number, sampleRate: number): LogMelFrontEnd {
  const { fftSize, hopSize, melBins, minFrequency, maxFrequency = sampleRate / 2 } = config;
  const fail = (message: string) => new RangeError(`Cannot build the log-mel front end: ${message}`);
  if (!Number.isInteger(fftSize) || !Number.isInteger(hopSize) || hopSize < 1 || fftSize % hopSize !== 0) {
    throw fail(`fftSize must be a multiple of hopSize, current values are ${fftSize} and ${hopSize}`);
  }
  if (fftSize > audioLength) {
    throw fail(`fftSize must be <= audioLength (${audioLength}), current value is ${fftSize}`);
  }
  if (!Number.isInteger(melBins) || melBins < 1) {
    throw fail(`melBins must be >= 1, current value is ${melBins}`);
  }
  if (!(minFrequency >= 0 && minFrequency < maxFrequency && maxFrequency <= sampleRate / 2)) {
    throw fail(
      `frequencies must satisfy 0 <= minFrequency < maxFrequency <= sampleRate / 2, current values are ` +
        `${minFrequency}, ${maxFrequency}, ${sampleRate}`,
    );
  }
  const bins = fftSize / 2 + 1;
  const frames = Math.floor((audioLength - fftSize) / hopSize) + 1;
  const cosValues = new Float32Array(fftSize * bins);
  const sinValues = new Float32Array(fftSize * bins);
  for (let n = 0; n < fftSize; n++) {
    const window = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / fftSize);
    for (let k = 0; k < bins; k++) {
      const angle = (2 * Math.PI * ((k * n) % fftSize)) / fftSize;
      cosValues[n * bins + k] = window * Math.cos(angle);
      sinValues[n * bins + k] = -window * Math.sin(angle);
    }
  }
  const cosBasis = tf.tensor2d(cosValues, [fftSize, bins]);
  const sinBasis = tf.tensor2d(sinValues, [fftSize, bins]);
  const mel = tf.tensor2d(melMatrix(config, sampleRate, maxFrequency, bins), [bins, melBins]);
  const pieces = fftSize / hopSize;

  return {
    frames,
    apply(waveform) {
      return tf.tidy(() => {
        const batch = waveform.shape[0];
        const parts = Array.from(
          { length: pieces },
          (_, j) =>
            tf.reshape(tf.slice(waveform, [0, j * hopSize], [batch, frames * hopSize]), [
              batch,
              frames,
              hopSize,
            ]),
        );
        const framed = tf.reshape<tf.Rank.R2>(pieces === 1 ? parts[0] as tf.Tensor : tf.concat(parts, 2), [
          batch * frames,
          fftSize,
        ]);
        const re = tf.matMul(framed, cosBasis);
        const im = tf.matMul(framed, sinBasis);
        const energies = tf.matMul(tf.add(tf.square(re), tf.square(im)), mel);
        return tf.reshape<tf.Rank.R4>(tf.log(tf.add(energies, LOG_FLOOR)), [batch, 1, frames, melBins]);
      });
    },
    dispose() {
      tf.dispose([cosBasis, sinBasis, mel]);
    },
  };
}
