/**
 * The resume state of a training run: model variables, optimizer state, finished epochs and history,
 * written at the end of each epoch with the crash-safe folder writer.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import type { BuiltModel } from "../models/create_model.ts";
import type { ModelConfig } from "../models/config.ts";
import type { TrainConfig } from "./config.ts";
import type { Optimizer } from "./optimizer.ts";
import type { EpochRecord } from "./progress.ts";
import { readCheckpointJson, readTensorFolder, writeTensorFolder } from "./_checkpoint_files.ts";
import { assertNoDifferences, assignWeights, jsonDifferences } from "./_compare.ts";

/** What identifies a run: resuming with anything else is refused. */
export interface RunIdentity {
  config: ModelConfig;
  trainConfig: TrainConfig;
  datasetHash: string;
}

/** The best epoch so far. */
export interface BestRecord {
  epoch: number;
  valAccuracy: number;
  valLoss: number;
}

/** Progress of a run. */
export interface TrainState {
  /** Epochs finished. */
  epochsDone: number;
  /** Optimizer updates taken. */
  iterations: number;
  history: EpochRecord[];
  best: BestRecord | null;
}

/** Run identity without fields that may change between sessions (the epoch count may be extended). */
function comparable(identity: RunIdentity): unknown {
  const { epochs: _epochs, ...trainConfig } = identity.trainConfig;
  return { config: identity.config, trainConfig, datasetHash: identity.datasetHash };
}

/** Writes the state of a run to `dir`. */
export async function saveTrainState(
  dir: string,
  model: BuiltModel,
  optimizer: Optimizer,
  state: TrainState,
  identity: RunIdentity,
): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  const tensors = new Map<string, tf.Tensor>();
  for (const [name, variable] of model.variables) tensors.set(`model/${name}`, variable);
  for (const [name, slot] of optimizer.slots) tensors.set(name, slot);
  await writeTensorFolder(dir, tensors, {
    kind: "train-state",
    identity,
    state,
    savedAt: new Date().toISOString(),
  });
}

/**
 * Restores a run from `dir` into `model` and `optimizer`.
 *
 * @returns The state, or null when `dir` holds no state.
 * @throws {CheckpointMismatchError} If the state belongs to another config or dataset.
 */
export async function loadTrainState(
  dir: string,
  model: BuiltModel,
  optimizer: Optimizer,
  identity: RunIdentity,
): Promise<TrainState | null> {
  try {
    await Deno.stat(`${dir}/checkpoint.json`);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  const raw = await readCheckpointJson(dir);
  const stored = raw.identity as RunIdentity | undefined;
  const differences = stored
    ? jsonDifferences(comparable(stored), comparable(identity), "run")
    : [["run", "the state has no run identity"] as [string, string]];
  assertNoDifferences(dir, differences.map(([field, detail]) => [field.replace(/^run\./, ""), detail]));
  const tensors = await readTensorFolder(dir, raw);
  try {
    assignWeights(model.variables, tensors, dir, "model/");
    assignWeights(optimizer.slots, tensors, dir);
  } finally {
    tf.dispose(Object.values(tensors));
  }
  const state = raw.state as TrainState;
  optimizer.iterations = state.iterations;
  return structuredClone(state);
}
