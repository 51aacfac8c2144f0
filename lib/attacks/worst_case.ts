/**
 * The per-sample worst case over several attacks (AutoAttack's ensemble), registered as `worstCase`.
 *
 * @module
 */
import type { AvBatch } from "../data/batch.ts";
import type { AvModel } from "../models/types.ts";
import { labelWith } from "./_spec_label.ts";
import { combineAttacks, type WorstCaseResult } from "./_worst_case.ts";
import { attackInfo, runAttack, withSeed, type WorstCaseOptions } from "./registry.ts";

export type { WorstCaseResult };

/**
 * Runs each attack only on the samples still robust after the previous ones and keeps, per sample, the
 * first adversarial input found (Croce & Hein's AutoAttack ensemble, https://arxiv.org/abs/2003.01690).
 * Samples misclassified on clean inputs are never attacked. As a spec it reads
 * `{ attack: "worstCase", options: { attacks } }`.
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
export function worstCase(
  model: AvModel,
  batch: AvBatch,
  options: WorstCaseOptions,
): Promise<WorstCaseResult> {
  // The registry's `worstCase` entry runs the same loop; this wrapper only keeps the richer result type.
  return combineAttacks(model, batch, options, {
    run: (sub, spec, seed) =>
      runAttack(model, sub, seed === undefined ? spec : withSeed(spec, seed), options.budget),
    label: (spec) => labelWith(attackInfo, spec),
  });
}
