/**
 * Robustness evaluation: per-sample measurements of attacks (accuracy, perturbation sizes, audio SNR,
 * feature cosine similarity), AutoAttack-style sanity checks with a doc table, budget sweeps that
 * write flat {@linkcode EvalRecord}s with a content-addressed cache and resume state, and a throughput
 * probe for benchmarks.
 *
 * @example Measure an attack
 * ```ts
 * import assert from "node:assert/strict";
 * import { useBackend } from "../engine/mod.ts";
 * import { runAttack } from "../attacks/mod.ts";
 * import { linearModel, linearBatch } from "../models/toy_models.ts";
 * import { measureAttack } from "./mod.ts";
 * await useBackend("cpu");
 * const model = linearModel({ seed: 1 });
 * const batch = linearBatch(model, { seed: 2 });
 * const budget = { norm: "linf" as const, audio: 0.01, visual: 0 };
 * const result = await runAttack(model, batch, { attack: "fgsm" }, budget);
 * const metrics = await measureAttack(model, batch, result, budget);
 * assert.ok(Math.max(...metrics.audioLinf) <= 0.01 + 1e-6);
 * ```
 *
 * @module
 */
export * from "./check_docs.ts";
export * from "./checks.ts";
export * from "./errors.ts";
export * from "./measure.ts";
export * from "./probe.ts";
export * from "./sweep.ts";
export * from "./types.ts";
export * from "./wilson_interval.ts";
