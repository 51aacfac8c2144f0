/**
 * Turns samples of a split into tensors.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import type { AvSplit, SampleOptions } from "./types.ts";

/** A batch of inputs as tensors. All tensors belong to the caller. */
export interface AvBatch {
  /** `[batch, samples]` waveforms. */
  audio: tf.Tensor2D;
  /** `[batch, height, width, channels]` frames. */
  visual: tf.Tensor4D;
  /** `[batch]` int32 class indices. */
  labels: tf.Tensor1D;
  /** `[batch]` int32 target classes, for targeted attacks. */
  targets?: tf.Tensor1D;
}

/** Shape information the batcher needs. */
export interface BatchShape {
  /** Samples per waveform. */
  audioLength: number;
  /** Frame shape `[height, width, channels]`. */
  imageShape: readonly [number, number, number];
}

/**
 * Reads `indices` from `split` into one {@linkcode AvBatch}.
 *
 * @param split The split to read.
 * @param indices Sample indices, in batch order.
 * @param shape Expected sizes; a sample of another size is an error, never padded silently.
 * @param options Sampling options (augmentation).
 * @returns Tensors owned by the caller (dispose them, or use {@linkcode disposeBatch}).
 * @throws {TypeError} If a sample's audio or frame has the wrong size.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const split = {
 *   size: 1,
 *   labels: new Int32Array([0]),
 *   sample: async () => ({ id: "a", label: 0, audio: new Float32Array(4), visual: new Float32Array(2 * 2 * 1) }),
 * };
 * const batch = await loadBatch(split, [0, 0], { audioLength: 4, imageShape: [2, 2, 1] });
 * assert.deepEqual(batch.visual.shape, [2, 2, 2, 1]);
 * disposeBatch(batch);
 * ```
 */
export async function loadBatch(
  split: AvSplit,
  indices: readonly number[],
  shape: BatchShape,
  options: SampleOptions = {},
): Promise<AvBatch> {
  const { audioLength, imageShape } = shape;
  const frameSize = imageShape[0] * imageShape[1] * imageShape[2];
  const audio = new Float32Array(indices.length * audioLength);
  const visual = new Float32Array(indices.length * frameSize);
  const labels = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const sample = await split.sample(indices[i] as number, options);
    if (sample.audio.length !== audioLength) {
      throw new TypeError(
        `Cannot batch sample '${sample.id}': audio must have ${audioLength} samples, current value is ${sample.audio.length}`,
      );
    }
    if (sample.visual.length !== frameSize) {
      throw new TypeError(
        `Cannot batch sample '${sample.id}': frame must have ${frameSize} values, current value is ${sample.visual.length}`,
      );
    }
    audio.set(sample.audio, i * audioLength);
    visual.set(sample.visual, i * frameSize);
    labels[i] = sample.label;
  }
  return {
    audio: tf.tensor2d(audio, [indices.length, audioLength]),
    visual: tf.tensor4d(visual, [indices.length, ...imageShape]),
    labels: tf.tensor1d(labels, "int32"),
  };
}

/** Disposes every tensor of a batch. */
export function disposeBatch(batch: AvBatch): void {
  tf.dispose([batch.audio, batch.visual, batch.labels, ...(batch.targets ? [batch.targets] : [])]);
}
