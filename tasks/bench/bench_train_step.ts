/**
 * Timing of training steps, for `deno task bench`.
 *
 * @module
 */
import { tf } from "../../lib/engine/tf.ts";
import { currentBackend } from "../../lib/engine/backend.ts";
import { createRng } from "../../lib/engine/random.ts";
import { createModel } from "../../lib/models/create_model.ts";
import type { ModelConfigInput } from "../../lib/models/config.ts";
import { disposeOutput } from "../../lib/models/dispose_output.ts";
import { learningRatesAt, resolveTrainConfig, type TrainConfigInput } from "../../lib/train/config.ts";
import { createOptimizer } from "../../lib/train/optimizer.ts";
import { trainStep } from "../../lib/train/train_step.ts";

/** Options of {@linkcode benchTrainStep}. */
export interface BenchTrainStepOptions {
  /** Samples per step. @default the training config's batch size */
  batchSize?: number;
  /** Timed steps. @default 5 */
  steps?: number;
  /** Untimed steps first. @default 2 */
  warmup?: number;
}

/** What {@linkcode benchTrainStep} measured. */
export interface TrainStepTiming {
  backend: string;
  batchSize: number;
  /** Mean wall time of a training step (forward, backward, update, loss read back). */
  trainStepMs: number;
  /** Mean wall time of an eval-mode forward pass of the same batch. */
  forwardMs: number;
  parameterCounts: Record<"audio" | "visual" | "fusion", number>;
  /** Whether `tf.memory().numTensors` was the same after the timed steps as before. */
  tensorCountStable: boolean;
}

/**
 * Times training steps of a model on random inputs of the configured shapes (on the current backend).
 *
 * @param modelConfig The model.
 * @param trainConfig The training recipe (optimizer, batch size).
 * @param options Batch size and step counts.
 * @returns Mean step and forward times.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { useBackend } from "../../lib/engine/mod.ts";
 * await useBackend("cpu");
 * const audio = { frontEnd: { kind: "waveform" as const }, stride: 2, widths: [2] };
 * const model = { kind: "audio" as const, numClasses: 2, audioLength: 64, audio };
 * const timing = await benchTrainStep(model, {}, { batchSize: 2, steps: 1, warmup: 0 });
 * assert.ok(timing.trainStepMs > 0);
 * ```
 */
export async function benchTrainStep(
  modelConfig: ModelConfigInput,
  trainConfig: TrainConfigInput = {},
  options: BenchTrainStepOptions = {},
): Promise<TrainStepTiming> {
  const train = resolveTrainConfig(trainConfig);
  const { batchSize = train.batchSize, steps = 5, warmup = 2 } = options;
  const model = createModel(modelConfig);
  const optimizer = createOptimizer(model, train.optimizer);
  const { audioLength, imageShape, numClasses } = model.config;
  const rng = createRng(train.seed);
  const audio = tf.tensor2d(Float32Array.from({ length: batchSize * audioLength }, () => rng.range(-1, 1)), [
    batchSize,
    audioLength,
  ]);
  const frameSize = imageShape[0] * imageShape[1] * imageShape[2];
  const visual = tf.tensor4d(Float32Array.from({ length: batchSize * frameSize }, () => rng.uniform()), [
    batchSize,
    ...imageShape,
  ]);
  const labels = tf.tensor1d(Int32Array.from({ length: batchSize }, (_, i) => i % numClasses), "int32");
  const batch = { audio, visual, labels };
  const learningRates = learningRatesAt(train, 0);
  const step = async () => {
    const { loss, correct } = trainStep(model, batch, optimizer, { learningRates });
    await loss.data();
    tf.dispose([loss, correct]);
  };
  try {
    for (let i = 0; i < warmup; i++) await step();
    const before = tf.memory().numTensors;
    let t0 = performance.now();
    for (let i = 0; i < steps; i++) await step();
    const trainStepMs = (performance.now() - t0) / steps;
    const tensorCountStable = tf.memory().numTensors === before;
    t0 = performance.now();
    for (let i = 0; i < steps; i++) {
      const output = model.apply(audio, visual);
      await output.logits.data();
      disposeOutput(output);
    }
    const forwardMs = (performance.now() - t0) / steps;
    return {
      backend: currentBackend()?.name ?? tf.getBackend(),
      batchSize,
      trainStepMs,
      forwardMs,
      parameterCounts: { ...model.parameterCounts },
      tensorCountStable,
    };
  } finally {
    tf.dispose([audio, visual, labels]);
    optimizer.dispose();
    model.dispose();
  }
}
