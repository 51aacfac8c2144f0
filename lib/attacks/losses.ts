/**
 * Built-in attack losses: per-sample functions of a forward pass and labels.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import type { AvOutput } from "../models/types.ts";
import { rowCosine } from "./_reduce.ts";
import type { LossFunction, LossName } from "./types.ts";

function crossEntropy(output: AvOutput, labels: tf.Tensor1D): tf.Tensor1D {
  const { logits } = output;
  const oneHot = tf.oneHot(tf.cast(labels, "int32"), logits.shape[1]);
  return tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1));
}

function margin(output: AvOutput, labels: tf.Tensor1D): tf.Tensor1D {
  const { logits } = output;
  const oneHot = tf.oneHot(tf.cast(labels, "int32"), logits.shape[1]);
  const own = tf.sum(tf.mul(oneHot, logits), 1);
  const others = tf.where(tf.cast(oneHot, "bool"), tf.fill(logits.shape, -Infinity), logits);
  return tf.sub(tf.max(others, 1), own);
}

function crossEntropyCosine(output: AvOutput, labels: tf.Tensor1D): tf.Tensor1D {
  const { audioFeatures, visualFeatures } = output;
  if (audioFeatures === null || visualFeatures === null) {
    throw new TypeError(
      "Cannot compute loss 'crossEntropyCosine': the model must return audio and visual features",
    );
  }
  if (audioFeatures.shape[1] !== visualFeatures.shape[1]) {
    throw new TypeError(
      `Cannot compute loss 'crossEntropyCosine': audio and visual features must have the same width, current widths are ${
        audioFeatures.shape[1]
      } and ${visualFeatures.shape[1]}`,
    );
  }
  return tf.add(crossEntropy(output, labels), rowCosine(audioFeatures, visualFeatures));
}

/**
 * The built-in losses, by name.
 * - `crossEntropy`: softmax cross-entropy, the paper's attack objective.
 * - `margin`: max_{j≠y} z_j − z_y (Carlini-Wagner margin on logits; positive once misclassified).
 * - `crossEntropyCosine`: cross-entropy + cos(f_a, f_v), the adaptive objective the paper used against
 *   its dissimilarity defense (the attacker also pushes the two embeddings together).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tf, useBackend } from "../engine/mod.ts";
 * await useBackend("cpu");
 * const output = { logits: tf.tensor2d([[2, 0]]), audioFeatures: null, visualFeatures: null, visualMap: null };
 * const loss = LOSSES.margin(output, tf.tensor1d([0], "int32"));
 * assert.deepEqual(Array.from(await loss.data()), [-2]);
 * ```
 */
export const LOSSES: Readonly<Record<LossName, LossFunction>> = Object.freeze({
  crossEntropy,
  margin,
  crossEntropyCosine,
});

/**
 * A loss option as a function.
 *
 * @param loss A built-in name or a function.
 * @returns The function.
 * @throws {RangeError} If the name is not a built-in.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(resolveLoss("crossEntropy"), LOSSES.crossEntropy);
 * ```
 */
export function resolveLoss(loss: LossName | LossFunction = "crossEntropy"): LossFunction {
  if (typeof loss === "function") return loss;
  const fn = LOSSES[loss];
  if (fn === undefined) {
    throw new RangeError(
      `Cannot resolve loss: it must be one of ${Object.keys(LOSSES).join(", ")}, current value is '${loss}'`,
    );
  }
  return fn;
}

/**
 * A JSON-serialisable name of a loss option, for configs and cache keys (`custom:<name>` for functions).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(lossId(function myLoss() { throw new Error(); }), "custom:myLoss");
 * ```
 */
export function lossId(loss: LossName | LossFunction = "crossEntropy"): string {
  return typeof loss === "function" ? `custom:${loss.name || "anonymous"}` : loss;
}
