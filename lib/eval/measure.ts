/**
 * Per-sample measurements of an attack: correctness, the perturbation actually used, and how the
 * features moved.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import type { AvBatch } from "../data/batch.ts";
import type { AvModel, AvOutput } from "../models/types.ts";
import type { Budget } from "../attacks/types.ts";
import { budgetKind } from "../attacks/budgets.ts";

/** Options of {@linkcode measureAttack}. */
export interface MeasureOptions {
  /**
   * The model's output on the clean batch, when the caller already has it (a sweep computes it once per
   * batch and model, not once per cell); not disposed. @default computed here
   */
  clean?: AvOutput;
}

/** Per-sample measurements of one batch (arrays in sample order). */
export interface SampleMetrics {
  /** Prediction on the clean / attacked inputs equals the label. */
  cleanCorrect: boolean[];
  adversarialCorrect: boolean[];
  /** Audio perturbation: L∞, L2 (amplitude units) and SNR in dB (null when unperturbed). */
  audioLinf: number[];
  audioL2: number[];
  audioSnrDb: (number | null)[];
  /** Visual perturbation in the budget's units (pixel, or normalised = pixel / std), and L∞ in pixels. */
  visualLinf: number[];
  visualL2: number[];
  visualLinfPixel: number[];
  /** cos(f_a clean, f_a attacked), cos(f_v clean, f_v attacked); null when the model has no such feature. */
  cosineAudio: number[] | null;
  cosineVisual: number[] | null;
  /** cos(f_a, f_v) on clean and on attacked inputs (the paper's similarity plot); null when their widths differ. */
  cosineAvClean: number[] | null;
  cosineAvAdversarial: number[] | null;
  /** Smallest and largest attacked input values per modality. */
  range: { audio: [number, number]; visual: [number, number] };
  /** Count of NaN or infinite values in the attacked inputs and logits. */
  nonFinite: number;
}

function cosine(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const dot = tf.sum(tf.mul(a, b), 1);
  return tf.div(dot, tf.maximum(tf.mul(tf.norm(a, 2, 1), tf.norm(b, 2, 1)), 1e-12));
}

function axes(x: tf.Tensor): number[] {
  return Array.from({ length: x.rank - 1 }, (_, i) => i + 1);
}

/**
 * Measures an attack's outcome on one batch with two forward passes (clean and attacked). The clean one
 * is skipped when `options.clean` is given; the attacked one when the budget is zero (the attacked inputs
 * then equal the clean ones, which the perturbation sizes still show).
 *
 * @param model The model.
 * @param batch Clean inputs and labels; not disposed.
 * @param adversarial Attacked inputs of the same shapes; not disposed.
 * @param budget The budget (for the units of the visual sizes).
 * @param options The clean output, if known.
 * @returns Per-sample metrics.
 * @throws {TypeError} If the attacked inputs' shapes differ from the batch's.
 *
 * @example An unperturbed batch
 * ```ts
 * import assert from "node:assert/strict";
 * import { useBackend } from "../engine/mod.ts";
 * import { linearModel, linearBatch } from "../models/toy_models.ts";
 * await useBackend("cpu");
 * const model = linearModel({ seed: 1 });
 * const batch = linearBatch(model, { size: 2, seed: 2 });
 * const metrics = await measureAttack(model, batch, batch, { norm: "linf", audio: 0, visual: 0 });
 * assert.deepEqual(metrics.audioLinf, [0, 0]);
 * assert.deepEqual(metrics.audioSnrDb, [null, null]);
 * ```
 */
export async function measureAttack(
  model: AvModel,
  batch: AvBatch,
  adversarial: { audio: tf.Tensor; visual: tf.Tensor },
  budget: Budget,
  options: MeasureOptions = {},
): Promise<SampleMetrics> {
  if (
    !tf.util.arraysEqual(adversarial.audio.shape, batch.audio.shape) ||
    !tf.util.arraysEqual(adversarial.visual.shape, batch.visual.shape)
  ) {
    throw new TypeError(
      `Cannot measure attack: attacked inputs must match the batch shapes, current shapes are [${adversarial.audio.shape}] and [${adversarial.visual.shape}]`,
    );
  }
  const channels = batch.visual.shape[3];
  const std = model.visualNormalization.std;
  const scale = (budget.visualUnits ?? "pixel") === "normalized"
    ? Array.from({ length: channels }, (_, c) => std[std.length === 1 ? 0 : c] ?? 1)
    : null;
  const names: string[] = [];
  const { rows, extra } = tf.tidy(() => {
    const clean = options.clean ?? model.apply(batch.audio, batch.visual, { training: false });
    const attacked = budgetKind(budget) === "clean" ? clean : model.apply(
      tf.reshape<tf.Rank.R2>(adversarial.audio, batch.audio.shape),
      tf.reshape<tf.Rank.R4>(adversarial.visual, batch.visual.shape),
      { training: false },
    );
    const labels = tf.cast(batch.labels, "int32");
    const da = tf.sub(adversarial.audio, batch.audio);
    const dv = tf.sub(adversarial.visual, batch.visual);
    const dvBudget = scale ? tf.div(dv, tf.tensor1d(scale)) : dv;
    const list: [string, tf.Tensor][] = [
      ["cleanCorrect", tf.cast(tf.equal(tf.argMax(clean.logits, 1), labels), "float32")],
      ["adversarialCorrect", tf.cast(tf.equal(tf.argMax(attacked.logits, 1), labels), "float32")],
      ["audioLinf", tf.max(tf.abs(da), 1)],
      ["audioL2", tf.sqrt(tf.sum(tf.square(da), 1))],
      ["audioEnergy", tf.sum(tf.square(batch.audio), 1)],
      ["visualLinf", tf.max(tf.abs(dvBudget), axes(dv))],
      ["visualL2", tf.sqrt(tf.sum(tf.square(dvBudget), axes(dv)))],
      ["visualLinfPixel", tf.max(tf.abs(dv), axes(dv))],
    ];
    const pairs: [string, tf.Tensor2D | null, tf.Tensor2D | null][] = [
      ["cosineAudio", clean.audioFeatures, attacked.audioFeatures],
      ["cosineVisual", clean.visualFeatures, attacked.visualFeatures],
      ["cosineAvClean", clean.audioFeatures, clean.visualFeatures],
      ["cosineAvAdversarial", attacked.audioFeatures, attacked.visualFeatures],
    ];
    // Audio and visual embeddings of different widths have no cosine (the paper's are both 512-d).
    for (const [name, a, b] of pairs) {
      if (a && b && a.shape[1] === b.shape[1]) list.push([name, cosine(a, b)]);
    }
    names.push(...list.map(([name]) => name));
    const notFinite = (x: tf.Tensor) => tf.sum(tf.cast(tf.logicalNot(tf.isFinite(x)), "float32"));
    return {
      rows: tf.stack(list.map(([, t]) => t)),
      extra: tf.stack([
        tf.min(adversarial.audio),
        tf.max(adversarial.audio),
        tf.min(adversarial.visual),
        tf.max(adversarial.visual),
        tf.addN([notFinite(adversarial.audio), notFinite(adversarial.visual), notFinite(attacked.logits)]),
      ]),
    };
  });
  const [values, bounds] = await Promise.all([rows.data(), extra.data()]);
  tf.dispose([rows, extra]);
  const n = batch.labels.shape[0];
  const row = (name: string): number[] | null => {
    const index = names.indexOf(name);
    return index < 0 ? null : Array.from(values.subarray(index * n, (index + 1) * n));
  };
  const must = (name: string): number[] => row(name) ?? [];
  const energy = must("audioEnergy");
  const audioL2 = must("audioL2");
  return {
    cleanCorrect: must("cleanCorrect").map((v) => v === 1),
    adversarialCorrect: must("adversarialCorrect").map((v) => v === 1),
    audioLinf: must("audioLinf"),
    audioL2,
    audioSnrDb: audioL2.map((noise, i) => {
      const snr = 10 * Math.log10((energy[i] ?? 0) / (noise * noise));
      return noise > 0 && Number.isFinite(snr) ? snr : null;
    }),
    visualLinf: must("visualLinf"),
    visualL2: must("visualL2"),
    visualLinfPixel: must("visualLinfPixel"),
    cosineAudio: row("cosineAudio"),
    cosineVisual: row("cosineVisual"),
    cosineAvClean: row("cosineAvClean"),
    cosineAvAdversarial: row("cosineAvAdversarial"),
    range: { audio: [bounds[0] ?? NaN, bounds[1] ?? NaN], visual: [bounds[2] ?? NaN, bounds[3] ?? NaN] },
    nonFinite: bounds[4] ?? 0,
  };
}
