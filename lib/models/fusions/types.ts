/**
 * Types shared by the fusions: one interface, (audio features, visual features, visual map) to logits.
 *
 * @module
 */
import type { tf } from "../../engine/tf.ts";
import type { ParameterStore } from "../parameter_store.ts";
import type { Modality } from "../types.ts";

/** Names of the audio-visual fusions. */
export type FusionName = "concat" | "sum" | "film" | "gated" | "attention" | "late";

/** Options shared by the fusions (each reads the ones it needs). */
export type FusionOptions = {
  /** Width of the projections of `gated` (and of `sum` when the feature sizes differ). */
  hiddenSize: number;
  /** `film`: the modality that scales and shifts the other; `gated`: the modality that computes the gate. */
  conditioning: Modality;
  /**
   * `attention`: how a location is scored. `"scaledDot"`: `⟨m_i, W f_a⟩ / √d`. `"additive"`: the AVE
   * model's `wᵀ tanh(W_v m_i + W_a f_a)` with `hiddenSize` units (Tian et al., ECCV 2018).
   * @default "scaledDot"
   */
  attentionScore?: AttentionScore;
  /**
   * `attention`: an auxiliary head (its loss weighted by `auxiliaryLossWeight`) so that the attention must
   * find the object the sound names when a frame shows several. `true`: it classifies the attended visual
   * feature `Σ α_i m_i`. `"locations"`: it classifies every location alone and mixes the class
   * probabilities by the attention, `log Σ α_i softmax(h(m_i))` (multiple-instance style: the attention
   * must rest on locations that name the class by themselves, so every part of the sounding object
   * ranks above the other objects). Class labels remain the only supervision.
   * @default false
   */
  attendedHead?: boolean | "locations";
};

/** How the `attention` fusion scores a location of the visual map. */
export type AttentionScore = "scaledDot" | "additive";

/** What a fusion reads. Tensors are not disposed by the fusion. */
export interface FusionInputs {
  /** `[batch, audioDim]`. */
  audio: tf.Tensor2D;
  /** `[batch, visualDim]`. */
  visual: tf.Tensor2D;
  /** `[batch, h, w, visualDim]`, the visual map before pooling. */
  visualMap: tf.Tensor4D;
}

/** What a fusion returns. */
export interface FusionOutput {
  /** `[batch, numClasses]`. */
  logits: tf.Tensor2D;
  /** Extra logits for auxiliary training losses (late fusion's unimodal heads). */
  auxiliaryLogits?: tf.Tensor2D[];
  /** The attention weights over the visual map `[batch, h, w]` (sum 1 per sample), for fusions that attend. */
  attention?: tf.Tensor3D;
}

/** A built fusion head. */
export interface Fusion {
  /** Computes logits; runs inside the caller's `tf.tidy`. */
  apply(inputs: FusionInputs): FusionOutput;
}

/** What a fusion factory gets: where to put its parameters and the sizes around it. */
export interface FusionContext {
  /** Parameters go here, in module `fusion`, under names starting `fusion/`. */
  store: ParameterStore;
  audioDim: number;
  visualDim: number;
  /** `[h, w, visualDim]` of the visual map. */
  visualMapShape: readonly [number, number, number];
  numClasses: number;
  options: FusionOptions;
}

/** Builds a fusion head. */
export type FusionFactory = (context: FusionContext) => Fusion;
