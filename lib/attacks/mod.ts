/**
 * Multimodal attacks on audio-visual models: FGSM, PGD, MIM (correct and as released with
 * the paper), APGD-CE, the score-based Square, and the per-sample worst case over several of them. Budgets are per-modality
 * data ({@linkcode Budget}, {@linkcode PAPER_BUDGETS}); every attack shares the signature
 * `attack(model, batch, options) -> Promise<AttackResult>` and is registered, with its metadata, in
 * {@linkcode ATTACKS} ({@linkcode registerAttack} adds your own).
 *
 * @example PGD on the paper's joint budget
 * ```ts
 * import assert from "node:assert/strict";
 * import { useBackend } from "../engine/mod.ts";
 * import { linearModel, linearBatch } from "../models/toy_models.ts";
 * import { PAPER_BUDGETS, runAttack } from "./mod.ts";
 * await useBackend("cpu");
 * const model = linearModel({ seed: 1 });
 * const batch = linearBatch(model, { seed: 2 });
 * const result = await runAttack(model, batch, { attack: "pgd" }, PAPER_BUDGETS.joint);
 * assert.equal(result.success.length, 4);
 * ```
 *
 * @module
 */
export * from "./apgd.ts";
export * from "./budgets.ts";
export * from "./criteria.ts";
export * from "./fgsm.ts";
export * from "./losses.ts";
export * from "./mim.ts";
export * from "./pgd.ts";
export * from "./presets.ts";
export * from "./registry.ts";
export * from "./spec_label.ts";
export * from "./square.ts";
export * from "./targets.ts";
export * from "./types.ts";
export * from "./worst_case.ts";
