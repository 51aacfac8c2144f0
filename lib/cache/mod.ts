/**
 * Content hashing, atomic writes and a content-addressed store, open to every step.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hashValue } from "./mod.ts";
 * assert.equal((await hashValue({ a: 1 })).length, 64);
 * ```
 *
 * @module
 */
export * from "./atomic.ts";
export * from "./hash.ts";
export * from "./source_hash.ts";
export * from "./store.ts";
export * from "./claim.ts";
