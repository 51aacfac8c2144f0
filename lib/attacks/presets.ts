/**
 * Named attack lists (arrays of specs, never code that changes settings).
 *
 * @module
 */
import type { AttackSpec } from "./registry.ts";

/** Names of {@linkcode ATTACK_PRESETS}. */
export type AttackPreset = "paper" | "fixed" | "strong";

/**
 * Attack lists by name.
 * - `paper`: the paper's released protocol: FGSM; PGD-10, α = ε/8, no random start, last iterate;
 *   MIM-10, μ = 1, the as-released projection and batch L1 normalisation, last iterate. Use with
 *   {@linkcode PAPER_BUDGETS} to match its numbers.
 * - `fixed`: the same attacks implemented correctly (MIM projected onto the ε-ball, per-sample L1) and
 *   keeping each sample's best iterate.
 * - `strong`: APGD-CE (100 iterations, random start) and PGD-10 with a margin loss, for a worst case.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(ATTACK_PRESETS.paper.map((s) => s.attack), ["fgsm", "pgd", "mim"]);
 * ```
 */
export const ATTACK_PRESETS: Readonly<Record<AttackPreset, readonly AttackSpec[]>> = Object.freeze({
  paper: [
    { attack: "fgsm" },
    { attack: "pgd", options: { steps: 10, relativeStepSize: 0.125, randomStart: false, keep: "last" } },
    {
      attack: "mim",
      options: {
        steps: 10,
        relativeStepSize: 0.125,
        momentumDecay: 1,
        projection: "asReleased",
        keep: "last",
      },
    },
  ],
  fixed: [
    { attack: "fgsm" },
    { attack: "pgd", options: { steps: 10, relativeStepSize: 0.125 } },
    { attack: "mim", options: { steps: 10, relativeStepSize: 0.125, momentumDecay: 1 } },
  ],
  strong: [
    { attack: "apgd" },
    { attack: "pgd", options: { loss: "margin" } },
  ],
});
