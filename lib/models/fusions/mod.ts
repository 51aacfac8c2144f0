/**
 * Fusion mechanisms of the audio-visual models, one file each, and their registry.
 *
 * @module
 */
export * from "./attention.ts";
export * from "./concat.ts";
export * from "./film.ts";
export * from "./gated.ts";
export * from "./late.ts";
export * from "./registry.ts";
export * from "./sum.ts";
export * from "./types.ts";
