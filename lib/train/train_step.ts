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
  /**
   * Most samples per forward/backward pass: a larger batch is split into near-equal micro-batches
   * (see {@linkcode microBatches}) whose gradients, each weighted by its share of the batch, are summed
   * into one update. @default the whole batch
   */
  microBatchSize?: number | null;
}

/**
 * Splits `size` rows into the fewest near-equal consecutive micro-batches of at most `most` rows.
 *
 * @returns `[start, rows]` pairs covering `0 … size − 1` in order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(microBatches(48, 20), [[0, 16], [16, 16], [32, 16]]);
 * assert.deepEqual(microBatches(5, 2), [[0, 2], [2, 2], [4, 1]]);
 * assert.deepEqual(microBatches(4, 8), [[0, 4]]);
 * ```
 */
export function microBatches(size: number, most: number): [number, number][] {
  if (!Number.isInteger(most) || most < 1) {
    throw new RangeError(
      `Cannot split a batch: the micro-batch size must be an integer >= 1, current value is ${most}`,
    );
  }
  const count = Math.ceil(size / most), base = Math.floor(size / count), extra = size % count;
  const out: [number, number][] = [];
  for (let k = 0, start = 0; k < count; k++) {
    const rows = base + (k < extra ? 1 : 0);
    out.push([start, rows]);
    start += rows;
  }
  return out;
}

function rowsOf(batch: AvBatch, start: number, rows: number): AvBatch {
  const take = <T extends tf.Tensor>(t: T): T => tf.slice(t, start, rows) as T;
  return { audio: take(batch.audio), visual: take(batch.visual), labels: take(batch.labels) };
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
  const { learningRates, auxiliaryLossWeight = 1, dissimilarityWeight = 0, microBatchSize } = options;
  if (!(dissimilarityWeight >= 0)) {
    throw new RangeError(
      `Cannot train: options.dissimilarityWeight must be >= 0, current value is ${dissimilarityWeight}`,
    );
  }
  const variables = [...model.trainable.audio, ...model.trainable.visual, ...model.trainable.fusion];
  const size = batch.labels.shape[0];
  const parts = microBatchSize ? microBatches(size, microBatchSize) : [[0, size] as [number, number]];
  let total: { value: tf.Scalar; grads: tf.NamedTensorMap; correct: tf.Scalar } | null = null;
  for (const [start, rows] of parts) {
    const part = parts.length === 1 ? batch : rowsOf(batch, start, rows);
    let output: AvOutput | undefined;
    let correct: tf.Scalar | undefined;
    // Each micro-batch's mean loss weighted by its share: the sum is the whole batch's mean loss.
    const { value, grads } = tf.variableGrads(() => {
      output = model.apply(part.audio, part.visual, { training: true, auxiliary: auxiliaryLossWeight > 0 });
      const logits = output.logits;
      correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), part.labels), "float32")));
      let loss = crossEntropy(logits, part.labels);
      for (const extra of output.auxiliaryLogits ?? []) {
        loss = tf.add(loss, tf.mul(crossEntropy(extra, part.labels), auxiliaryLossWeight));
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
      return parts.length === 1 ? loss : tf.mul(loss, rows / size);
    }, variables);
    if (output) disposeOutput(output);
    if (part !== batch) tf.dispose([part.audio, part.visual, part.labels]);
    const partCorrect = correct ?? tf.scalar(0);
    if (total === null) total = { value, grads, correct: partCorrect };
    else {
      const sum = (a: tf.Tensor, b: tf.Tensor | undefined): tf.Tensor => {
        const out = b ? tf.add(a, b) : a.clone();
        tf.dispose([a, b ?? []].flat());
        return out;
      };
      const accumulated: tf.NamedTensorMap = {};
      for (const [name, g] of Object.entries(total.grads)) accumulated[name] = sum(g, grads[name]);
      total = {
        value: sum(total.value, value) as tf.Scalar,
        correct: sum(total.correct, partCorrect) as tf.Scalar,
        grads: accumulated,
      };
    }
  }
  if (total === null) throw new RangeError("Cannot train on an empty batch");
  optimizer.apply(total.grads, learningRates);
  tf.dispose(Object.values(total.grads));
  return { loss: total.value, correct: total.correct };
}
