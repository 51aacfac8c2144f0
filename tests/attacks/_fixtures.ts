/**
 * Tiny seeded AvModel implementations and batches for the attack and eval tests.
 *
 * @module
 */
import { tf } from "../../lib/engine/tf.ts";
import type { BatchShape } from "../../lib/data/batch.ts";
import type { AvSplit } from "../../lib/data/types.ts";
import type { AvModel } from "../../lib/models/types.ts";
import { linearBatch } from "../../lib/models/toy_models.ts";

export * from "../../lib/models/toy_models.ts";

/** An in-memory split for a fixture model: seeded inputs, labels = the model's clean predictions or random. */
export function fixtureSplit(
  model: AvModel,
  options: { size?: number; seed?: number; labels?: "predicted" | "random" } = {},
): { split: AvSplit; shape: BatchShape } {
  const { size = 10, seed = 0, labels = "predicted" } = options;
  const batch = linearBatch(model, { size, seed, labels });
  const audio = batch.audio.dataSync(),
    visual = batch.visual.dataSync(),
    labelValues = batch.labels.dataSync();
  const audioLength = batch.audio.shape[1];
  const imageShape: [number, number, number] = [
    batch.visual.shape[1],
    batch.visual.shape[2],
    batch.visual.shape[3],
  ];
  const frame = imageShape[0] * imageShape[1] * imageShape[2];
  tf.dispose([batch.audio, batch.visual, batch.labels]);
  const split: AvSplit = {
    size,
    labels: Int32Array.from(labelValues),
    sample: (index) =>
      Promise.resolve({
        id: `sample-${index}`,
        label: labelValues[index] ?? 0,
        audio: Float32Array.from(audio.subarray(index * audioLength, (index + 1) * audioLength)),
        visual: Float32Array.from(visual.subarray(index * frame, (index + 1) * frame)),
      }),
  };
  return { split, shape: { audioLength, imageShape } };
}
