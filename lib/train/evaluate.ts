/**
 * Clean accuracy of a model on a split.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import { type BatchShape, disposeBatch, loadBatch } from "../data/batch.ts";
import type { AvSplit } from "../data/types.ts";
import { disposeOutput } from "../models/dispose_output.ts";
import type { AvModel } from "../models/types.ts";
import { crossEntropy } from "./train_step.ts";

/** Options of {@linkcode evaluateAccuracy}. */
export interface EvaluateOptions {
  /** Samples per forward pass. @default 64 */
  batchSize?: number;
  /** Evaluate only the first `limit` samples. @default the whole split */
  limit?: number;
  /** Called after each batch with the samples done so far and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** What {@linkcode evaluateAccuracy} measured. */
export interface Evaluation {
  /** Fraction correct in [0, 1] (0 for an empty split). */
  accuracy: number;
  /** Mean cross-entropy. */
  loss: number;
  /** Samples evaluated. */
  count: number;
  /** Predicted class per sample, in split order. */
  predictions: Int32Array;
}

/**
 * Evaluates a model in eval mode (running batch-norm statistics, no augmentation), in split order.
 *
 * @param model The model.
 * @param split The split to read.
 * @param shape Input sizes; an {@linkcode AvDataset} works.
 * @param options Batch size, limit, progress.
 * @returns Accuracy, loss and predictions.
 * @throws {RangeError} If `batchSize` or `limit` is out of range.
 *
 * @example
 * ```ts ignore
 * const { accuracy } = await evaluateAccuracy(model, dataset.splits.test, dataset);
 * ```
 */
export async function evaluateAccuracy(
  model: AvModel,
  split: AvSplit,
  shape: BatchShape,
  options: EvaluateOptions = {},
): Promise<Evaluation> {
  const { batchSize = 64, limit = split.size, onProgress } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`Cannot evaluate: batchSize must be an integer >= 1, current value is ${batchSize}`);
  }
  if (!Number.isInteger(limit) || limit < 0) {
    throw new RangeError(`Cannot evaluate: limit must be an integer >= 0, current value is ${limit}`);
  }
  const total = Math.min(limit, split.size);
  const predictions = new Int32Array(total);
  let correct = 0, lossSum = 0;
  for (let start = 0; start < total; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, total - start) }, (_, i) => start + i);
    const batch = await loadBatch(split, indices, shape);
    try {
      const [predicted, loss] = tf.tidy(() => {
        const output = model.apply(batch.audio, batch.visual);
        const result = [
          tf.argMax(output.logits, 1),
          tf.mul(crossEntropy(output.logits, batch.labels), indices.length),
        ];
        disposeOutput(output);
        return result;
      }) as [tf.Tensor1D, tf.Scalar];
      const values = await predicted.data();
      const lossValue = (await loss.data())[0] ?? 0;
      tf.dispose([predicted, loss]);
      const labels = await batch.labels.data();
      for (let i = 0; i < indices.length; i++) {
        predictions[start + i] = values[i] ?? -1;
        if (values[i] === labels[i]) correct++;
      }
      lossSum += lossValue;
    } finally {
      disposeBatch(batch);
    }
    onProgress?.(start + indices.length, total);
  }
  return {
    accuracy: total > 0 ? correct / total : 0,
    loss: total > 0 ? lossSum / total : 0,
    count: total,
    predictions,
  };
}
