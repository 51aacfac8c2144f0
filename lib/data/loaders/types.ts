/**
 * Types of the AVE feature loader, shared by its split reader.
 *
 * @module
 */

/** File names inside the feature folder. */
export interface AveFeatureFiles {
  /** @default "audio_feature.h5" */
  audio: string;
  /** @default "visual_feature.h5" */
  visual: string;
  /** @default "labels.h5" */
  labels: string;
  /** @default "train_order.h5" */
  train: string;
  /** @default "val_order.h5" */
  val: string;
  /** @default "test_order.h5" */
  test: string;
}

/** Features of `n` videos, row-major float32. */
export interface AveFeatureBatch {
  /** `[n, 10, 128]` VGGish embeddings. */
  audio: Float32Array;
  /** `[n, 10, 7, 7, 512]` VGG-19 pool5 maps. */
  visual: Float32Array;
  /** `[n, 10, 29]` per-second one-hot labels in the chosen class order (column 28 = background). */
  labels: Float32Array;
}

/** One split of the AVE features. */
export interface AveFeatureSplit {
  /** Number of videos. */
  readonly size: number;
  /** Row of each video in the feature files. */
  readonly rows: Int32Array;
  /** Video-level class per video (the event with most labelled seconds; 28 = background only). */
  readonly labels: Int32Array;
  /** Reads the features of split positions `indices` (0 ≤ index < size), in that order. */
  read(indices: readonly number[]): Promise<AveFeatureBatch>;
}
