/**
 * The momentum iterative method, correct and as released with the paper.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import type { AvBatch } from "../data/batch.ts";
import type { AvModel } from "../models/types.ts";
import {
  type AttackContext,
  checkChoice,
  checkInteger,
  checkNumber,
  type ModalityState,
} from "./_context.ts";
import { runGradientAttack, type Stepper } from "./_gradient_attack.ts";
import { perSampleSum, toBatchShape } from "./_reduce.ts";
import type { AttackResult, CommonAttackOptions } from "./types.ts";

/** Options of {@linkcode mim}. */
export interface MimOptions extends CommonAttackOptions {
  /** Iterations (the paper: 10). @default 10 */
  steps?: number;
  /** Step size α as a fraction of ε (the paper: α = ε/8). @default 0.125 */
  relativeStepSize?: number;
  /** Momentum decay μ (the paper: 1.0). @default 1 */
  momentumDecay?: number;
  /**
   * `"correct"`: per-sample L1 gradient normalisation and projection onto the ε-ball around the clean
   * input. `"asReleased"`: the reference code's behaviour (L∞ only), see {@linkcode mim}.
   * @default "correct"
   */
  projection?: "correct" | "asReleased";
  /** `"best"` iterate per sample or the `"last"` one (the paper's code). @default "best" */
  keep?: "best" | "last";
  /**
   * With `keep: "best"`, stop attacking a sample as soon as it is adversarial, and never attack one the
   * model already misclassifies (AutoAttack's practice): success and robust accuracy are unchanged, the
   * returned point is the first adversarial iterate, and the attack runs faster. Ignored for `"last"`.
   * @default true
   */
  earlyStop?: boolean;
}

/** Defaults of {@linkcode MimOptions}, the values the cache hashes. */
export const MIM_DEFAULTS = Object.freeze(
  {
    steps: 10,
    relativeStepSize: 0.125,
    momentumDecay: 1,
    projection: "correct",
    keep: "best",
    earlyStop: true,
  } satisfies Required<Omit<MimOptions, keyof CommonAttackOptions>>,
);

function momentumStepper(ctx: AttackContext, decay: number, wholeBatch: boolean): Stepper {
  let momentum: tf.Tensor[] | null = null;
  return {
    next(grads) {
      const updated = tf.tidy(() =>
        grads.map((g, i) => {
          const l1 = wholeBatch ? tf.sum(tf.abs(g)) : toBatchShape(perSampleSum(tf.abs(g)), g.rank);
          const normalized = tf.div(g, tf.maximum(l1, 1e-30));
          const previous = momentum?.[i];
          return previous ? tf.add(tf.mul(previous, decay), normalized) : normalized;
        })
      );
      tf.dispose(momentum ?? []);
      momentum = updated;
      return tf.tidy(() => updated.map((m) => ctx.norm.direction(m)));
    },
    select(rows) {
      if (!momentum) return;
      const index = tf.tensor1d([...rows], "int32");
      const kept = momentum.map((m) => tf.gather(m, index));
      tf.dispose([...momentum, index]);
      momentum = kept;
    },
    dispose() {
      tf.dispose(momentum ?? []);
      momentum = null;
    },
  };
}

/**
 * The reference code's clip, which used the current adversarial input x where it meant the clean x₀:
 * min(max(x, L), x + ε) with L the lower bound *in the reference's units*, then the range clip. For
 * audio L = −1, so only the [−1, 1] clamp remains. For frames L is normalised 0, i.e. the pixel value
 * `visualNormalization.mean`: every pixel darker than the mean is raised by up to ε·std per step.
 */
function asReleasedProjection(_ctx: AttackContext, m: ModalityState, x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const lower = m.name === "visual"
      ? tf.tensor1d([..._ctx.model.visualNormalization.mean])
      : tf.scalar(m.low);
    const radius = m.scale ? tf.mul(m.scale, m.eps) : tf.scalar(m.eps);
    const clipped = tf.minimum(tf.maximum(x, lower), tf.add(x, radius));
    return tf.clipByValue(clipped, m.low, m.high);
  });
}

/**
 * MIM (Dong et al., CVPR 2018, https://arxiv.org/abs/1710.06081), the paper's default attack for AVE
 * and the defense: g ← μ·g + ∇/‖∇‖₁, step α·sign(g) (L∞; L2 uses g/‖g‖₂), per modality, then
 * projection onto the ε-ball around the clean input and a clip to `model.bounds`. Audio
 * `[batch, samples]` in [-1, 1]; frames `[batch, H, W, C]` in [0, 1] (ε_v in pixel or normalised units).
 *
 * `projection: "asReleased"` reproduces YapengTian/AV-Robustness-CVPR21 `main_attack.py` exactly where
 * it differs (L∞ only; pair it with `keep: "last"` and normalised visual budgets to match its numbers):
 * - the L1 norm is taken over the whole batch tensor of each modality, not per sample;
 * - there is no ε-ball projection: audio is only clamped to [-1, 1], so after 10 steps of ε/8 its L∞
 *   perturbation reaches up to 1.25ε;
 * - the frame's lower clamp 0 is applied in normalised space: pixels darker than the channel mean are
 *   raised by up to ε (normalised) per step, saturating at the mean, so they can move by ~11ε.
 *
 * @param model The model (eval mode is used).
 * @param batch Clean inputs and int32 labels; not disposed.
 * @param options Budget (required), steps, step size, μ, projection mode, targeting, loss, seed.
 * @returns Adversarial inputs (owned by the caller), per-sample success and the loss trace.
 * @throws {RangeError} If an option is out of range, `asReleased` is asked for with L2, or inputs lie
 * outside the bounds.
 * @throws {TypeError} If the batch has the wrong shapes.
 *
 * @example The released projection lets audio leave the ε-ball
 * ```ts
 * import assert from "node:assert/strict";
 * import { useBackend } from "../engine/mod.ts";
 * import { linearModel, linearBatch } from "../models/toy_models.ts";
 * await useBackend("cpu");
 * const model = linearModel({ numClasses: 2, seed: 1 });
 * const batch = linearBatch(model, { size: 2, seed: 2 });
 * const budget = { norm: "linf" as const, audio: 0.01, visual: 0 };
 * const released = await mim(model, batch, { budget, projection: "asReleased", keep: "last" });
 * const size = (await released.audio.sub(batch.audio).abs().max().data())[0] ?? 0;
 * assert.ok(size > 0.0124 && size < 0.0126);
 * ```
 */
export async function mim(model: AvModel, batch: AvBatch, options: MimOptions): Promise<AttackResult> {
  const { steps, relativeStepSize, momentumDecay, projection, keep, earlyStop } = {
    ...MIM_DEFAULTS,
    ...options,
  };
  checkInteger("mim", "steps", steps, 1);
  checkNumber("mim", "relativeStepSize", relativeStepSize, 0);
  checkNumber("mim", "momentumDecay", momentumDecay, 0);
  checkChoice("mim", "projection", projection, ["correct", "asReleased"]);
  checkChoice("mim", "keep", keep, ["best", "last"]);
  const asReleased = projection === "asReleased";
  if (asReleased && options.budget?.norm !== "linf") {
    throw new RangeError(
      `Cannot run mim: projection 'asReleased' exists only for norm 'linf', current value is '${options.budget?.norm}'`,
    );
  }
  return await runGradientAttack("mim", model, batch, options, {
    steps,
    relativeStepSize,
    randomStart: false,
    restarts: 1,
    keep,
    earlyStop,
    createStepper: (ctx) => momentumStepper(ctx, momentumDecay, asReleased),
    ...(asReleased ? { project: asReleasedProjection } : {}),
  });
}
