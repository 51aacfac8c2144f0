/**
 * The paper's defense and the tools to test it honestly: memory banks of training embeddings, sparse
 * coding by an unrolled, differentiable ISTA with its step checked against λ_max(DᵀD) from a power
 * iteration, diagnostics that say whether the "sparse" code is sparse at all, and a defended model whose
 * backward pass is exact or a BPDA surrogate. (Dissimilarity training is `dissimilarityWeight` in
 * `lib/train`.)
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
export * from "./defend_model.ts";
export * from "./defense_bank.ts";
export * from "./ista.ts";
export * from "./memory_banks.ts";
export * from "./power_iteration.ts";
