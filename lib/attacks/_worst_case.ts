/**
 * The loop of the per-sample worst case over several attacks, with the member runner passed in (the
 * registry passes `runAttack`, which dispatches back to this loop for nested specs).
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import type { AvBatch } from "../data/batch.ts";
import type { AvModel } from "../models/types.ts";
import { createContext } from "./_context.ts";
import { evaluate, releaseEvaluation } from "./_gradient_attack.ts";
import type { AttackResult, Budget } from "./types.ts";

/** What {@linkcode worstCase} returns. Tensors belong to the caller. */
export interface WorstCaseResult extends AttackResult {
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
  /** Per-sample gradient evaluations summed over all attacks (calls × samples attacked); = `sampleGradients`. */
  gradientEvaluations: number;
}

/** The members, the budget and progress; `seed`, when set, replaces every member's seed. */
export interface CombineOptions<S> {
  attacks: readonly S[];
  budget: Budget;
  seed?: number;
  onProgress?: (event: { attack: string; index: number; robustAccuracy: number }) => void;
}

/** How the loop runs and names a member. */
export interface MemberRunner<S> {
  run: (batch: AvBatch, spec: S, seed: number | undefined) => Promise<AttackResult>;
  label: (spec: S) => string;
}

function gatherRows<T extends tf.Tensor>(x: T, rows: number[]): T {
  return tf.gather(x, tf.tensor1d(rows, "int32"));
}

/** Runs each member on the samples still robust and keeps each sample's first adversarial input. */
export async function combineAttacks<S>(
  model: AvModel,
  batch: AvBatch,
  options: CombineOptions<S>,
  runner: MemberRunner<S>,
): Promise<WorstCaseResult> {
  const { attacks, budget, seed, onProgress } = options;
  if (!Array.isArray(attacks) || attacks.length === 0) {
    throw new RangeError("Cannot run worstCase: options.attacks must list at least one attack");
  }
  const ctx = await createContext("worstCase", model, batch, { budget, target: "none" });
  const ev = evaluate(ctx, [], false);
  const cleanSuccess = Array.from(await ev.success.data(), (s) => s !== 0);
  const predictions = Array.from(await ev.prediction.data());
  releaseEvaluation(ev);
  ev.loss.dispose();
  ctx.dispose();
  const n = cleanSuccess.length;
  const successBy: (string | null)[] = cleanSuccess.map((s) => (s ? "clean" : null));
  let audio = tf.clone(batch.audio);
  let visual = tf.clone(batch.visual);
  const steps: WorstCaseResult["steps"] = [];
  let gradientEvaluations = 0;
  let gradientCalls = 0;
  const accuracy = () => successBy.filter((s) => s === null).length / n;
  try {
    for (const [index, spec] of attacks.entries()) {
      const label = runner.label(spec);
      const rows = successBy.flatMap((s, i) => (s === null ? [i] : []));
      if (rows.length > 0) {
        const sub: AvBatch = tf.tidy(() => ({
          audio: gatherRows(batch.audio, rows),
          visual: gatherRows(batch.visual, rows),
          labels: gatherRows(batch.labels, rows),
          ...(batch.targets ? { targets: gatherRows(batch.targets, rows) } : {}),
        }));
        try {
          const result = await runner.run(sub, spec, seed);
          gradientEvaluations += result.sampleGradients;
          gradientCalls += result.gradientCalls;
          // Row i of the merged tensor comes from the attack's output where it succeeded, else stays.
          const source = Array.from({ length: n }, (_, i) => i);
          result.success.forEach((ok, k) => {
            const row = rows[k] ?? 0;
            if (ok) {
              source[row] = n + k;
              successBy[row] = label;
              predictions[row] = result.predictions[k] ?? predictions[row] ?? 0;
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
    predictions,
    targets: null,
    lossTrace: [],
    finalLoss: Array.from({ length: n }, () => NaN),
    gradientCalls,
    sampleGradients: gradientEvaluations,
    cleanAccuracy: cleanSuccess.filter((s) => !s).length / n,
    steps,
    gradientEvaluations,
  };
}
