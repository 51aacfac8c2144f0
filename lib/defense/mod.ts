/**
 * The paper's defense and the tools to test it honestly: sparse coding by an unrolled, differentiable
 * ISTA with its step checked against λ_max(DᵀD) from a power iteration, and diagnostics that say whether
 * the "sparse" code is sparse at all.
 *
 * @example Code a feature against a small dictionary
 * ```ts
 * import assert from "node:assert/strict";
 * import { tf, useBackend } from "../engine/mod.ts";
 * import { ista } from "./mod.ts";
 * await useBackend("cpu");
 * const codes = ista(tf.tensor2d([[1, 0], [0, 2]]), tf.tensor2d([[1, 1]]), { lambda: 0.01 });
 * assert.deepEqual(codes.shape, [1, 2]);
 * ```
 *
 * @module
 */
export * from "./ista.ts";
export * from "./power_iteration.ts";
