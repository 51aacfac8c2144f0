/**
 * Model-level measurements that feed the gradient-masking and determinism checks.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import type { AvBatch } from "../data/batch.ts";
import type { AvModel } from "../models/types.ts";
import { checkDeterministic, checkLogits, checkZeroGradient } from "./checks.ts";
import type { CheckResult } from "./types.ts";

/** What {@linkcode probeModel} measured. */
export interface ModelProbe {
  /** Largest absolute logit difference between two forward passes on the same inputs. */
  maxLogitDifference: number;
  /** The first pass's outputs, row-major `[batch, numClasses]`. */
  logits: Float32Array;
  numClasses: number;
  /** Correctly classified samples, and how many of them have an all-zero input gradient of the CE loss. */
  correctSamples: number;
  zeroGradientSamples: number;
  /** The checks these numbers decide: deterministic, logits, zero-gradient. */
  checks: CheckResult[];
}

/**
 * Runs two forward passes and one input gradient of the cross-entropy (w.r.t. the modalities the model
 * reads) on a batch, and applies the model-level checks.
 *
 * @param model The model (eval mode).
 * @param batch A batch; not disposed.
 * @returns The measurements and their checks.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { useBackend } from "../engine/mod.ts";
 * import { linearModel, linearBatch } from "../models/toy_models.ts";
 * await useBackend("cpu");
 * const model = linearModel({ seed: 1 });
 * const probe = await probeModel(model, linearBatch(model, { seed: 2 }));
 * assert.ok(probe.checks.every((c) => c.ok));
 * ```
 */
export async function probeModel(model: AvModel, batch: AvBatch): Promise<ModelProbe> {
  const numClasses = model.config.numClasses;
  const reads = new Set(model.modalities);
  const { first, difference, zero, correct } = tf.tidy(() => {
    const first = model.apply(batch.audio, batch.visual, { training: false }).logits;
    const second = model.apply(batch.audio, batch.visual, { training: false }).logits;
    const labels = tf.cast(batch.labels, "int32");
    const loss = (audio: tf.Tensor, visual: tf.Tensor) => {
      const logits =
        model.apply(tf.reshape(audio, batch.audio.shape), tf.reshape(visual, batch.visual.shape)).logits;
      return tf.sum(tf.neg(tf.sum(tf.mul(tf.oneHot(labels, numClasses), tf.logSoftmax(logits)), 1)));
    };
    const inputs = [batch.audio, batch.visual];
    const wanted = [reads.has("audio"), reads.has("visual")];
    const grads = tf.grads((...xs: tf.Tensor[]) => {
      let k = 0;
      const [audio, visual] = inputs.map((x, i) => (wanted[i] ? xs[k++] ?? x : x));
      return loss(audio ?? batch.audio, visual ?? batch.visual);
    })(inputs.filter((_, i) => wanted[i]));
    const perSample = grads
      .map((g) => tf.sum(tf.abs(g), Array.from({ length: g.rank - 1 }, (_, i) => i + 1)))
      .reduce((a, b) => tf.add(a, b), tf.zeros([batch.labels.shape[0]]));
    const correct = tf.equal(tf.argMax(first, 1), labels);
    const zero = tf.logicalAnd(correct, tf.equal(perSample, 0));
    return {
      first,
      difference: tf.max(tf.abs(tf.sub(first, second))),
      zero: tf.sum(tf.cast(zero, "int32")),
      correct: tf.sum(tf.cast(correct, "int32")),
    };
  });
  const [logits, [maxLogitDifference = NaN], [zeroGradientSamples = 0], [correctSamples = 0]] = await Promise
    .all([
      first.data(),
      difference.data(),
      zero.data(),
      correct.data(),
    ]);
  tf.dispose([first, difference, zero, correct]);
  const logitsArray = new Float32Array(logits);
  return {
    maxLogitDifference,
    logits: logitsArray,
    numClasses,
    correctSamples,
    zeroGradientSamples,
    checks: [
      checkDeterministic(maxLogitDifference),
      checkLogits(logitsArray, numClasses),
      checkZeroGradient(zeroGradientSamples, correctSamples),
    ],
  };
}
