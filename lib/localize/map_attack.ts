/**
 * Attacks on the map itself: a loss that moves the map's mass out of the box (or into a chosen wrong
 * region), optionally while keeping the predicted class, run through the attack registry (PGD).
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import type { AvBatch, Box } from "../data/mod.ts";
import { type AvModel, disposeOutput } from "../models/mod.ts";
import { type AttackResult, type Budget, LOSSES, type LossFunction, runAttack } from "../attacks/mod.ts";
import { mapFromOutput, type MapSource } from "./localizers.ts";
import { MAP_SMOOTHING } from "./smooth_map.ts";

/** Options of {@linkcode mapLoss}. */
export interface MapLossOptions {
  /** Per sample, the region `[x0, y0, x1, y1]` in [0, 1] whose mass the loss moves (the box, or a target). */
  regions: readonly Box[];
  /** `"out"`: push mass out of the region (untargeted). `"in"`: pull mass into it (targeted). @default "out" */
  direction?: "out" | "in";
  /** The map attacked. @default "attention" */
  source?: MapSource;
  /** λ ≥ 0: the loss subtracts λ·cross-entropy at the labels, so the attack keeps that class. @default 0 */
  classWeight?: number;
  /** Smoothing of the attacked map, as the localizer reads it. @default {@linkcode MAP_SMOOTHING} */
  smoothing?: number;
}

/** `[batch, h, w]` share of each grid cell the region covers. */
function coverage(regions: readonly Box[], h: number, w: number): tf.Tensor3D {
  const values = new Float32Array(regions.length * h * w);
  const overlap = (lo: number, hi: number, a: number, b: number) =>
    Math.max(0, Math.min(hi, b) - Math.max(lo, a));
  regions.forEach((box, n) => {
    const [x0, x1] = [Math.min(box[0], box[2]), Math.max(box[0], box[2])];
    const [y0, y1] = [Math.min(box[1], box[3]), Math.max(box[1], box[3])];
    for (let r = 0; r < h; r++) {
      for (let c = 0; c < w; c++) {
        values[(n * h + r) * w + c] = overlap(r / h, (r + 1) / h, y0, y1) * h *
          overlap(c / w, (c + 1) / w, x0, x1) * w;
      }
    }
  });
  return tf.tensor3d(values, [regions.length, h, w]);
}

/**
 * A per-sample attack loss on the map: with p the map as a distribution over locations (the attention
 * weights; for similarity, (cos + 1)/2 normalised to sum 1) and M the share of each cell inside the
 * region, the loss is `−Σ p·M` (direction `out`) or `Σ p·M` (`in`), minus λ·CE(logits, labels).
 * Attacks climb it. The regions are bound to the batch's rows, so run it with every row at every step:
 * `keep: "last"`, `earlyStop: false`, one restart (what {@linkcode mapAttack} does).
 *
 * @param options Regions, direction, map source, class weight.
 * @returns A loss named `mapMass` for the attack registry.
 * @throws {RangeError} If `classWeight` is negative.
 * @throws {TypeError} When called on a batch whose size differs from the number of regions.
 *
 * @example Attention mass in the left half
 * ```ts
 * import assert from "node:assert/strict";
 * import { tf, useBackend } from "../engine/mod.ts";
 * await useBackend("cpu");
 * const attention = tf.tensor3d([[[0.5, 0], [0.5, 0]]]);
 * const logits = tf.zeros<tf.Rank.R2>([1, 2]);
 * const output = { logits, audioFeatures: null, visualFeatures: null, visualMap: null, attention };
 * const loss = mapLoss({ regions: [[0, 0, 0.5, 1]], smoothing: 0 })(output, tf.tensor1d([0], "int32"));
 * assert.deepEqual(Array.from(await loss.data()), [-1]);
 * ```
 */
export function mapLoss(options: MapLossOptions): LossFunction {
  const { regions, direction = "out", source = "attention", classWeight = 0, smoothing } = options;
  if (!(classWeight >= 0)) {
    throw new RangeError(
      `Cannot build the map loss: classWeight must be >= 0, current value is ${classWeight}`,
    );
  }
  const sign = direction === "out" ? -1 : 1;
  const mapMass: LossFunction = (output, labels) => {
    const map = mapFromOutput(output, source, { smoothing: smoothing ?? MAP_SMOOTHING });
    const [batch, h, w] = map.shape;
    if (batch !== regions.length) {
      throw new TypeError(
        `Cannot compute the map loss: it has ${regions.length} regions for a batch of ${batch} ` +
          `(run it with keep: 'last', earlyStop: false)`,
      );
    }
    const shifted = source === "attention" ? map : tf.div(tf.add(map, 1), 2);
    const p = tf.div(shifted, tf.sum(shifted, [1, 2], true));
    const mass = tf.sum(tf.mul(p, coverage(regions, h, w)), [1, 2]);
    const term: tf.Tensor1D = tf.mul(mass, sign);
    return classWeight === 0 ? term : tf.sub(term, tf.mul(LOSSES.crossEntropy(output, labels), classWeight));
  };
  return mapMass;
}

/** Options of {@linkcode mapAttack}. */
export interface MapAttackOptions extends MapLossOptions {
  /** The threat model. Required. */
  budget: Budget;
  /** Keep the clean predicted class (λ = 1 unless `classWeight` says otherwise). @default false */
  keepClass?: boolean;
  /** PGD iterations. @default 10 */
  steps?: number;
  /** Step size as a fraction of ε. @default 0.125 */
  relativeStepSize?: number;
  /** Seed. @default 0 */
  seed?: number;
}

/**
 * Moves the localization map by PGD on {@linkcode mapLoss} (registry attack `pgd`, last iterate, every
 * row at every step). With `keepClass`, the labels the loss keeps are the clean predictions. The
 * result's `success` is the registry's (misclassification); the map's move is measured with the metrics.
 *
 * @param model An audio-visual model that gives the map (`attention` fusion for the attention map).
 * @param batch Clean inputs and labels; not disposed.
 * @param options Budget, regions, direction, map source, class keeping, steps, seed.
 * @returns The attack result (tensors belong to the caller).
 *
 * @example
 * ```ts ignore
 * const result = await mapAttack(model, batch, { budget: PAPER_BUDGETS.visual, regions: boxes });
 * ```
 */
export async function mapAttack(
  model: AvModel,
  batch: AvBatch,
  options: MapAttackOptions,
): Promise<AttackResult> {
  const { budget, keepClass = false, steps = 10, relativeStepSize = 0.125, seed = 0 } = options;
  const classWeight = options.classWeight ?? (keepClass ? 1 : 0);
  const predictions = keepClass
    ? tf.tidy((): tf.Tensor1D => {
      const output = model.apply(batch.audio, batch.visual);
      const predicted = tf.argMax<tf.Tensor1D>(output.logits, 1);
      disposeOutput(output);
      return predicted;
    })
    : null;
  try {
    const loss = mapLoss({ ...options, classWeight });
    return await runAttack(
      model,
      predictions ? { ...batch, labels: predictions } : batch,
      { attack: "pgd", options: { loss, steps, relativeStepSize, seed, keep: "last", earlyStop: false } },
      budget,
    );
  } finally {
    predictions?.dispose();
  }
}
