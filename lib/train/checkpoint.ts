/**
 * Model checkpoints: tfjs weights format plus a JSON of config, seed, dataset hash, metrics and versions.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import { currentBackend } from "../engine/backend.ts";
import { DataFormatError } from "../data/errors.ts";
import { type BuiltModel, createModel } from "../models/create_model.ts";
import { type ModelConfig, type ModelConfigInput, resolveModelConfig } from "../models/config.ts";
import type { TrainConfig } from "./config.ts";
import {
  type CheckpointFileMeta,
  readCheckpointJson,
  readTensorFolder,
  verifyTensorFolder,
  writeTensorFolder,
} from "./_checkpoint_files.ts";
import { assertNoDifferences, assignWeights, jsonDifferences } from "./_compare.ts";

/** What a checkpoint records besides its weights. */
export interface CheckpointMeta {
  /** The resolved model config. */
  config: ModelConfig;
  /** Initialisation seed of the model (`config.seed`). */
  seed: number;
  /** Content hash of the dataset it was trained on, or null. */
  datasetHash: string | null;
  /** Name of that dataset, or null. */
  datasetName: string | null;
  /** Metrics at save time (e.g. `epoch`, `valAccuracy`, `testAccuracy`). */
  metrics: Record<string, number>;
  /** The training config, or null. */
  trainConfig: TrainConfig | null;
  /** Versions of the libraries and the backend that wrote it. */
  versions: Record<string, string>;
  /** ISO time of writing. */
  savedAt: string;
}

/** What {@linkcode saveCheckpoint} records besides the model. */
export interface SaveCheckpointInfo {
  datasetHash?: string;
  datasetName?: string;
  metrics?: Record<string, number>;
  trainConfig?: TrainConfig;
}

/** What a loaded checkpoint must match; each given field is compared. */
export interface CheckpointExpectation {
  /** The model config (resolved before comparing). */
  config?: ModelConfigInput | ModelConfig;
  /** The dataset's content hash. */
  datasetHash?: string;
}

function versions(): Record<string, string> {
  const backend = currentBackend();
  return {
    "tfjs-core": tf.version_core,
    deno: Deno.version.deno,
    ...backend?.versions,
    backend: backend?.name ?? "",
  };
}

/**
 * Saves a model to `dir` (created if needed): `weights-<sha>.bin` + `model.json` in the tfjs weights
 * format, and `checkpoint.json` with config, seed, dataset hash, metrics, versions, the SHA-256 of each
 * other file (`files`) and its own content hash (`contentSha256`). Files are written atomically and
 * `checkpoint.json` last, so a crash never leaves a half-written checkpoint.
 *
 * @param dir Folder of the checkpoint.
 * @param model A model from `createModel`.
 * @param info Dataset, metrics, training config.
 * @returns The metadata written.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { useBackend } from "../engine/mod.ts";
 * import { createModel } from "../models/mod.ts";
 * await useBackend("cpu");
 * const audio = { frontEnd: { kind: "waveform" as const }, stride: 2, widths: [2] };
 * const model = createModel({ kind: "audio", numClasses: 2, audioLength: 64, audio });
 * const dir = await Deno.makeTempDir();
 * await saveCheckpoint(dir, model, { datasetHash: "abc", metrics: { valAccuracy: 0.5 } });
 * const { model: copy, meta } = await loadCheckpoint(dir, { datasetHash: "abc" });
 * assert.equal(meta.metrics.valAccuracy, 0.5);
 * copy.dispose();
 * model.dispose();
 * ```
 */
export async function saveCheckpoint(
  dir: string,
  model: BuiltModel,
  info: SaveCheckpointInfo = {},
): Promise<CheckpointMeta & CheckpointFileMeta> {
  await Deno.mkdir(dir, { recursive: true });
  const meta: CheckpointMeta = {
    config: model.config,
    seed: model.config.seed,
    datasetHash: info.datasetHash ?? null,
    datasetName: info.datasetName ?? null,
    metrics: info.metrics ?? {},
    trainConfig: info.trainConfig ?? null,
    versions: versions(),
    savedAt: new Date().toISOString(),
  };
  return await writeTensorFolder(dir, model.variables, meta);
}

/**
 * Reads the metadata of a checkpoint without loading weights.
 *
 * @param dir Folder of the checkpoint.
 * @returns Config, dataset hash, metrics, versions.
 * @throws {CheckpointIntegrityError} If `checkpoint.json` does not match its recorded content hash.
 * @throws {DataFormatError} If `checkpoint.json` is missing, unparseable or incomplete.
 *
 * @example
 * ```ts ignore
 * const meta = await readCheckpointMeta(".cache/checkpoints/av-digits-default/av-concat/best");
 * console.log(meta.metrics.testAccuracy);
 * ```
 */
export async function readCheckpointMeta(dir: string): Promise<CheckpointMeta> {
  const raw = await readCheckpointJson(dir);
  const config = raw.config;
  if (typeof config !== "object" || config === null || !("kind" in config)) {
    throw new DataFormatError(
      `${dir}/checkpoint.json`,
      "Cannot load checkpoint: the model config is missing",
    );
  }
  return raw as unknown as CheckpointMeta;
}

/**
 * Loads a checkpoint: builds the model from its stored config and assigns its weights. Each field of
 * `expected` is compared first, so a checkpoint of another model or dataset is refused.
 *
 * @param dir Folder of the checkpoint.
 * @param expected What the checkpoint must match.
 * @returns The model (owned by the caller) and the metadata.
 * @throws {CheckpointMismatchError} If the config or the dataset hash differs; `fields` names them.
 * @throws {CheckpointIntegrityError} If a file does not match the hash recorded at save time.
 * @throws {DataFormatError} If files are missing, corrupt or incomplete.
 *
 * @example
 * ```ts ignore
 * const dir = ".cache/checkpoints/av-digits-default/av-concat/best";
 * const { model } = await loadCheckpoint(dir, { datasetHash: dataset.hash });
 * ```
 */
export async function loadCheckpoint(
  dir: string,
  expected: CheckpointExpectation = {},
): Promise<{ model: BuiltModel; meta: CheckpointMeta }> {
  const meta = await readCheckpointMeta(dir);
  const differences: Array<[string, string]> = [];
  if (expected.config !== undefined) {
    differences.push(...jsonDifferences(meta.config, resolveModelConfig(expected.config), "config"));
  }
  if (expected.datasetHash !== undefined) {
    differences.push(...jsonDifferences(meta.datasetHash, expected.datasetHash, "datasetHash"));
  }
  assertNoDifferences(dir, differences);
  const tensors = await readTensorFolder(dir, meta as unknown as Record<string, unknown>);
  const model = createModel(meta.config);
  try {
    assignWeights(model.variables, tensors, dir);
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    tf.dispose(Object.values(tensors));
  }
  return { model, meta };
}

/**
 * Verifies a checkpoint without loading it: `checkpoint.json` against its `contentSha256`, and every
 * file it lists (the weights, `model.json`) against its recorded SHA-256.
 *
 * @param dir Folder of the checkpoint.
 * @returns The checkpoint's content hash (`contentSha256`), to compare with a hash recorded elsewhere.
 * @throws {CheckpointIntegrityError} If a file was edited, truncated, swapped or removed; `path` names it.
 * @throws {DataFormatError} If `checkpoint.json` is missing or unparseable.
 *
 * @example A flipped byte in the weights is caught
 * ```ts
 * import assert from "node:assert/strict";
 * import { useBackend } from "../engine/mod.ts";
 * import { createModel } from "../models/mod.ts";
 * import { CheckpointIntegrityError } from "./checkpoint_integrity_error.ts";
 * await useBackend("cpu");
 * const audio = { frontEnd: { kind: "waveform" as const }, stride: 2, widths: [2] };
 * const model = createModel({ kind: "audio", numClasses: 2, audioLength: 64, audio });
 * const dir = await Deno.makeTempDir();
 * const meta = await saveCheckpoint(dir, model);
 * model.dispose();
 * assert.equal(await verifyCheckpoint(dir), meta.contentSha256);
 * const bytes = await Deno.readFile(`${dir}/${meta.weightsFile}`);
 * bytes[0] = (bytes[0] ?? 0) ^ 0xff;
 * await Deno.writeFile(`${dir}/${meta.weightsFile}`, bytes);
 * await assert.rejects(verifyCheckpoint(dir), CheckpointIntegrityError);
 * ```
 */
export async function verifyCheckpoint(dir: string): Promise<string> {
  const raw = await readCheckpointJson(dir);
  await verifyTensorFolder(dir, raw);
  return String(raw.contentSha256);
}
