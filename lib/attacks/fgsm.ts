/**
 * The fast gradient sign method.
 *
 * @module
 */
import type { AvBatch } from "../data/batch.ts";
import type { AvModel } from "../models/types.ts";
import { runGradientAttack } from "./_gradient_attack.ts";
import type { AttackResult, CommonAttackOptions } from "./types.ts";

/** Options of {@linkcode fgsm}: only the common ones (budget, target, loss, seed). */
export type FgsmOptions = CommonAttackOptions;

/** Defaults of {@linkcode FgsmOptions} beyond the common ones (none). */
export const FGSM_DEFAULTS: Readonly<Record<string, never>> = Object.freeze({});

/**
 * FGSM (Goodfellow et al., ICLR 2015, https://arxiv.org/abs/1412.6572): one step of size ε along
 * sign(∇) (L∞; for L2 the "fast gradient method" step ε·∇/‖∇‖₂) per modality, then a clip to
 * `model.bounds`. Audio `[batch, samples]` in [-1, 1], frames `[batch, H, W, C]` in [0, 1]. Unlike the
 * paper's code, the adversarial audio is clipped to [-1, 1] as well.
 *
 * @param model The model (eval mode is used).
 * @param batch Clean inputs and int32 labels; not disposed.
 * @param options Budget (required), targeting, loss, seed.
 * @returns Adversarial inputs (owned by the caller), per-sample success and the loss trace.
 * @throws {RangeError} If the budget is out of range or inputs lie outside the bounds.
 * @throws {TypeError} If the batch has the wrong shapes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { useBackend } from "../engine/mod.ts";
 * import { linearModel, linearBatch } from "../models/toy_models.ts";
 * await useBackend("cpu");
 * const model = linearModel({ numClasses: 2, seed: 1 });
 * const batch = linearBatch(model, { size: 2, seed: 2 });
 * const result = await fgsm(model, batch, { budget: { norm: "linf", audio: 0.01, visual: 0 } });
 * assert.equal(result.gradientCalls, 1);
 * ```
 */
export async function fgsm(model: AvModel, batch: AvBatch, options: FgsmOptions): Promise<AttackResult> {
  return await runGradientAttack("fgsm", model, batch, options, {
    steps: 1,
    relativeStepSize: 1,
    randomStart: false,
    restarts: 1,
    keep: "last",
    earlyStop: false,
    createStepper: (ctx) => ({ next: (grads) => grads.map((g) => ctx.norm.direction(g)), dispose() {} }),
  });
}
