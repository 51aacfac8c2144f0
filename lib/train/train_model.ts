/**
 * The training loop: seeded shuffling and augmentation, per-module learning rates with a step schedule,
 * validation each epoch, best-validation checkpointing, and resume after interruption.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import { createRng } from "../engine/random.ts";
import { type AvBatch, disposeBatch, loadBatch } from "../data/batch.ts";
import type { AvDataset } from "../data/types.ts";
import { DataFormatError } from "../data/errors.ts";
import { type BuiltModel, createModel } from "../models/create_model.ts";
import { loadTorchvisionResnet18 } from "../models/torchvision_resnet18.ts";
import type { ModelConfig } from "../models/config.ts";
import type { AvModel } from "../models/types.ts";
import { learningRatesAt, type TrainConfig } from "./config.ts";
import { evaluateAccuracy } from "./evaluate.ts";
import { createOptimizer } from "./optimizer.ts";
import type { EpochRecord, TrainProgress } from "./progress.ts";
import { saveCheckpoint } from "./checkpoint.ts";
import { trainStep } from "./train_step.ts";
import { planStepBatch } from "./step_memory.ts";
import {
  type BestRecord,
  loadTrainState,
  type RunIdentity,
  saveTrainState,
  type TrainState,
} from "./_train_state.ts";
import { readBestSnapshot, restoreSnapshot, snapshotWeights, type WeightSnapshot } from "./_snapshot.ts";
import { resolveConfigs, type TrainModelConfig } from "./_resolve_configs.ts";

export type { TrainModelConfig };

/** Options of {@linkcode trainModel}. */
export interface TrainModelOptions {
  /**
   * Folder for `best/` (the best-validation checkpoint) and `state/` (resume state).
   * @default none: nothing is written
   */
  outDir?: string;
  /** Continue from `outDir/state` when it exists. @default true */
  resume?: boolean;
  /** Progress events (steps, epochs, resume). */
  onProgress?: (event: TrainProgress) => void;
  /** Stop once this many epochs are finished in total (the state is saved), as an interruption would. */
  stopAfterEpochs?: number;
  /** Aborting stops the run before the next step; the last finished epoch's state is kept. */
  signal?: AbortSignal;
  /** Evaluate the test split with the best weights when done (saved in `best/`). @default false */
  evaluateTest?: boolean;
  /**
   * A checkpoint folder (one `saveCheckpoint` wrote, e.g. another run's `best/`) whose weights the model
   * starts from instead of its seeded initialisation: fine-tuning. Its config must build the same
   * variables. Callers key their caches by it. @default none: train from scratch
   */
  initialCheckpoint?: string;
  /**
   * torchvision `resnet18` weights (safetensors) the visual encoder starts from, with the SHA-256 the
   * caller keyed its cache by (the file must still have it). @default none: the seeded initialisation
   */
  initialVisualWeights?: { path: string; sha256: string };
  /**
   * Wraps the model for every training step and evaluation (a defense that transforms embeddings, such as
   * lib/defense's `defendModel`); the checkpoints hold the wrapped model's own weights. Not disposed.
   * @default the model itself
   */
  wrap?: (model: AvModel) => AvModel;
  /**
   * Adversarial training: the inputs each step trains on instead of the clean batch (e.g. PGD on the
   * eval-mode model, as Madry et al.); called with the (wrapped) model, the clean batch and the step.
   * The returned tensors are disposed after the step. lib/train cannot import lib/attacks, so the attack
   * comes in as a function (lib/report's defense stage passes a registered attack). @default clean batches
   */
  perturb?: (
    model: AvModel,
    batch: AvBatch,
    at: { epoch: number; step: number },
  ) => Promise<{ audio: tf.Tensor2D; visual: tf.Tensor4D }>;
  /**
   * Tensor memory a step may use when the config's `microBatchSize` is `"auto"`.
   * @default the backend's ({@linkcode backendTensorLimit}: 3 GiB on wasm, unlimited elsewhere)
   */
  memoryLimitBytes?: number;
}

/** The micro-batch of `"auto"`: null when the whole batch fits `limit`, else the largest that does. */
async function planMicroBatch(
  model: BuiltModel,
  train: TrainConfig,
  limit: number | undefined,
  onProgress: TrainModelOptions["onProgress"],
): Promise<number | null> {
  const plan = await planStepBatch(model, "train", train.batchSize, {
    ...(limit !== undefined ? { limitBytes: limit } : {}),
    optimizer: train.optimizer,
  });
  const micro = plan.batch;
  onProgress?.({
    kind: "memory",
    batchBytes: plan.batchBytes,
    limitBytes: plan.limitBytes,
    batchSize: train.batchSize,
    microBatchSize: micro,
  });
  return micro < train.batchSize ? micro : null;
}

/** What {@linkcode trainModel} returns. */
export interface TrainResult {
  /** The model with the best-validation weights (owned by the caller). */
  model: BuiltModel;
  config: { model: ModelConfig; train: TrainConfig };
  history: EpochRecord[];
  best: BestRecord | null;
  /** False when stopped early (`stopAfterEpochs`, `signal`). */
  completed: boolean;
  /** Epochs that were already finished when the run resumed, or null. */
  resumedFrom: number | null;
  /** Test accuracy of the best weights, when asked for. */
  testAccuracy: number | null;
}

/**
 * Trains a model on a dataset and returns it with its best-validation weights.
 *
 * Epoch `e` shuffles with `createRng(seed).fork("shuffle/e")` and augments with `fork("augment/e")`, so a
 * run resumed from its per-epoch state (weights, batch-norm statistics, optimizer state, history) is
 * bit-identical to an uninterrupted one. A state of another config or dataset is refused with
 * {@linkcode CheckpointMismatchError} (pass `resume: false` to start over).
 *
 * @param dataset The dataset (train and val splits are used; test with `evaluateTest`).
 * @param config Model and training settings (presets fill the rest).
 * @param options Output folder, resume, progress, early stop.
 * @returns The trained model and the run's record.
 * @throws {RangeError} If the config does not fit the dataset or the train split is smaller than a batch.
 *
 * @example
 * ```ts ignore
 * const dataset = await loadBuiltin("av-digits");
 * const config = { model: { kind: "av", fusion: "concat" } } as const;
 * const { model, best } = await trainModel(dataset, config, { outDir: ".cache/checkpoints/demo" });
 * ```
 */
export async function trainModel(
  dataset: AvDataset,
  config: TrainModelConfig,
  options: TrainModelOptions = {},
): Promise<TrainResult> {
  const { outDir, resume = true, onProgress, stopAfterEpochs, signal, evaluateTest = false } = options;
  const autoMicroBatch = config.train?.microBatchSize === "auto";
  const configs = resolveConfigs(
    dataset,
    autoMicroBatch ? { ...config, train: { ...config.train, microBatchSize: null } } : config,
  );
  const train = configs.train;
  const trainSplit = dataset.splits.train, valSplit = dataset.splits.val;
  const steps = train.dropLast
    ? Math.floor(trainSplit.size / train.batchSize)
    : Math.ceil(trainSplit.size / train.batchSize);
  if (steps < 1) {
    throw new RangeError(
      `Cannot train on '${dataset.name}': the train split has ${trainSplit.size} samples, ` +
        `fewer than one batch ` +
        `of ${train.batchSize}`,
    );
  }
  const model = createModel(configs.model);
  if (autoMicroBatch) {
    try {
      train.microBatchSize = await planMicroBatch(model, train, options.memoryLimitBytes, onProgress);
    } catch (error) {
      model.dispose();
      throw error;
    }
  }
  const identity: RunIdentity = { config: configs.model, trainConfig: train, datasetHash: dataset.hash };
  const optimizer = createOptimizer(model, train.optimizer);
  const forward = options.wrap ? options.wrap(model) : model;
  let state: TrainState = { epochsDone: 0, iterations: 0, history: [], best: null };
  let bestWeights: WeightSnapshot | null = null;
  let resumedFrom: number | null = null;
  try {
    if (options.initialCheckpoint) {
      restoreSnapshot(model, await readBestSnapshot(options.initialCheckpoint, model));
    }
    if (options.initialVisualWeights) {
      const { path, sha256 } = options.initialVisualWeights;
      const found = await loadTorchvisionResnet18(model, path);
      if (found !== sha256) {
        throw new DataFormatError(
          path,
          `Cannot start from these visual weights: the file's SHA-256 is ${
            found.slice(0, 12)
          }…, the run was ` +
            `keyed by ${sha256.slice(0, 12)}… (the file changed)`,
        );
      }
    }
    if (outDir && resume) {
      const loaded = await loadTrainState(`${outDir}/state`, model, optimizer, identity);
      if (loaded) {
        state = loaded;
        resumedFrom = state.epochsDone;
        if (state.best) bestWeights = await readBestSnapshot(`${outDir}/best`, model);
        onProgress?.({ kind: "resume", epoch: state.epochsDone, epochs: train.epochs });
      }
    }
    const valBatches = Math.ceil(valSplit.size / train.evaluationBatchSize);
    let stepSeconds = 0, stepsTimed = 0, valSeconds = 0, valsTimed = 0;
    const eta = (epoch: number, stepsLeftInEpoch: number, valPending: boolean) => {
      const perStep = stepsTimed > 0 ? stepSeconds / stepsTimed : 0;
      const perVal = valsTimed > 0 ? valSeconds / valsTimed : perStep * valBatches * 0.3;
      const epochsAfter = train.epochs - epoch - 1;
      return stepsLeftInEpoch * perStep + (valPending ? perVal : 0) +
        epochsAfter * (steps * perStep + perVal);
    };
    const start = performance.now();
    let completed = true;
    for (let epoch = state.epochsDone; epoch < train.epochs; epoch++) {
      if ((stopAfterEpochs !== undefined && epoch >= stopAfterEpochs) || signal?.aborted) {
        completed = false;
        break;
      }
      const epochStart = performance.now();
      const learningRates = learningRatesAt(train, epoch);
      const root = createRng(train.seed);
      const order = root.fork(`shuffle/${epoch}`).shuffle(
        Array.from({ length: trainSplit.size }, (_, i) => i),
      );
      const sampleOptions = train.augment ? { augment: true, rng: root.fork(`augment/${epoch}`) } : {};
      let lossSum = 0, correct = 0, seen = 0;
      for (let step = 0; step < steps; step++) {
        if (signal?.aborted) break;
        const t0 = performance.now();
        const indices = order.slice(step * train.batchSize, (step + 1) * train.batchSize);
        const batch = await loadBatch(trainSplit, indices, dataset, sampleOptions);
        const attacked = options.perturb ? await options.perturb(forward, batch, { epoch, step }) : null;
        try {
          const result = trainStep(forward, attacked ? { ...batch, ...attacked } : batch, optimizer, {
            learningRates,
            auxiliaryLossWeight: train.auxiliaryLossWeight,
            dissimilarityWeight: train.dissimilarityWeight,
            microBatchSize: train.microBatchSize,
          });
          lossSum += ((await result.loss.data())[0] ?? 0) * indices.length;
          correct += (await result.correct.data())[0] ?? 0;
          tf.dispose([result.loss, result.correct]);
        } finally {
          disposeBatch(batch);
          if (attacked) tf.dispose([attacked.audio, attacked.visual]);
        }
        seen += indices.length;
        stepSeconds += (performance.now() - t0) / 1000;
        stepsTimed++;
        onProgress?.({
          kind: "step",
          epoch,
          epochs: train.epochs,
          step: step + 1,
          steps,
          loss: lossSum / seen,
          accuracy: correct / seen,
          elapsedSeconds: (performance.now() - start) / 1000,
          etaSeconds: eta(epoch, steps - step - 1, true),
        });
      }
      if (signal?.aborted) {
        completed = false;
        break;
      }
      const v0 = performance.now();
      const val = await evaluateAccuracy(forward, valSplit, dataset, {
        batchSize: train.evaluationBatchSize,
      });
      valSeconds += (performance.now() - v0) / 1000;
      valsTimed++;
      const record: EpochRecord = {
        epoch,
        trainLoss: lossSum / seen,
        trainAccuracy: correct / seen,
        valLoss: val.loss,
        valAccuracy: val.accuracy,
        learningRates,
        seconds: (performance.now() - epochStart) / 1000,
      };
      const isBest = state.best === null || val.count === 0 || val.accuracy > state.best.valAccuracy;
      if (isBest) {
        state.best = { epoch, valAccuracy: val.accuracy, valLoss: val.loss };
        bestWeights = await snapshotWeights(model);
        if (outDir) {
          await saveCheckpoint(`${outDir}/best`, model, {
            datasetHash: dataset.hash,
            datasetName: dataset.name,
            trainConfig: train,
            metrics: { epoch, valAccuracy: val.accuracy, valLoss: val.loss, trainLoss: record.trainLoss },
          });
        }
      }
      state.history.push(record);
      state.epochsDone = epoch + 1;
      state.iterations = optimizer.iterations;
      if (outDir) await saveTrainState(`${outDir}/state`, model, optimizer, state, identity);
      onProgress?.({ kind: "epoch", epochs: train.epochs, record, isBest, etaSeconds: eta(epoch, 0, false) });
    }
    if (bestWeights) restoreSnapshot(model, bestWeights);
    let testAccuracy: number | null = null;
    if (evaluateTest && state.best) {
      const test = await evaluateAccuracy(forward, dataset.splits.test, dataset, {
        batchSize: train.evaluationBatchSize,
      });
      testAccuracy = test.accuracy;
      if (outDir) {
        await saveCheckpoint(`${outDir}/best`, model, {
          datasetHash: dataset.hash,
          datasetName: dataset.name,
          trainConfig: train,
          metrics: { ...state.best, testAccuracy, testLoss: test.loss },
        });
      }
    }
    return {
      model,
      config: configs,
      history: state.history,
      best: state.best,
      completed,
      resumedFrom,
      testAccuracy,
    };
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    optimizer.dispose();
  }
}
