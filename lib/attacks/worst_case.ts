/**
 * The per-sample worst case over several attacks (AutoAttack's ensemble).
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import type { AvBatch } from "../data/batch.ts";
import type { AvModel } from "../models/types.ts";
import { createContext } from "./_context.ts";
import { evaluate, releaseEvaluation } from "./_gradient_attack.ts";
import { type AttackSpec, runAttack, specLabel } from "./registry.ts";
import type { Budget } from "./types.ts";

/** Options of {@linkcode worstCase}. */
export interface WorstCaseOptions {
  /** The attacks, run in order (cheap ones first saves time). */
  attacks: AttackSpec[];
  /** The budget every attack gets (overrides the specs' own). */
  budget: Budget;
  /** Called after each attack with its label and the robust accuracy so far. */
  onProgress?: (event: { attack: string; index: number; robustAccuracy: number }) => void;
}

/** What {@linkcode worstCase} returns. Tensors belong to the caller. */
export interface WorstCaseResult {
  /** Per sample: the first adversarial input found, or the clean input where none was. */
  audio: tf.Tensor2D;
  visual: tf.Tensor4D;
  /** Per sample: adversarial under any attack (a clean misclassification counts). */
  success: boolean[];
  /** Per sample: label of the attack that succeeded first, `"clean"`, or null. */
  successBy: (string | null)[];
  /** Accuracy on the clean inputs. */
  cleanAccuracy: number;
  /** Robust accuracy (share of samples not adversarial) after each attack, in order. */
  steps: { attack: string; robustAccuracy: number; attacked: number }[];
  /** Per-sample gradient evaluations summed over all attacks (calls × samples attacked). */
  gradientEvaluations: number;
}

function gatherRows<T extends tf.Tensor>(x: T, rows: number[]): T {
  return tf.gather(x, tf.tensor1d(rows, "int32"));
}

/**
 * Runs each attack only on the samples still robust after the previous ones and keeps, per sample, the
 * first adversarial input found (Croce & Hein's AutoAttack ensemble, https://arxiv.org/abs/2003.01690).
 * Samples misclassified on clean inputs are never attacked.
 *
 * @param model The model.
 * @param batch Clean inputs and labels (and `targets` for `target: "given"` specs); not disposed.
 * @param options The attacks and the budget.
 * @returns The merged adversarial inputs and the robust accuracy after each attack.
 * @throws {RangeError} If `attacks` is empty or the budget is invalid.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { useBackend } from "../engine/mod.ts";
 * import { linearModel, linearBatch } from "../models/toy_models.ts";
 * await useBackend("cpu");
 * const model = linearModel({ seed: 1 });
 * const batch = linearBatch(model, { size: 6, seed: 2 });
 * const result = await worstCase(model, batch, {
 *   attacks: [{ attack: "fgsm" }, { attack: "pgd" }],
 *   budget: { norm: "linf", audio: 0.05, visual: 0.05 },
 * });
 * assert.ok(result.steps[1]!.robustAccuracy <= result.steps[0]!.robustAccuracy);
 * ```
 */
export async function worstCase(
  model: AvModel,
  batch: AvBatch,
  options: WorstCaseOptions,
): Promise<WorstCaseResult> {
  const { attacks, budget, onProgress } = options;
  if (!Array.isArray(attacks) || attacks.length === 0) {
    throw new RangeError("Cannot run worstCase: options.attacks must list at least one attack");
  }
  const ctx = await createContext("worstCase", model, batch, { budget, target: "none" });
  const ev = evaluate(ctx, [], false);
  const cleanSuccess = Array.from(await ev.success.data(), (s) => s !== 0);
  releaseEvaluation(ev);
  ev.loss.dispose();
  ctx.dispose();
  const n = cleanSuccess.length;
  const successBy: (string | null)[] = cleanSuccess.map((s) => (s ? "clean" : null));
  let audio = tf.clone(batch.audio);
  let visual = tf.clone(batch.visual);
  const steps: WorstCaseResult["steps"] = [];
  let gradientEvaluations = 0;
  const accuracy = () => successBy.filter((s) => s === null).length / n;
  try {
    for (const [index, spec] of attacks.entries()) {
      const label = specLabel(spec);
      const rows = successBy.flatMap((s, i) => (s === null ? [i] : []));
      if (rows.length > 0) {
        const sub: AvBatch = tf.tidy(() => ({
          audio: gatherRows(batch.audio, rows),
          visual: gatherRows(batch.visual, rows),
          labels: gatherRows(batch.labels, rows),
          ...(batch.targets ? { targets: gatherRows(batch.targets, rows) } : {}),
        }));
        try {
          const result = await runAttack(model, sub, spec, budget);
          gradientEvaluations += result.sampleGradients;
          // Row i of the merged tensor comes from the attack's output where it succeeded, else stays.
          const source = Array.from({ length: n }, (_, i) => i);
          result.success.forEach((ok, k) => {
            const row = rows[k] ?? 0;
            if (ok) {
              source[row] = n + k;
              successBy[row] = label;
            }
          });
          const merge = <T extends tf.Tensor>(current: T, adversarial: T): T =>
            tf.tidy(() => gatherRows(tf.concat([current, adversarial]), source));
          const nextAudio = merge(audio, result.audio);
          const nextVisual = merge(visual, result.visual);
          tf.dispose([audio, visual, result.audio, result.visual]);
          audio = nextAudio;
          visual = nextVisual;
        } finally {
          tf.dispose([sub.audio, sub.visual, sub.labels, ...(sub.targets ? [sub.targets] : [])]);
        }
      }
      steps.push({ attack: label, robustAccuracy: accuracy(), attacked: rows.length });
      onProgress?.({ attack: label, index, robustAccuracy: accuracy() });
    }
  } catch (error) {
    tf.dispose([audio, visual]);
    throw error;
  }
  return {
    audio,
    visual,
    success: successBy.map((s) => s !== null),
    successBy,
    cleanAccuracy: cleanSuccess.filter((s) => !s).length / n,
    steps,
    gradientEvaluations,
  };
}
