/**
 * The defense study's plan (the `defense` stage): which defended models and baselines are fine-tuned
 * from the base model, the defense's settings, and how hard the adaptive evaluation attacks them.
 *
 * @module
 */

/** The defended models and baselines, each fine-tuned from the same base checkpoint. */
export type DefenseVariant = "vanilla" | "dissimilarity" | "memory" | "dissimilarityMemory" | "adversarial";

/**
 * What each variant trains with: the dissimilarity term (MinSim, λ = `DefensePlan.dissimilarityWeight`),
 * the memory banks in the loop (and at test time), joint audio-visual PGD adversarial training.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(DEFENSE_VARIANTS.dissimilarityMemory, { dissimilarity: true, memory: true, adversarial: false, label: "dissimilarity + memory (paper)" });
 * ```
 */
export const DEFENSE_VARIANTS: Readonly<
  Record<DefenseVariant, { dissimilarity: boolean; memory: boolean; adversarial: boolean; label: string }>
> = Object.freeze({
  vanilla: { dissimilarity: false, memory: false, adversarial: false, label: "vanilla" },
  dissimilarity: { dissimilarity: true, memory: false, adversarial: false, label: "dissimilarity" },
  memory: { dissimilarity: false, memory: true, adversarial: false, label: "memory" },
  dissimilarityMemory: {
    dissimilarity: true,
    memory: true,
    adversarial: false,
    label: "dissimilarity + memory (paper)",
  },
  adversarial: { dissimilarity: false, memory: false, adversarial: true, label: "PGD adversarial training" },
});

/** The memory-bank defense's settings (lib/defense `DefenseOptions` plus the bank size). */
export interface MemoryPlan {
  /** N, training embeddings per bank (the paper: 1024). */
  size: number;
  /** a in f̃ = a·Dh + (1 − a)·f (the paper: 0.5). */
  mix: number;
  /** λ of the ISTA coding (the paper: 0.1); the step is 1/λ_max(DᵀD). */
  lambda: number;
  /**
   * Most ISTA iterations (the paper: 2000). The unrolled ISTA about doubles the cost of every gradient step
   * through the defense at 20 iterations and grows with them, so the profiles cap it and the ablation
   * varies it.
   */
  maxIterations: number;
  /** ISTA's per-sample stopping tolerance (the paper: 8e-4). */
  tolerance: number;
}

/** Ablations of the paper's defense, run at test time on its fine-tuned model (joint defense budget). */
export interface DefenseAblationPlan {
  /** Test samples per ablation cell. */
  samples: number;
  /** Mixing values a. */
  mix: number[];
  /** ISTA λ values (0 = the linear Landweber map). */
  lambda: number[];
  /** Bank sizes N. */
  size: number[];
  /** ISTA iteration caps. */
  maxIterations: number[];
}

/** The defense study (the `defense` stage). */
export interface DefensePlan {
  /** Model id of the base checkpoint (from the train stage) every variant is fine-tuned from. */
  base: string;
  /** Defended models and baselines, in table order. */
  variants: DefenseVariant[];
  /** Fine-tuning epochs of every variant (the same budget for all). */
  epochs: number;
  /** λ of the dissimilarity term (the paper: 1). */
  dissimilarityWeight: number;
  /** The memory banks. */
  memory: MemoryPlan;
  /** PGD steps (step ε/4, random start) of adversarial training, at the joint defense budget. */
  adversarialSteps: number;
  /** Test samples per evaluation cell (the first ones, in split order). */
  samples: number;
  /** Samples per attack batch. */
  batchSize: number;
  /** Steps of every PGD and APGD run (≥ 100 for an evaluation a reviewer accepts). */
  steps: number;
  /** Restarts of every PGD and APGD run. */
  restarts: number;
  /** Queries of the Square attack. */
  squareQueries: number;
  /**
   * Where the full battery runs: `"verdict"`, at the joint defense budget only (the one the verdict reads;
   * the other budgets get APGD with the three losses and BPDA linear), or `"all"` budgets.
   */
  fullBattery: "verdict" | "all";
  /** ε of both modalities at the sanity point where accuracy must fall towards 0. */
  largeEpsilon: number;
  /** Ablations, or null for none. */
  ablation: DefenseAblationPlan | null;
  /** Bootstrap resamples of every 95% interval. */
  resamples: number;
}

const MEMORY: MemoryPlan = { size: 1024, mix: 0.5, lambda: 0.1, maxIterations: 20, tolerance: 8e-4 };
const VARIANTS: DefenseVariant[] = [
  "vanilla",
  "dissimilarity",
  "memory",
  "dissimilarityMemory",
  "adversarial",
];

const DEFAULT_PLAN: DefensePlan = {
  base: "av-concat",
  variants: VARIANTS,
  epochs: 1,
  dissimilarityWeight: 1,
  memory: MEMORY,
  adversarialSteps: 3,
  samples: 20,
  batchSize: 20,
  steps: 100,
  restarts: 1,
  squareQueries: 100,
  fullBattery: "verdict",
  largeEpsilon: 0.5,
  ablation: { samples: 10, mix: [0, 1], lambda: [0], size: [256], maxIterations: [5] },
  resamples: 1000,
};

/**
 * The plan of each profile. `default`: 1 fine-tuning epoch, 20 test samples per cell, PGD/APGD with 100
 * steps, the full battery (Square with 100 queries) at the verdict's joint budget and APGD (CE, margin) plus
 * BPDA linear elsewhere, ISTA capped at 20 iterations, ablations (a ∈ {0, 1}, λ = 0, N = 256, 5 iterations)
 * on 10 samples. Every attack of a battery runs on every sample (no cascade), so each attack's own accuracy
 * and the worst attack are measured, not only the worst case. Measured per evaluation cell on the shared
 * 2-core machine (CPU seconds, one process, av-concat small): a memory row (20 samples, the five budgets)
 * 90–104 s, of which the verdict budget's full battery about 55%; vanilla 47–66 s; adversarial training
 * 68 s; an ablation cell 16 s. The cold stage with `--jobs 2`: `deno task bench --only defense` (the
 * README gives the figure). `full`: 200 samples, 2 restarts, Square 1000 queries, the full battery everywhere,
 * a ∈ {0, .25, .75, 1}, λ ∈ {0, 1}, 5 and 100 iterations, 2 epochs. `smoke`: a handful of samples and 5
 * steps, for tests. `paper`: none (days on the paper's models).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(DEFENSE_PLANS.default?.steps, 100);
 * assert.equal(DEFENSE_PLANS.paper, null);
 * ```
 */
export const DEFENSE_PLANS: Readonly<Record<"smoke" | "default" | "full" | "paper", DefensePlan | null>> =
  Object
    .freeze({
      smoke: {
        ...DEFAULT_PLAN,
        memory: { ...MEMORY, size: 64, maxIterations: 5 },
        adversarialSteps: 1,
        samples: 8,
        batchSize: 8,
        steps: 5,
        squareQueries: 20,
        ablation: { samples: 4, mix: [0, 1], lambda: [0], size: [32], maxIterations: [2] },
        resamples: 100,
      },
      default: DEFAULT_PLAN,
      full: {
        ...DEFAULT_PLAN,
        epochs: 2,
        adversarialSteps: 5,
        samples: 200,
        batchSize: 100,
        restarts: 2,
        squareQueries: 1000,
        ablation: {
          samples: 100,
          mix: [0, 0.25, 0.75, 1],
          lambda: [0, 1],
          size: [256],
          maxIterations: [5, 100],
        },
      },
      paper: null,
    });
