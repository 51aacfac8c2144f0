/**
 * Projected gradient descent.
 *
 * @module
 */
import type { AvBatch } from "../data/batch.ts";
import type { AvModel } from "../models/types.ts";
import { checkChoice, checkInteger, checkNumber } from "./_context.ts";
import { runGradientAttack } from "./_gradient_attack.ts";
import type { AttackResult, CommonAttackOptions } from "./types.ts";

/** Options of {@linkcode pgd}. */
export interface PgdOptions extends CommonAttackOptions {
  /** Iterations (the paper: 10). @default 10 */
  steps?: number;
  /** Step size α as a fraction of ε (the paper: α = ε/8). @default 0.125 */
  relativeStepSize?: number;
  /**
   * Start at a uniform random point of the ε-ball (Madry et al.) instead of the clean input (the paper).
   * @default false
   */
  randomStart?: boolean;
  /** Independent runs, each with its own random start; the best point per sample wins. @default 1 */
  restarts?: number;
  /**
   * `"best"`: per sample, the best iterate (adversarial first, then highest loss). `"last"`: the final
   * iterate, as the paper's code did. Either way a clean-misclassified sample stays misclassified.
   * @default "best"
   */
  keep?: "best" | "last";
  /**
   * With `keep: "best"`, stop attacking a sample as soon as it is adversarial, and never attack one the
   * model already misclassifies (AutoAttack's practice): success and robust accuracy are unchanged, the
   * returned point is the first adversarial iterate, and the attack runs faster. Ignored for `"last"`.
   * @default true
   */
  earlyStop?: boolean;
}

/** Defaults of {@linkcode PgdOptions}, the values the cache hashes. */
export const PGD_DEFAULTS = Object.freeze(
  {
    steps: 10,
    relativeStepSize: 0.125,
    randomStart: false,
    restarts: 1,
    keep: "best",
    earlyStop: true,
  } satisfies Required<Omit<PgdOptions, keyof CommonAttackOptions>>,
);

/**
 * PGD (Madry et al., ICLR 2018, https://arxiv.org/abs/1706.06083), the paper's multi-step attack:
 * `steps` steps of size α = `relativeStepSize`·ε along sign(∇) (L∞) or ∇/‖∇‖₂ (L2) per modality, each
 * followed by projection onto that modality's ε-ball around the clean input and a clip to
 * `model.bounds`. Audio `[batch, samples]` in [-1, 1] with ε_a in amplitude; frames
 * `[batch, H, W, C]` in [0, 1] with ε_v in pixel or normalised units (`budget.visualUnits`).
 *
 * @param model The model (eval mode is used).
 * @param batch Clean inputs and int32 labels; not disposed.
 * @param options Budget (required), steps, step size, start, targeting, loss, seed.
 * @returns Adversarial inputs (owned by the caller), per-sample success and the loss trace.
 * @throws {RangeError} If the budget or an option is out of range, or inputs lie outside the bounds.
 * @throws {TypeError} If the batch has the wrong shapes.
 *
 * @example Audio-only L∞ attack on a toy model
 * ```ts
 * import assert from "node:assert/strict";
 * import { tf, useBackend } from "../engine/mod.ts";
 * import type { AvModel } from "../models/types.ts";
 * await useBackend("cpu");
 * const model: AvModel = {
 *   config: { kind: "demo", fusion: "sum", numClasses: 2 },
 *   modalities: ["audio", "visual"],
 *   bounds: { audio: [-1, 1], visual: [0, 1] },
 *   visualNormalization: { mean: [0], std: [1] },
 *   trainable: { audio: [], visual: [], fusion: [] },
 *   variables: new Map(),
 *   dispose() {},
 *   apply: (audio, visual) => ({
 *     logits: tf.concat([tf.sum(audio, 1, true), tf.reshape(tf.sum(visual, [1, 2, 3]), [-1, 1])], 1),
 *     audioFeatures: null,
 *     visualFeatures: null,
 *     visualMap: null,
 *   }),
 * };
 * const batch = {
 *   audio: tf.tensor2d([[0, 0, 0, 0]]),
 *   visual: tf.tensor4d([0.5, 0.5, 0.5, 0.5], [1, 2, 2, 1]),
 *   labels: tf.tensor1d([1], "int32"),
 * };
 * const result = await pgd(model, batch, { budget: { norm: "linf", audio: 0.1, visual: 0 } });
 * assert.deepEqual(Array.from(await result.audio.data()).map((v) => v.toFixed(3)), ["0.100", "0.100", "0.100", "0.100"]);
 * ```
 */
export async function pgd(model: AvModel, batch: AvBatch, options: PgdOptions): Promise<AttackResult> {
  const { steps, relativeStepSize, randomStart, restarts, keep, earlyStop } = { ...PGD_DEFAULTS, ...options };
  checkInteger("pgd", "steps", steps, 1);
  checkNumber("pgd", "relativeStepSize", relativeStepSize, 0);
  checkInteger("pgd", "restarts", restarts, 1);
  checkChoice("pgd", "keep", keep, ["best", "last"]);
  return await runGradientAttack("pgd", model, batch, options, {
    steps,
    relativeStepSize,
    randomStart,
    restarts,
    keep,
    earlyStop,
    createStepper: (ctx) => ({ next: (grads) => grads.map((g) => ctx.norm.direction(g)), dispose() {} }),
  });
}
