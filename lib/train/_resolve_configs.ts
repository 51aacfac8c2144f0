/**
 * The resolved model and training configs of a run, checked against the dataset's sizes.
 *
 * @module
 */
import type { AvDataset } from "../data/types.ts";
import { type ModelConfig, type ModelConfigInput, resolveModelConfig } from "../models/config.ts";
import { resolveTrainConfig, type TrainConfig, type TrainConfigInput } from "./config.ts";

/** The model and training settings of a run. Sizes the dataset defines may be left out. */
export type TrainModelConfig = {
  model:
    & Omit<ModelConfigInput, "numClasses" | "audioLength" | "sampleRate" | "imageShape">
    & Partial<Pick<ModelConfigInput, "numClasses" | "audioLength" | "sampleRate" | "imageShape">>;
  train?: TrainConfigInput;
};

/** The model config with the dataset's sizes filled in, and the training config, both checked. */
export function resolveConfigs(
  dataset: AvDataset,
  config: TrainModelConfig,
): { model: ModelConfig; train: TrainConfig } {
  const model = resolveModelConfig({
    ...config.model,
    numClasses: config.model.numClasses ?? dataset.classes.length,
    audioLength: config.model.audioLength ?? dataset.audioLength,
    sampleRate: config.model.sampleRate ?? dataset.sampleRate,
    imageShape: config.model.imageShape ?? dataset.imageShape,
  });
  const mismatch = (field: string, actual: unknown, wanted: unknown) =>
    new RangeError(
      `Cannot train on '${dataset.name}': model ${field} is ${actual}, the dataset has ${wanted}`,
    );
  if (model.numClasses !== dataset.classes.length) {
    throw mismatch("numClasses", model.numClasses, dataset.classes.length);
  }
  if (model.audioLength !== dataset.audioLength) {
    throw mismatch("audioLength", model.audioLength, dataset.audioLength);
  }
  if (model.sampleRate !== dataset.sampleRate) {
    throw mismatch("sampleRate", model.sampleRate, dataset.sampleRate);
  }
  if (model.imageShape.join("x") !== dataset.imageShape.join("x")) {
    throw mismatch("imageShape", model.imageShape.join("x"), dataset.imageShape.join("x"));
  }
  return { model, train: resolveTrainConfig(config.train) };
}
