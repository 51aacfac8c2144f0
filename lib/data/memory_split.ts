/**
 * A split held in memory as flat typed arrays.
 *
 * @module
 */
import type { AvSample, AvSplit, Box, SampleOptions } from "./types.ts";

/** The arrays of an in-memory split. */
export interface MemorySplitData {
  /** `size × audioLength` waveforms in [-1, 1]. */
  audio: Float32Array;
  /** `size × frameSize` frames in [0, 1]. */
  visual: Float32Array;
  /** `size` class indices. */
  labels: Int32Array;
  /** `size` sample ids. */
  ids: readonly string[];
  /** `size × 4` boxes `[x0, y0, x1, y1]` in [0, 1]; a row with a negative `x0` means "no box". */
  boxes?: Float32Array;
  /** Samples per waveform. */
  audioLength: number;
  /** Values per frame (height × width × channels). */
  frameSize: number;
}

/**
 * Wraps flat arrays as an {@linkcode AvSplit}. `sample()` returns copies, so callers may modify them.
 * With `augment: true` it applies the reference loader's training-time augmentation: a random audio
 * gain in [0.5, 1.5], clipped to [-1, 1] (the frame is unchanged, so boxes stay valid).
 *
 * @param data The arrays and their per-sample sizes.
 * @returns The split.
 * @throws {TypeError} If an array's length does not match `labels.length` samples.
 *
 * @example Two samples
 * ```ts
 * import assert from "node:assert/strict";
 * const split = memorySplit({
 *   audio: new Float32Array([0, 0.5, 0, -0.5]),
 *   visual: new Float32Array([1, 0]),
 *   labels: new Int32Array([3, 1]),
 *   ids: ["a", "b"],
 *   audioLength: 2,
 *   frameSize: 1,
 * });
 * const second = await split.sample(1);
 * assert.deepEqual([split.size, second.label, Array.from(second.audio)], [2, 1, [0, -0.5]]);
 * ```
 */
export function memorySplit(data: MemorySplitData): AvSplit {
  const { audio, visual, labels, ids, boxes, audioLength, frameSize } = data;
  const size = labels.length;
  const check = (what: string, actual: number, expected: number) => {
    if (actual !== expected) {
      throw new TypeError(
        `Cannot make an in-memory split: ${what} must have ${expected} values, current value is ${actual}`,
      );
    }
  };
  if (!Number.isInteger(audioLength) || audioLength <= 0 || !Number.isInteger(frameSize) || frameSize <= 0) {
    throw new TypeError(
      `Cannot make an in-memory split: audioLength and frameSize must be positive integers, current values are ${audioLength} and ${frameSize}`,
    );
  }
  check("audio", audio.length, size * audioLength);
  check("visual", visual.length, size * frameSize);
  check("ids", ids.length, size);
  if (boxes) check("boxes", boxes.length, size * 4);
  return {
    size,
    labels,
    sample(index: number, options: SampleOptions = {}): Promise<AvSample> {
      if (!Number.isInteger(index) || index < 0 || index >= size) {
        return Promise.reject(
          new RangeError(`Cannot read sample: index must be in [0, ${size}), current value is ${index}`),
        );
      }
      const { augment = false, rng } = options;
      if (augment && !rng) {
        return Promise.reject(new TypeError("Cannot read sample with augment: options.rng is required"));
      }
      const waveform = audio.slice(index * audioLength, (index + 1) * audioLength);
      if (augment && rng) {
        const gain = rng.range(0.5, 1.5);
        for (let i = 0; i < waveform.length; i++) {
          waveform[i] = Math.max(-1, Math.min(1, (waveform[i] as number) * gain));
        }
      }
      const sample: AvSample = {
        id: ids[index] as string,
        label: labels[index] as number,
        audio: waveform,
        visual: visual.slice(index * frameSize, (index + 1) * frameSize),
      };
      if (boxes && (boxes[index * 4] as number) >= 0) {
        const at = (k: number) => boxes[index * 4 + k] as number;
        const box: Box = [at(0), at(1), at(2), at(3)];
        sample.box = box;
      }
      return Promise.resolve(sample);
    },
  };
}
