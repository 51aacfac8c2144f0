/**
 * Reading and writing a folder of named tensors in the tfjs weights format, crash-safely.
 *
 * Layout: `weights-<sha>.bin` (the tensors), `model.json` (tfjs `weightsManifest`, for tfjs tools) and
 * `checkpoint.json` (metadata + the same manifest + the SHA-256 of every other file in `files`, and
 * `contentSha256`, the hash of its own other fields). Reads verify all of them and raise
 * `CheckpointIntegrityError` naming the file on a mismatch. `checkpoint.json` is written last and is the
 * commit point: a crash at any moment leaves the previous checkpoint readable, because a
 * new weights file never overwrites the one the old `checkpoint.json` names.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import { hashValue, sha256Hex } from "../cache/hash.ts";
import { writeFileAtomic } from "../cache/atomic.ts";
import { DataFormatError } from "../data/errors.ts";
import { CheckpointIntegrityError } from "./checkpoint_integrity_error.ts";

/** The fields every `checkpoint.json` has (callers add their own). */
export interface CheckpointFileMeta {
  format: "avrobust-checkpoint";
  formatVersion: 2;
  weightsFile: string;
  weightsSha256: string;
  weightsManifest: tf.io.WeightsManifestEntry[];
  /** SHA-256 of every other file of the checkpoint (the weights and `model.json`), by file name. */
  files: Record<string, string>;
  /** SHA-256 of the stable JSON of this object without this field. */
  contentSha256: string;
}

/** The content hash of a parsed `checkpoint.json` (every field but `contentSha256`). */
function contentHash(value: Record<string, unknown>): Promise<string> {
  const { contentSha256: _, ...rest } = value;
  return hashValue(rest);
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
  const modelBytes = new TextEncoder().encode(JSON.stringify(modelJson));
  await writeFileAtomic(`${dir}/model.json`, modelBytes);
  // Round-trip first, so that the hash covers exactly what a later read parses.
  const body = JSON.parse(JSON.stringify({
    ...meta,
    format: "avrobust-checkpoint",
    formatVersion: 2,
    weightsFile,
    weightsSha256,
    weightsManifest: specs,
    files: { [weightsFile]: weightsSha256, "model.json": await sha256Hex(modelBytes) },
  }));
  const full: M & CheckpointFileMeta = { ...body, contentSha256: await contentHash(body) };
  await writeFileAtomic(`${dir}/checkpoint.json`, JSON.stringify(full, null, 2));
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && /^weights-[0-9a-f]+\.bin$/.test(entry.name) && entry.name !== weightsFile) {
      await Deno.remove(`${dir}/${entry.name}`).catch(() => {});
    }
  }
  return full;
}

/**
 * Reads `checkpoint.json` of `dir` as untyped JSON, with a clear error if absent or unparseable, and a
 * {@linkcode CheckpointIntegrityError} if it does not match its `contentSha256`.
 */
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
  const raw = value as Record<string, unknown>;
  if (raw.formatVersion !== 2 || typeof raw.contentSha256 !== "string") {
    throw new CheckpointIntegrityError(
      path,
      "checkpoint.json has no content hash (an older format); train again",
    );
  }
  if ((await contentHash(raw)) !== raw.contentSha256) {
    throw new CheckpointIntegrityError(path, "checkpoint.json does not match its recorded hash");
  }
  return raw;
}

/** Reads a file of the checkpoint and checks it against `sha`; raises CheckpointIntegrityError otherwise. */
async function readVerified(path: string, sha: string): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (cause) {
    throw new CheckpointIntegrityError(path, "a file of the checkpoint cannot be read", { cause });
  }
  if ((await sha256Hex(bytes)) !== sha) {
    throw new CheckpointIntegrityError(path, "the file does not match its recorded hash");
  }
  return bytes;
}

/** Checks every file `meta.files` lists against its hash; returns the verified bytes by file name. */
export async function verifyTensorFolder(
  dir: string,
  meta: Record<string, unknown>,
): Promise<Map<string, Uint8Array>> {
  const files = meta.files;
  if (typeof files !== "object" || files === null || Array.isArray(files)) {
    throw new CheckpointIntegrityError(`${dir}/checkpoint.json`, "the file hashes are missing");
  }
  const verified = new Map<string, Uint8Array>();
  for (const [name, sha] of Object.entries(files)) {
    if (typeof sha !== "string" || name.includes("/")) {
      throw new CheckpointIntegrityError(`${dir}/checkpoint.json`, `the hash of '${name}' is malformed`);
    }
    verified.set(name, await readVerified(`${dir}/${name}`, sha));
  }
  return verified;
}

/** Reads the tensors of `dir` (every file verified against its recorded SHA-256); the caller disposes them. */
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
  const verified = await verifyTensorFolder(dir, meta);
  const bytes = verified.get(file) ?? await readVerified(path, sha);
  try {
    return tf.io.decodeWeights(bytes.slice().buffer, manifest);
  } catch (cause) {
    throw new DataFormatError(path, "Cannot load checkpoint: the weights do not match the manifest", {
      cause,
    });
  }
}
