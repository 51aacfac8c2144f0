/**
 * What the defense stage's fine-tuning adds to a train cell: the memory defense in the loop and joint
 * audio-visual PGD adversarial training. A module of its own so that a fine-tuned model's cell key holds
 * this code's closure (with the training code's), not the evaluation's.
 *
 * @module
 */
import { DEFENSE_BUDGETS, runAttack } from "../../attacks/mod.ts";
import { defendModel, type MemoryBanks } from "../../defense/mod.ts";
import type { AvModel } from "../../models/mod.ts";
import type { TrainModelOptions } from "../../train/mod.ts";
import type { DefensePlan, MemoryPlan } from "./defense_plan.ts";

/**
 * Entry modules of the fine-tuning code, for `context.memo(…, { sources })` beside the train cell's.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.match(DEFENSE_TRAINING_SOURCES[0] ?? "", /_defense_training\.ts$/);
 * ```
 */
export const DEFENSE_TRAINING_SOURCES: readonly string[] = [import.meta.url];

/**
 * The memory defense in the training loop: wraps the model being fine-tuned with the fixed banks.
 *
 * @param banks The banks from the base model (not disposed).
 * @param memory The defense's settings.
 * @returns The `wrap` option of `trainModel`, and a function freeing the wrappers it made.
 */
export function memoryInTheLoop(
  banks: MemoryBanks,
  memory: MemoryPlan,
): { wrap: NonNullable<TrainModelOptions["wrap"]>; dispose: () => void } {
  const made: AvModel[] = [];
  return {
    wrap: (model) => {
      const defended = defendModel(model, banks, memory);
      made.push(defended);
      return defended;
    },
    dispose: () => {
      for (const defended of made.splice(0)) defended.dispose();
    },
  };
}

/**
 * Joint audio-visual PGD adversarial training (Madry et al.) at the evaluation ε (the joint defense
 * budget): each batch is replaced by PGD with `plan.adversarialSteps` steps of 2.5ε/steps from a random
 * start on the eval-mode model, seeded per epoch and step.
 *
 * @param plan The steps.
 * @param seed The attack seed.
 * @returns The `perturb` option of `trainModel`.
 */
export function adversarialPerturbation(
  plan: Pick<DefensePlan, "adversarialSteps">,
  seed: number,
): NonNullable<TrainModelOptions["perturb"]> {
  const steps = plan.adversarialSteps;
  return async (model, batch, at) => {
    const options = {
      steps,
      randomStart: true,
      relativeStepSize: 2.5 / steps,
      earlyStop: false,
      seed: seed + at.epoch * 100_003 + at.step,
    };
    const result = await runAttack(model, batch, { attack: "pgd", options }, DEFENSE_BUDGETS.joint);
    return { audio: result.audio, visual: result.visual };
  };
}
