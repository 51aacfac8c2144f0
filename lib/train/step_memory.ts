/**
 * How much tensor memory a training or attack step needs, measured at batch 1 and 2 and extrapolated
 * linearly, and the micro-batch that fits a backend's limit.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import type { BuiltModel } from "../models/create_model.ts";
import type { ModelConfig } from "../models/config.ts";
import { createOptimizer } from "./optimizer.ts";
import type { OptimizerConfig } from "./config.ts";
import { gibibytes } from "./progress.ts";
import { crossEntropy, trainStep } from "./train_step.ts";

/** Which step: a training step (forward and backward in training mode, one optimizer update) or an attack step (eval-mode forward and the gradient with respect to both inputs). */
export type MemoryStep = "train" | "attack";

/** A linear model of a step's peak tensor memory: `fixedBytes + batch · perSampleBytes`. */
export interface StepMemoryEstimate {
  step: MemoryStep;
  /** Memory that does not grow with the batch (weights, optimizer state, per-step constants). */
  fixedBytes: number;
  /** Memory added by each sample of the batch (activations kept for the backward pass). */
  perSampleBytes: number;
}

/** Bytes a step of `batch` samples needs under `estimate`. */
export function bytesAt(estimate: StepMemoryEstimate, batch: number): number {
  return estimate.fixedBytes + batch * estimate.perSampleBytes;
}

/**
 * The usable share of each backend's memory for tensors: wasm's 32-bit heap is 4 GiB, of which the
 * allocator's fragmentation and XNNPACK's work buffers take a part, so 3 GiB are planned for tensors.
 * Other backends have no fixed ceiling here (`Infinity`: the caller passes one, e.g. a GPU's memory).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(backendTensorLimit("wasm"), 3 * 2 ** 30);
 * ```
 */
export function backendTensorLimit(backend: string): number {
  return backend === "wasm" ? 3 * 2 ** 30 : Infinity;
}

function zerosInputs(config: ModelConfig, batch: number) {
  const [height, width, channels] = config.imageShape;
  return {
    audio: tf.zeros([batch, config.audioLength]) as tf.Tensor2D,
    visual: tf.fill([batch, height, width, channels], 0.5) as tf.Tensor4D,
    labels: tf.zeros([batch], "int32") as tf.Tensor1D,
  };
}

async function peakBytes(
  model: BuiltModel,
  step: MemoryStep,
  batch: number,
  optimizer: OptimizerConfig,
): Promise<number> {
  const inputs = zerosInputs(model.config, batch);
  try {
    if (step === "train") {
      // A throwaway optimizer with the real one's state size; its first update creates that state.
      const opt = createOptimizer(model, optimizer);
      const snapshot = [...model.trainable.audio, ...model.trainable.visual, ...model.trainable.fusion].map((
        v,
      ) => tf.clone(v));
      try {
        const info = await tf.profile(() => {
          const { loss, correct } = trainStep(model, inputs, opt, {
            learningRates: { audio: 0, visual: 0, fusion: 0 },
          });
          tf.dispose([loss, correct]);
        });
        return info.peakBytes;
      } finally {
        // Learning rate 0 still moves weights under weight decay or momentum: put them back.
        const variables = [...model.trainable.audio, ...model.trainable.visual, ...model.trainable.fusion];
        variables.forEach((v, i) => v.assign(snapshot[i] as tf.Tensor));
        tf.dispose(snapshot);
        opt.dispose();
      }
    }
    const info = await tf.profile(() => {
      const grads = tf.grads((audio: tf.Tensor, visual: tf.Tensor) => {
        const output = model.apply(audio as tf.Tensor2D, visual as tf.Tensor4D, { training: false });
        return tf.sum(crossEntropy(output.logits, inputs.labels));
      })([inputs.audio, inputs.visual]);
      tf.dispose(grads);
    });
    return info.peakBytes;
  } finally {
    tf.dispose([inputs.audio, inputs.visual, inputs.labels]);
  }
}

/**
 * Estimates a step's peak tensor memory by running it at batch 1 and 2 under `tf.profile` (all live
 * tensors counted: weights, optimizer state, activations) and extrapolating linearly. Costs two small
 * steps; the model's weights are left as they were.
 *
 * @param model The model (its batch-norm running statistics may move slightly in a train probe).
 * @param step `train` or `attack`.
 * @param options The optimizer whose state a train step allocates.
 * @returns The linear estimate.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { useBackend } from "../engine/mod.ts";
 * import { createModel } from "../models/mod.ts";
 * await useBackend("cpu");
 * const model = createModel({ kind: "av", fusion: "concat", numClasses: 3 });
 * const estimate = await estimateStepMemory(model, "attack");
 * assert.ok(estimate.perSampleBytes > 0 && estimate.fixedBytes > 0);
 * model.dispose();
 * ```
 */
export async function estimateStepMemory(
  model: BuiltModel,
  step: MemoryStep,
  options: { optimizer?: OptimizerConfig } = {},
): Promise<StepMemoryEstimate> {
  const optimizer = options.optimizer ?? { kind: "sgd", momentum: 0.9, weightDecay: 0 };
  const one = await peakBytes(model, step, 1, optimizer);
  const two = await peakBytes(model, step, 2, optimizer);
  const perSampleBytes = Math.max(two - one, 1);
  return { step, fixedBytes: Math.max(one - perSampleBytes, 0), perSampleBytes };
}

/** Thrown when not even one sample's step fits the memory limit. */
export class StepMemoryError extends Error {
  /**
   * @param estimate The step's estimate.
   * @param limitBytes The limit it had to fit.
   */
  constructor(readonly estimate: StepMemoryEstimate, readonly limitBytes: number) {
    super(
      `Cannot fit a ${estimate.step} step: one sample needs about ${
        gibibytes(bytesAt(estimate, 1))
      } of tensors ` +
        `(${gibibytes(estimate.fixedBytes)} fixed + ${
          gibibytes(estimate.perSampleBytes)
        } per sample), the backend's ` +
        `limit is ${
          gibibytes(limitBytes)
        }; use smaller frames or waveforms (the model config), a smaller model ` +
        `preset, or a backend without the 4 GiB wasm heap (--backend webgpu or tensorflow)`,
    );
    this.name = "StepMemoryError";
  }
}

/**
 * The largest micro-batch of at most `batch` samples whose step fits `limitBytes`.
 *
 * @throws {StepMemoryError} If one sample does not fit.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const estimate = { step: "train" as const, fixedBytes: 100, perSampleBytes: 10 };
 * assert.equal(fittingMicroBatch(estimate, 48, 260), 16);
 * assert.equal(fittingMicroBatch(estimate, 8, 1e9), 8);
 * assert.throws(() => fittingMicroBatch(estimate, 8, 105));
 * ```
 */
export function fittingMicroBatch(estimate: StepMemoryEstimate, batch: number, limitBytes: number): number {
  const most = Math.floor((limitBytes - estimate.fixedBytes) / estimate.perSampleBytes);
  if (most < 1) throw new StepMemoryError(estimate, limitBytes);
  if (most >= batch) return batch;
  // The fewest micro-batches that fit, each as large as the split makes it (near-equal parts).
  return Math.ceil(batch / Math.ceil(batch / most));
}

/** What {@linkcode planStepBatch} chose. */
export interface StepBatchPlan {
  /** Samples per step: the batch asked for when it fits, else the largest near-equal part that does. */
  batch: number;
  /** Estimated tensor bytes of one step over the batch asked for. */
  batchBytes: number;
  /** The limit it was planned against. */
  limitBytes: number;
}

/**
 * Estimates a step of `batch` samples ({@linkcode estimateStepMemory}) and fits it to the backend's
 * tensor limit ({@linkcode fittingMicroBatch}): the training loop's micro-batches and the attack stage's
 * batches both come from here.
 *
 * @param model The model.
 * @param step `train` or `attack`.
 * @param batch The batch asked for.
 * @param options The limit (default: the current backend's) and the optimizer whose state a train step
 * allocates.
 * @throws {StepMemoryError} If one sample does not fit.
 */
export async function planStepBatch(
  model: BuiltModel,
  step: MemoryStep,
  batch: number,
  options: { limitBytes?: number; optimizer?: OptimizerConfig } = {},
): Promise<StepBatchPlan> {
  const limitBytes = options.limitBytes ?? backendTensorLimit(tf.getBackend());
  const estimate = await estimateStepMemory(
    model,
    step,
    options.optimizer ? { optimizer: options.optimizer } : {},
  );
  return {
    batch: fittingMicroBatch(estimate, batch, limitBytes),
    batchBytes: bytesAt(estimate, batch),
    limitBytes,
  };
}
