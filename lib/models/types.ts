/**
 * Types shared by every model.
 *
 * @module
 */
import type { tf } from "../engine/tf.ts";

/** Valid input ranges per modality; attacks clip to these. */
export interface Bounds {
  /** Waveform range. @default [-1, 1] */
  audio: readonly [number, number];
  /** Pixel range. @default [0, 1] */
  visual: readonly [number, number];
}

/** Which inputs a model reads. */
export type Modality = "audio" | "visual";

/** What a forward pass returns. All tensors belong to the caller. */
export interface AvOutput {
  /** Unnormalised class scores `[batch, numClasses]`. */
  logits: tf.Tensor2D;
  /** Audio embedding `[batch, dim]`, or null for a visual-only model. */
  audioFeatures: tf.Tensor2D | null;
  /** Visual embedding `[batch, dim]`, or null for an audio-only model. */
  visualFeatures: tf.Tensor2D | null;
  /** Visual feature map before pooling `[batch, h, w, dim]`, or null for an audio-only model. */
  visualMap: tf.Tensor4D | null;
  /**
   * Extra logits for auxiliary training losses (late fusion's unimodal logits), present only when
   * {@linkcode ApplyOptions.auxiliary} is set and the model has them.
   */
  auxiliaryLogits?: tf.Tensor2D[];
}

/** Options of a forward pass. */
export interface ApplyOptions {
  /** Training mode: batch norm uses batch statistics and updates its running averages. @default false */
  training?: boolean;
  /** Also return {@linkcode AvOutput.auxiliaryLogits}, for trainers. @default false */
  auxiliary?: boolean;
}

/** Parameter groups, for per-module learning rates. */
export type ModuleName = "audio" | "visual" | "fusion";

/**
 * An audio-visual classifier, differentiable end to end from the raw waveform and the raw frame.
 * Normalisation (mean/std) happens inside `apply`; inputs are raw and within {@linkcode Bounds}.
 */
export interface AvModel {
  /** The resolved, JSON-serialisable config the model was built from. */
  readonly config: Readonly<Record<string, unknown>> & { kind: string; fusion: string; numClasses: number };
  /** Modalities the model reads; an attack on another modality cannot change its output. */
  readonly modalities: readonly Modality[];
  /** Valid input ranges. */
  readonly bounds: Bounds;
  /**
   * Per-channel normalisation applied inside `apply` to the frame: (x - mean) / std. Attacks that work in
   * normalised units (as the paper did) scale the visual budget by `std`.
   */
  readonly visualNormalization: { readonly mean: readonly number[]; readonly std: readonly number[] };
  /**
   * Forward pass.
   * @param audio `[batch, samples]` in `bounds.audio`.
   * @param visual `[batch, height, width, channels]` in `bounds.visual`.
   */
  apply(audio: tf.Tensor2D, visual: tf.Tensor4D, options?: ApplyOptions): AvOutput;
  /** Trainable variables by module. */
  readonly trainable: Readonly<Record<ModuleName, tf.Variable[]>>;
  /** Every variable (trainable and running statistics), by stable name, for checkpoints. */
  readonly variables: ReadonlyMap<string, tf.Variable>;
  /** Frees every variable. */
  dispose(): void;
}
