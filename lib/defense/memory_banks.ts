/**
 * The external memory banks of the paper's defense: embeddings of training samples from the base model.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import { createRng } from "../engine/random.ts";
import { type BatchShape, disposeBatch, loadBatch } from "../data/batch.ts";
import type { AvSplit } from "../data/types.ts";
import { disposeOutput } from "../models/dispose_output.ts";
import type { AvModel } from "../models/types.ts";

/** Options of {@linkcode memoryBanks}. */
export interface MemoryBankOptions {
  /** N, the number of stored samples (the paper keeps 1024); at most the split's size. @default 1024 */
  size?: number;
  /** Samples per forward pass. @default 64 */
  batchSize?: number;
  /** Seed of the sample choice. @default 0 */
  seed?: number;
}

/** The banks: one dictionary per modality, one stored embedding per column. Tensors belong to the caller. */
export interface MemoryBanks {
  /** D_a `[d_a, N]`, or null for a model without audio. */
  audio: tf.Tensor2D | null;
  /** D_v `[d_v, N]`, or null for a model without vision. */
  visual: tf.Tensor2D | null;
  /** The split indices stored, in column order. */
  indices: number[];
}

/**
 * Builds the memory banks: the eval-mode embeddings of N seeded random samples of a (training) split,
 * from the base model, as dictionaries D `[d, N]`. They stay fixed afterwards. (The reference code took
 * train-mode features from the last training epoch; eval mode makes the bank a function of the weights.)
 *
 * @param model The base model; not changed.
 * @param data The split to draw from and its sample shape.
 * @param options N, batch size and seed.
 * @returns The banks, owned by the caller.
 * @throws {RangeError} If an option is out of range or the split is empty.
 *
 * @example
 * ```ts ignore
 * const banks = await memoryBanks(model, { split: dataset.splits.train, shape: dataset }, { size: 1024 });
 * console.log(banks.audio?.shape); // [d_a, 1024]
 * ```
 */
export async function memoryBanks(
  model: AvModel,
  data: { split: AvSplit; shape: BatchShape },
  options: MemoryBankOptions = {},
): Promise<MemoryBanks> {
  const { size = 1024, batchSize = 64, seed = 0 } = options;
  for (const [name, value] of [["size", size], ["batchSize", batchSize]] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(
        `Cannot build memory banks: options.${name} must be an integer >= 1, current value is ${value}`,
      );
    }
  }
  if (data.split.size < 1) throw new RangeError("Cannot build memory banks: the split is empty");
  const order = createRng(seed).fork("memoryBanks").shuffle(
    Array.from({ length: data.split.size }, (_, i) => i),
  );
  const indices = order.slice(0, Math.min(size, data.split.size));
  const parts: { audio: tf.Tensor2D[]; visual: tf.Tensor2D[] } = { audio: [], visual: [] };
  try {
    for (let start = 0; start < indices.length; start += batchSize) {
      const batch = await loadBatch(data.split, indices.slice(start, start + batchSize), data.shape);
      try {
        const output = model.apply(batch.audio, batch.visual, { training: false });
        if (output.audioFeatures) parts.audio.push(tf.keep(output.audioFeatures));
        if (output.visualFeatures) parts.visual.push(tf.keep(output.visualFeatures));
        disposeOutput({ ...output, audioFeatures: null, visualFeatures: null });
      } finally {
        disposeBatch(batch);
      }
    }
    const bank = (
      rows: tf.Tensor2D[],
    ) => (rows.length ? tf.tidy(() => tf.transpose(tf.concat(rows, 0))) : null);
    return { audio: bank(parts.audio), visual: bank(parts.visual), indices };
  } finally {
    tf.dispose([...parts.audio, ...parts.visual]);
  }
}
