/**
 * Per-sample reductions: every reduction runs over all axes but the batch axis, never over
 * hard-coded image or audio axes.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";

/** The axes of `x` other than the batch axis. */
export function sampleAxes(x: tf.Tensor): number[] {
  return Array.from({ length: x.rank - 1 }, (_, i) => i + 1);
}

/** Sum over all axes but the batch axis: `[batch]`. */
export function perSampleSum(x: tf.Tensor): tf.Tensor {
  return tf.sum(x, sampleAxes(x));
}

/** Max over all axes but the batch axis: `[batch]`. */
export function perSampleMax(x: tf.Tensor): tf.Tensor {
  return tf.max(x, sampleAxes(x));
}

/** Reshapes a `[batch]` vector so it broadcasts against a tensor of rank `rank`. */
export function toBatchShape(v: tf.Tensor, rank: number): tf.Tensor {
  return tf.reshape(v, [v.shape[0], ...Array.from({ length: rank - 1 }, () => 1)]);
}

/** Per-sample L2 norm `[batch]`. */
export function perSampleL2(x: tf.Tensor): tf.Tensor {
  return tf.sqrt(perSampleSum(tf.square(x)));
}

/** Per-sample cosine similarity of two `[batch, dim]` matrices. */
export function rowCosine(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor {
  const dot = tf.sum(tf.mul(a, b), 1);
  // The small offset keeps the gradient finite for an all-zero feature vector.
  const norms = tf.sqrt(tf.add(tf.mul(tf.sum(tf.square(a), 1), tf.sum(tf.square(b), 1)), 1e-24));
  return tf.div(dot, norms);
}

/** `items[index]`, or a RangeError naming the index (for arrays indexed in lock-step). */
export function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) {
    throw new RangeError(`Cannot read item ${index}: the array has ${items.length} items`);
  }
  return item;
}
