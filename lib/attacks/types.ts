/**
 * Types shared by every attack: the threat model ({@linkcode Budget}), targeting, losses and the
 * {@linkcode AttackResult} every attack returns.
 *
 * @module
 */
import type { tf } from "../engine/tf.ts";
import type { AvBatch } from "../data/batch.ts";
import type { AvModel, AvOutput } from "../models/types.ts";

/** Norm of the threat model. Per-sample sizes reduce over all axes but the batch axis. */
export type Norm = "linf" | "l2";

/**
 * Units of the visual budget.
 * - `"pixel"`: raw frame values in `model.bounds.visual` (usually [0, 1]).
 * - `"normalized"`: the model's normalised space `(x - mean) / std`, as the paper attacked; a budget
 *   ε then allows a per-channel pixel change of ε·std (`visualPixelLabel` gives it in /255 units).
 */
export type VisualUnits = "pixel" | "normalized";

/**
 * The threat model as data: a per-modality ε-ball under one norm. A modality with ε = 0 is not
 * attacked and comes back bit-identical. Valid ranges come from `model.bounds`.
 */
export interface Budget {
  /** Norm of both balls. */
  norm: Norm;
  /** ε_a: waveform amplitude (inputs lie in [-1, 1]). */
  audio: number;
  /** ε_v, in {@linkcode Budget.visualUnits}. */
  visual: number;
  /** Units of `visual`. @default "pixel" */
  visualUnits?: VisualUnits;
}

/**
 * Targeting. `"none"`: untargeted (change the prediction away from the label). `"next"`: label + 1
 * mod C. `"random"`: a seeded random class other than the label. `"leastLikely"`: the clean logits'
 * argmin. `"given"`: `batch.targets`.
 */
export type TargetMode = "none" | "next" | "random" | "leastLikely" | "given";

/**
 * A per-sample loss `[batch]` of a forward pass against `labels` (int32 `[batch]`). Untargeted attacks
 * increase it at the true labels; targeted attacks decrease it at the target classes.
 */
export type LossFunction = (output: AvOutput, labels: tf.Tensor1D) => tf.Tensor1D;

/** Names of the built-in losses in {@linkcode LOSSES}. */
export type LossName = "crossEntropy" | "margin" | "crossEntropyCosine";

/** Options every attack accepts. */
export interface CommonAttackOptions {
  /** The threat model. Required. */
  budget: Budget;
  /** Targeting. @default "none" */
  target?: TargetMode;
  /**
   * The loss the attack climbs: a built-in name or a function. Caches key a function by its `name`,
   * so give custom losses distinct names.
   * @default "crossEntropy"
   */
  loss?: LossName | LossFunction;
  /** Seed of every random choice (random start, random targets). @default 0 */
  seed?: number;
}

/** What every attack returns. Tensors belong to the caller; the inputs are never disposed. */
export interface AttackResult {
  /** Adversarial waveforms `[batch, samples]` within `model.bounds.audio`. */
  audio: tf.Tensor2D;
  /** Adversarial frames `[batch, height, width, channels]` within `model.bounds.visual`. */
  visual: tf.Tensor4D;
  /** Per sample: whether the returned inputs are adversarial ({@linkcode isAdversarial}). */
  success: boolean[];
  /** Per sample: the predicted class on the returned inputs. */
  predictions: number[];
  /** Per sample: the class a targeted attack aimed at, or null when untargeted. */
  targets: number[] | null;
  /**
   * The loss (not negated for targeted attacks) at every iterate of the first run, `[iterate][sample]`;
   * the first row is the clean input (or the start point). NaN once a sample stopped early.
   */
  lossTrace: number[][];
  /** Per sample: the loss at the returned inputs. */
  finalLoss: number[];
  /** Gradient evaluations (forward + backward passes on a batch) the attack used. */
  gradientCalls: number;
  /** Per-sample gradients: the batch sizes of those calls summed (smaller than calls × batch with early stop). */
  sampleGradients: number;
  /** Composite attacks only: each member's label and the robust accuracy after it, in order. */
  steps?: { attack: string; robustAccuracy: number; attacked: number }[];
}

/** What the registry knows about an attack besides how to run it (its metadata). */
export interface AttackInfo {
  /** Every option's default (the common ones included), as cached, reported and left out of labels. */
  readonly defaults: Readonly<Record<string, unknown>>;
  /** Takes several steps (PGD, MIM, APGD); false for one-step attacks (FGSM) and noise baselines. */
  readonly iterative: boolean;
  /** Uses no input gradients (random noise, black-box search). */
  readonly gradientFree: boolean;
  /** The built-in losses `options.loss` may name; empty when the attack takes no loss. */
  readonly losses: readonly LossName[];
  /** Combines other attacks, listed as specs in `options.attacks` (the worst case). @default false */
  readonly composite?: boolean;
  /** One line for docs and reports. */
  readonly description: string;
}

/**
 * A registry entry: how to run an attack (the shared signature) and its metadata.
 *
 * @typeParam O The attack's options, budget included.
 */
export interface AttackEntry<O extends { budget: Budget }> extends AttackInfo {
  /** The attack: `(model, batch, options) -> Promise<AttackResult>`. */
  readonly run: (model: AvModel, batch: AvBatch, options: O) => Promise<AttackResult>;
}
