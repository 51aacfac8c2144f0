/**
 * The one definition of attack success.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";

/**
 * Whether each sample is adversarial: untargeted, the predicted class (argmax of the logits) differs
 * from the label; targeted, it equals the target. A sample the model already misclassifies is
 * adversarial with no perturbation.
 *
 * @param logits `[batch, numClasses]` logits.
 * @param labels `[batch]` int32 true labels.
 * @param targets `[batch]` int32 target classes for a targeted attack, or null/undefined.
 * @returns `[batch]` bool, owned by the caller.
 * @throws {TypeError} If the shapes disagree.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tf, useBackend } from "../engine/mod.ts";
 * await useBackend("cpu");
 * const logits = tf.tensor2d([[3, 1], [0, 2]]);
 * const labels = tf.tensor1d([0, 0], "int32");
 * assert.deepEqual(Array.from(await isAdversarial(logits, labels).data()), [0, 1]);
 * ```
 */
export function isAdversarial(
  logits: tf.Tensor2D,
  labels: tf.Tensor1D,
  targets?: tf.Tensor1D | null,
): tf.Tensor1D {
  if (logits.rank !== 2 || labels.rank !== 1 || logits.shape[0] !== labels.shape[0]) {
    throw new TypeError(
      `Cannot decide success: logits must be [batch, classes] and labels [batch], current shapes are [${logits.shape}] and [${labels.shape}]`,
    );
  }
  if (targets && targets.shape[0] !== labels.shape[0]) {
    throw new TypeError(
      `Cannot decide success: targets must be [${labels.shape[0]}], current shape is [${targets.shape}]`,
    );
  }
  return tf.tidy(() => {
    const predicted = tf.argMax(logits, 1);
    return targets
      ? tf.equal(predicted, tf.cast(targets, "int32"))
      : tf.notEqual(predicted, tf.cast(labels, "int32"));
  });
}
