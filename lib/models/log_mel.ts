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

/**
 * HTK mel of a frequency in Hz (the front end's scale; the report's display spectrograms use it too).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(Math.abs(melToHertz(hertzToMel(440)) - 440) < 1e-9);
 * ```
 */
export function hertzToMel(hz: number): number {
  return 2595 * Math.log10(1 + hz / 700);
}

/** Hz of an HTK mel value (the inverse of {@linkcode hertzToMel}). */
export function melToHertz(mel: number): number {
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
 * Columns `[offset, offset + width)` of every frame as `[batch · frames, width]`, frame `t` starting at
 * sample `t · hop`. `width` is a multiple of `hop`: the columns are `width / hop` reshaped slices of the
 * waveform, concatenated (no gather, so the gradient is tf's own slice/concat one: the overlap-add).
 */
function frameColumns(
  waveform: tf.Tensor2D,
  frames: number,
  hop: number,
  offset: number,
  width: number,
): tf.Tensor2D {
  const batch = waveform.shape[0];
  const parts = Array.from(
    { length: width / hop },
    (_, j) =>
      tf.reshape<tf.Rank.R3>(tf.slice(waveform, [0, offset + j * hop], [batch, frames * hop]), [
        batch,
        frames,
        hop,
      ]),
  );
  return tf.reshape(parts.length === 1 ? parts[0] as tf.Tensor : tf.concat(parts, 2), [
    batch * frames,
    width,
  ]);
}

/**
 * The folded windowed-DFT bases `[N/2, bins]`. The periodic Hann window is symmetric (`w[N−n] = w[n]`,
 * `w[0] = 0`), so with `s_n = x_n + x_{N−n}` and `d_n = x_n − x_{N−n}` (`n = 1 … N/2`):
 * `Re X_k = Σ w_n cos(2πkn/N) s_n` (the `n = N/2` term halved, since `s_{N/2} = 2x_{N/2}`) and
 * `Im X_k = −Σ w_n sin(2πkn/N) d_n`: half the multiply-adds of the plain DFT.
 */
function foldedBases(fftSize: number, bins: number): { cos: Float32Array; sin: Float32Array } {
  const half = fftSize / 2;
  const cos = new Float32Array(half * bins);
  const sin = new Float32Array(half * bins);
  for (let n = 1; n <= half; n++) {
    const window = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / fftSize);
    const weight = n === half ? window / 2 : window;
    for (let k = 0; k < bins; k++) {
      const angle = (2 * Math.PI * ((k * n) % fftSize)) / fftSize;
      cos[(n - 1) * bins + k] = weight * Math.cos(angle);
      sin[(n - 1) * bins + k] = n === half ? 0 : -window * Math.sin(angle);
    }
  }
  return { cos, sin };
}

/**
 * Builds a log-mel front end that is differentiable and fast on wasm (tfjs's `stft` has no gradient and no
 * wasm kernel). Frames are cut by reshapes and slices; the Hann-windowed DFT is folded on the window's
 * symmetry (`x_n ± x_{N−n}`, one reverse) into two `[N/2, N/2 + 1]` matMuls, half the work of a plain DFT
 * matMul; the mel filterbank is another matMul. The backward pass is tf's own slice/concat/reverse
 * gradients (the overlap-add). Frames are not centred: frame `t` covers samples `[t·hop, t·hop + N)`.
 * Output: `log(mel energy + 1e-6)`.
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
  if (fftSize % 2 !== 0 || fftSize < 2) {
    throw fail(`fftSize must be even and >= 2, current value is ${fftSize}`);
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
  const half = fftSize / 2;
  const bins = half + 1;
  const frames = Math.floor((audioLength - fftSize) / hopSize) + 1;
  const bases = foldedBases(fftSize, bins);
  const cosBasis = tf.tensor2d(bases.cos, [half, bins]);
  const sinBasis = tf.tensor2d(bases.sin, [half, bins]);
  const mel = tf.tensor2d(melMatrix(config, sampleRate, maxFrequency, bins), [bins, melBins]);
  // Samples 1…N/2 and N/2…N−1 of each frame; straight from the waveform when N/2 is a multiple of the hop.
  const halves = (waveform: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] => {
    if (half % hopSize === 0) {
      return [
        frameColumns(waveform, frames, hopSize, 1, half),
        frameColumns(waveform, frames, hopSize, half, half),
      ];
    }
    const framed = frameColumns(waveform, frames, hopSize, 0, fftSize);
    return [tf.slice(framed, [0, 1], [-1, half]), tf.slice(framed, [0, half], [-1, half])];
  };

  return {
    frames,
    apply(waveform) {
      return tf.tidy(() => {
        const batch = waveform.shape[0];
        const [head, tail] = halves(waveform);
        // tail reversed: column j holds x_{N−1−j}, the partner of head's column j (x_{j+1}).
        const mirrored = tf.reverse(tail, 1);
        const re = tf.matMul(tf.add(head, mirrored), cosBasis);
        const im = tf.matMul(tf.sub(head, mirrored), sinBasis);
        const energies = tf.matMul(tf.add(tf.square(re), tf.square(im)), mel);
        return tf.reshape<tf.Rank.R4>(tf.log(tf.add(energies, LOG_FLOOR)), [batch, 1, frames, melBins]);
      });
    },
    dispose() {
      tf.dispose([cosBasis, sinBasis, mel]);
    },
  };
}
