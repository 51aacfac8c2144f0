/**
 * Types of robustness evaluation: check results and the flat {@linkcode EvalRecord} every sweep cell
 * produces (one JSON line each).
 *
 * @module
 */
import type { Norm, TargetMode, VisualUnits } from "../attacks/types.ts";

/** Identifiers of the sanity checks; {@linkcode CHECK_DOCS} explains each. */
export type CheckId =
  | "budget"
  | "range"
  | "finite"
  | "loss-increase"
  | "zero-budget"
  | "zero-gradient"
  | "deterministic"
  | "logits"
  | "stronger-weaker"
  | "monotone-epsilon"
  | "ensemble";

/** The outcome of one check. `ok: false` raises a flag; it never stops a run. */
export interface CheckResult {
  /** Which check. */
  id: CheckId;
  /** True when nothing suspicious was found. */
  ok: boolean;
  /** What was measured, in one sentence. */
  detail: string;
}

/** Version of the {@linkcode EvalRecord} layout. */
export const EVAL_SCHEMA = "avrobust.eval/1";

/**
 * One evaluated cell (dataset × model × attack × budget), flat so that a table is one `map` away. Written
 * as one JSON line. Accuracies are fractions in [0, 1]. Perturbation sizes are per-sample maxima or
 * means over the evaluated samples; visual sizes are in the budget's units (`visualUnits`) unless named
 * `Pixel`. `null` means "not applicable" (e.g. a cosine for a model without that feature).
 */
export interface EvalRecord {
  /** Layout version, {@linkcode EVAL_SCHEMA}. */
  schema: string;
  /** Dataset name and content hash, and the split evaluated. */
  dataset: string;
  datasetHash: string;
  split: string;
  /** Model name (as given to the sweep), its checkpoint hash, kind and fusion (from `model.config`). */
  model: string;
  modelHash: string;
  modelKind: string;
  fusion: string;
  /** Modalities the model reads, joined by "+", e.g. `audio+visual`. */
  modalities: string;
  /**
   * Attack: its registry name (`fgsm`, …, `worstCase`, or a registered one), its short label (derived by
   * `specLabel`), and its resolved spec `{ attack, options }` as JSON (seeds left out).
   */
  attack: string;
  attackLabel: string;
  attackConfig: string;
  /** The budget: norm, ε_a, ε_v (in `visualUnits`), the largest per-channel pixel ε_v, and which modalities. */
  norm: Norm;
  epsAudio: number;
  epsVisual: number;
  visualUnits: VisualUnits;
  epsVisualPixel: number;
  budgetKind: "clean" | "audio" | "visual" | "joint";
  /** Targeting mode. */
  target: TargetMode;
  /** Sweep seed, number of samples and batch size. */
  seed: number;
  n: number;
  batchSize: number;
  /** Accuracy on clean inputs; on attacked inputs; share of clean-correct samples the attack fooled. */
  cleanAccuracy: number;
  robustAccuracy: number;
  attackSuccessRate: number | null;
  /** Audio perturbation: largest and mean per-sample L∞, mean L2, mean SNR in dB over perturbed samples. */
  audioLinfMax: number;
  audioLinfMean: number;
  audioL2Mean: number;
  audioSnrDbMean: number | null;
  /** Visual perturbation in budget units, and the largest L∞ in pixel units. */
  visualLinfMax: number;
  visualLinfMean: number;
  visualL2Mean: number;
  visualLinfPixelMax: number;
  /** Mean cosine similarity of clean vs attacked audio features, and of visual features. */
  cosineAudioMean: number | null;
  cosineVisualMean: number | null;
  /** Mean cosine similarity between audio and visual features, clean and attacked (the paper's plot). */
  cosineAvCleanMean: number | null;
  cosineAvAdversarialMean: number | null;
  /** Mean attack loss at the start point and at the returned point (null for composite attacks). */
  lossStartMean: number | null;
  lossFinalMean: number | null;
  /** Composite attacks (worstCase) only: member labels and the robust accuracy after each; null otherwise. */
  ensemble: string[] | null;
  ensembleAccuracies: number[] | null;
  /** Gradient evaluations per sample, wall time of the cell, and throughput. */
  gradientCallsPerSample: number;
  seconds: number;
  samplesPerSecond: number;
  /** TensorFlow.js backend. */
  backend: string;
  /** Content hash of the code that computed the cell (part of its key), and the cell's config hash. */
  codeVersion: string;
  configHash: string;
  /** ISO time the cell was computed, and whether this run read it from the cache or resume state. */
  createdAt: string;
  cached: boolean;
  /** All checks passed; ids of those that did not; every check with its detail. */
  checksPassed: boolean;
  flags: CheckId[];
  checks: CheckResult[];
  /** Per-sample values in sample order (1/0 for booleans), for plots and paired comparisons. */
  perSample: {
    cleanCorrect: number[];
    success: number[];
    cosineAvClean: number[] | null;
    cosineAvAdversarial: number[] | null;
  };
}
