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
export * from "./assert_finite.ts";
export * from "./errors.ts";
export * from "./types.ts";
export * from "./loaders/mod.ts";
export * from "./inspect/mod.ts";
export * from "./media/mod.ts";
export * from "./builtin/mod.ts";
export * from "./memory_split.ts";
