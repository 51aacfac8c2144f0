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
