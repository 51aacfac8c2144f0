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
  /**
   * Attention weights over the visual map `[batch, h, w]` (softmax over locations), present when the
   * fusion attends (`attention`): the map a weakly supervised localizer reads.
   */
  attention?: tf.Tensor3D;
}

/**
 * One modality's encoding, as {@linkcode AvModel.encode} returns it: the embedding `[batch, dim]`, and for
 * the visual modality the feature map `[batch, h, w, dim]` (null for audio).
 */
export interface ModalityEncoding {
  features: tf.Tensor2D;
  map: tf.Tensor4D | null;
}

/** Options of a forward pass. */
export interface ApplyOptions {
  /**
   * Encodings computed earlier by {@linkcode AvModel.encode} (in the same mode as this pass); `apply` uses
   * them instead of encoding that input again, which is what attacks on one modality of an audio-visual
   * model do to skip the other encoder, and what a defense that transforms embeddings (lib/defense) does.
   * The matching input must still be given (its shape is checked) and is otherwise ignored. Not owned by
   * `apply`. @default none
   */
  encoded?: Partial<Record<Modality, ModalityEncoding>>;
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
  /**
   * Optional: one modality's encoder alone (tensors belong to the caller), for
   * {@linkcode ApplyOptions.encoded}. Models without it are always run whole.
   * @param modality Which encoder; one of {@linkcode AvModel.modalities}.
   * @param input `[batch, samples]` waveform or `[batch, height, width, channels]` frames.
   * @param options `training`: batch norm uses batch statistics and updates its averages (default false).
   */
  encode?(modality: Modality, input: tf.Tensor, options?: { training?: boolean }): ModalityEncoding;
  /** Trainable variables by module. */
  readonly trainable: Readonly<Record<ModuleName, tf.Variable[]>>;
  /** Every variable (trainable and running statistics), by stable name, for checkpoints. */
  readonly variables: ReadonlyMap<string, tf.Variable>;
  /** Frees every variable. */
  dispose(): void;
}
