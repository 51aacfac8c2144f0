/**
 * Datasets: built-in audio-visual sets generated offline, loaders for user data, and batching.
 *
 * @example
 * ```ts ignore
 * import { loadBatch } from "./mod.ts";
 * ```
 *
 * @module
 */
export * from "./batch.ts";
export * from "./errors.ts";
export * from "./types.ts";
export * from "./ave_classes.ts";
export * from "./ave_features.ts";
export * from "./check.ts";
export * from "./csv_layout.ts";
export * from "./dataset_card.ts";
export * from "./ffmpeg.ts";
export * from "./image.ts";
export * from "./video_folder.ts";
export * from "./wav.ts";
export * from "./av_digits.ts";
export * from "./av_instruments.ts";
export * from "./builtin.ts";
export * from "./memory_split.ts";
