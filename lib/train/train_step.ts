/**
 * One optimisation step.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import type { AvBatch } from "../data/batch.ts";
import { disposeOutput } from "../models/dispose_output.ts";
import type { AvModel, AvOutput, ModuleName } from "../models/types.ts";
import type { Optimizer } from "./optimizer.ts";

/** Options of {@linkcode trainStep}. */
export interface TrainStepOptions {
  /** Learning rate per parameter group. */
  learningRates: Readonly<Record<ModuleName, number>>;
  /** Weight of the cross-entropy of each auxiliary logit set (late fusion). @default 1 */
  auxiliaryLossWeight?: number;
  /**
   * λ of the dissimilarity constraint (the paper's "MinSim" training): adds λ · mean cos(f_v, f_a) of the
   * audio and visual embeddings; the paper uses λ = 1. @default 0
   */
  dissimilarityWeight?: number;
}

/** What a step measured, as scalars owned by the caller. */
export interface TrainStepResult {
  /** Mean training loss of the batch (before the update). */
  loss: tf.Scalar;
  /** Number of correctly classified samples of the batch (before the update). */
  correct: tf.Scalar;
}

/**
 * Mean softmax cross-entropy of logits against integer labels.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tf, useBackend } from "../engine/mod.ts";
 * await useBackend("cpu");
 * const loss = crossEntropy(tf.tensor2d([[0, 0]]), tf.tensor1d([1], "int32"));
 * assert.ok(Math.abs((await loss.data())[0]! - Math.log(2)) < 1e-6);
 * ```
 */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const oneHot = tf.oneHot(labels, logits.shape[1]);
    return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1)));
  });
}

/**
 * Mean cosine similarity of the rows of two `[batch, dim]` embeddings, the paper's dissimilarity term.
 *
 * @throws {TypeError} If the embeddings differ in shape.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tf, useBackend } from "../engine/mod.ts";
 * await useBackend("cpu");
 * const similarity = meanCosine(tf.tensor2d([[1, 0], [0, 2]]), tf.tensor2d([[3, 0], [0, -1]]));
 * assert.equal((await similarity.data())[0], 0);
 * ```
 */
export function meanCosine(audioFeatures: tf.Tensor2D, visualFeatures: tf.Tensor2D): tf.Scalar {
  if (audioFeatures.shape.join() !== visualFeatures.shape.join()) {
    throw new TypeError(
      `Cannot compute the dissimilarity term: audio and visual features must share a shape, current shapes are [${audioFeatures.shape}] and [${visualFeatures.shape}]`,
    );
  }
  return tf.tidy(() => {
    const dot = tf.sum(tf.mul(audioFeatures, visualFeatures), 1);
    // The small offset keeps the gradient finite for an all-zero embedding.
    const norms = tf.sqrt(
      tf.add(tf.mul(tf.sum(tf.square(audioFeatures), 1), tf.sum(tf.square(visualFeatures), 1)), 1e-24),
    );
    return tf.mean(tf.div(dot, norms));
  });
}

/**
 * Runs one training step: forward in training mode (batch norm uses batch statistics and updates its
 * running averages), cross-entropy (+ weighted auxiliary cross-entropies, + λ · mean cos(f_v, f_a) with a dissimilarity
 * weight λ > 0), gradients of every trainable
 * variable, one optimizer update.
 *
 * @param model The model.
 * @param batch Inputs and labels; not disposed.
 * @param optimizer The optimizer bound to `model`.
 * @param options Learning rates and the auxiliary weight.
 * @returns Loss and number correct, owned by the caller.
 *
 * @example
 * ```ts ignore
 * const learningRates = { audio: 1e-3, visual: 1e-3, fusion: 1e-3 };
 * const { loss, correct } = trainStep(model, batch, optimizer, { learningRates });
 * console.log(await loss.data());
 * tf.dispose([loss, correct]);
 * ```
 */
export function trainStep(
  model: AvModel,
  batch: AvBatch,
  optimizer: Optimizer,
  options: TrainStepOptions,
): TrainStepResult {
  const { learningRates, auxiliaryLossWeight = 1, dissimilarityWeight = 0 } = options;
  if (!(dissimilarityWeight >= 0)) {
    throw new RangeError(
      `Cannot train: options.dissimilarityWeight must be >= 0, current value is ${dissimilarityWeight}`,
    );
  }
  const variables = [...model.trainable.audio, ...model.trainable.visual, ...model.trainable.fusion];
  let output: AvOutput | undefined;
  let correct: tf.Scalar | undefined;
  const { value, grads } = tf.variableGrads(() => {
    output = model.apply(batch.audio, batch.visual, { training: true, auxiliary: auxiliaryLossWeight > 0 });
    const logits = output.logits;
    correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), batch.labels), "float32")));
    let loss = crossEntropy(logits, batch.labels);
    for (const extra of output.auxiliaryLogits ?? []) {
      loss = tf.add(loss, tf.mul(crossEntropy(extra, batch.labels), auxiliaryLossWeight));
    }
    if (dissimilarityWeight > 0) {
      const { audioFeatures, visualFeatures } = output;
      if (audioFeatures === null || visualFeatures === null) {
        throw new TypeError(
          "Cannot train with a dissimilarity weight: the model must return both embeddings",
        );
      }
      loss = tf.add(loss, tf.mul(meanCosine(audioFeatures, visualFeatures), dissimilarityWeight));
    }
    return loss;
  }, variables);
  if (output) disposeOutput(output);
  optimizer.apply(grads, learningRates);
  tf.dispose(grads);
  return { loss: value, correct: correct ?? tf.scalar(0) };
}
