/**
 * In-memory copies of a model's variables (the best-validation weights during training).
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import type { AvModel } from "../models/types.ts";
import { readCheckpointJson, readTensorFolder } from "./_checkpoint_files.ts";
import { DataFormatError } from "../data/errors.ts";

/** Values of every variable, by name. */
export type WeightSnapshot = Map<string, { values: Float32Array; shape: number[] }>;

/** Copies every variable of `model` out of the backend. */
export async function snapshotWeights(model: Pick<AvModel, "variables">): Promise<WeightSnapshot> {
  const snapshot: WeightSnapshot = new Map();
  for (const [name, variable] of model.variables) {
    const values = await variable.data();
    snapshot.set(name, { values: new Float32Array(values), shape: [...variable.shape] });
  }
  return snapshot;
}

/** Writes a snapshot back into the model's variables. */
export function restoreSnapshot(model: Pick<AvModel, "variables">, snapshot: WeightSnapshot): void {
  tf.tidy(() => {
    for (const [name, variable] of model.variables) {
      const entry = snapshot.get(name);
      if (entry) variable.assign(tf.tensor(entry.values, entry.shape, "float32"));
    }
  });
}

/** Reads the weights of the checkpoint in `dir` as a snapshot (checked against the model's variables). */
export async function readBestSnapshot(
  dir: string,
  model: Pick<AvModel, "variables">,
): Promise<WeightSnapshot> {
  const tensors = await readTensorFolder(dir, await readCheckpointJson(dir));
  try {
    const snapshot: WeightSnapshot = new Map();
    for (const [name, variable] of model.variables) {
      const tensor = tensors[name];
      if (!tensor || !tf.util.arraysEqual(tensor.shape, variable.shape)) {
        throw new DataFormatError(
          dir,
          `Cannot load checkpoint: weight '${name}' is missing or has another shape`,
        );
      }
      snapshot.set(name, { values: new Float32Array(await tensor.data()), shape: [...tensor.shape] });
    }
    return snapshot;
  } finally {
    tf.dispose(Object.values(tensors));
  }
}
