/**
 * Reading and writing a folder of named tensors in the tfjs weights format, crash-safely.
 *
 * Layout: `weights-<sha>.bin` (the tensors), `model.json` (tfjs `weightsManifest`, for tfjs tools) and
 * `checkpoint.json` (metadata + the same manifest + the weights' SHA-256). `checkpoint.json` is written
 * last and is the commit point: a crash at any moment leaves the previous checkpoint readable, because a
 * new weights file never overwrites the one the old `checkpoint.json` names.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import { sha256Hex } from "../cache/hash.ts";
import { writeFileAtomic } from "../cache/atomic.ts";
import { DataFormatError } from "../data/errors.ts";

/** The fields every `checkpoint.json` has (callers add their own). */
export interface CheckpointFileMeta {
  format: "avrobust-checkpoint";
  formatVersion: 1;
  weightsFile: string;
  weightsSha256: string;
  weightsManifest: tf.io.WeightsManifestEntry[];
}

/** Writes tensors and metadata to `dir`; returns the full metadata written. */
export async function writeTensorFolder<M extends object>(
  dir: string,
  tensors: ReadonlyMap<string, tf.Tensor>,
  meta: M,
): Promise<M & CheckpointFileMeta> {
  const named: tf.NamedTensorMap = {};
  for (const [name, tensor] of tensors) named[name] = tensor;
  const { data, specs } = await tf.io.encodeWeights(named);
  const bytes = new Uint8Array(data);
  const weightsSha256 = await sha256Hex(bytes);
  const weightsFile = `weights-${weightsSha256.slice(0, 16)}.bin`;
  await writeFileAtomic(`${dir}/${weightsFile}`, bytes);
  const modelJson = {
    format: "avrobust-checkpoint",
    generatedBy: `TensorFlow.js tfjs-core v${tf.version_core}`,
    convertedBy: null,
    weightsManifest: [{ paths: [weightsFile], weights: specs }],
  };
  await writeFileAtomic(`${dir}/model.json`, JSON.stringify(modelJson));
  const full: M & CheckpointFileMeta = {
    ...meta,
    format: "avrobust-checkpoint",
    formatVersion: 1,
    weightsFile,
    weightsSha256,
    weightsManifest: specs,
  };
  await writeFileAtomic(`${dir}/checkpoint.json`, JSON.stringify(full, null, 2));
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && /^weights-[0-9a-f]+\.bin$/.test(entry.name) && entry.name !== weightsFile) {
      await Deno.remove(`${dir}/${entry.name}`).catch(() => {});
    }
  }
  return full;
}

/** Reads `checkpoint.json` of `dir` as untyped JSON, with a clear error if absent or unparseable. */
export async function readCheckpointJson(dir: string): Promise<Record<string, unknown>> {
  const path = `${dir}/checkpoint.json`;
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (cause) {
    if (cause instanceof Deno.errors.NotFound) {
      throw new DataFormatError(path, "Cannot load checkpoint: checkpoint.json does not exist", { cause });
    }
    throw cause;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new DataFormatError(path, "Cannot load checkpoint: checkpoint.json is not valid JSON", { cause });
  }
  if (typeof value !== "object" || value === null || Reflect.get(value, "format") !== "avrobust-checkpoint") {
    throw new DataFormatError(path, "Cannot load checkpoint: checkpoint.json is not an avrobust checkpoint");
  }
  return value as Record<string, unknown>;
}

/** Reads the tensors of `dir` (verified against the recorded SHA-256); the caller disposes them. */
export async function readTensorFolder(
  dir: string,
  meta: Record<string, unknown>,
): Promise<tf.NamedTensorMap> {
  const file = meta.weightsFile, sha = meta.weightsSha256, manifest = meta.weightsManifest;
  if (typeof file !== "string" || typeof sha !== "string" || !Array.isArray(manifest)) {
    throw new DataFormatError(
      `${dir}/checkpoint.json`,
      "Cannot load checkpoint: the weights entry is missing",
    );
  }
  const path = `${dir}/${file}`;
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (cause) {
    throw new DataFormatError(path, "Cannot load checkpoint: the weights file cannot be read", { cause });
  }
  if ((await sha256Hex(bytes)) !== sha) {
    throw new DataFormatError(
      path,
      "Cannot load checkpoint: the weights file does not match its recorded hash",
    );
  }
  try {
    return tf.io.decodeWeights(bytes.slice().buffer, manifest);
  } catch (cause) {
    throw new DataFormatError(path, "Cannot load checkpoint: the weights do not match the manifest", {
      cause,
    });
  }
}
