/**
 * Weakly supervised localizers (maps read off a classifier trained with class labels only) and the
 * baselines that tell whether sound steers the map.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import { disposeOutput } from "../models/dispose_output.ts";
import type { AvModel, AvOutput, ModelConfigInput } from "../models/mod.ts";

/** Where a differentiable map comes from, read off one forward pass. */
export type MapSource = "attention" | "similarity";

/** Names of the localizers and baselines in {@linkcode LOCALIZERS}. */
export type LocalizerName =
  | "attention"
  | "similarity"
  | "attentionSilent"
  | "attentionShuffled"
  | "centerPrior"
  | "wholeFrame";

/** What a localizer is: a map source with the audio it hears, or a fixed prior. */
export type LocalizerEntry =
  | { kind: "model"; source: MapSource; audio: "own" | "silent" | "shuffled"; description: string }
  | { kind: "prior"; prior: "center" | "flat"; description: string };

/**
 * The localizers, by name.
 * - `attention`: the audio-guided attention α of an `attention`-fusion model (AVE style).
 * - `similarity`: cos(f_a, v_i) between the audio embedding and each location of the visual map.
 * - `attentionSilent`, `attentionShuffled`: the same attention with silent audio, or with the audio of
 *   the next sample in the batch (rolled by one; a batch of one keeps its own): the visual-only map.
 * - `centerPrior`: a Gaussian at the frame centre (σ = a quarter of the side).
 * - `wholeFrame`: a constant map (the median rule then predicts the whole frame).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(LOCALIZERS.attentionSilent.kind, "model");
 * ```
 */
export const LOCALIZERS: Readonly<Record<LocalizerName, LocalizerEntry>> = Object.freeze({
  attention: { kind: "model", source: "attention", audio: "own", description: "audio-guided attention" },
  similarity: {
    kind: "model",
    source: "similarity",
    audio: "own",
    description: "cosine of audio and location",
  },
  attentionSilent: {
    kind: "model",
    source: "attention",
    audio: "silent",
    description: "attention, silent audio",
  },
  attentionShuffled: {
    kind: "model",
    source: "attention",
    audio: "shuffled",
    description: "attention, another sample's audio",
  },
  centerPrior: { kind: "prior", prior: "center", description: "Gaussian centre prior" },
  wholeFrame: { kind: "prior", prior: "flat", description: "whole frame" },
});

const LOCALIZER_CONFIG: Omit<ModelConfigInput, "numClasses"> = {
  kind: "av",
  fusion: "attention",
  fusionOptions: { attentionScore: "additive", attendedHead: "locations" },
  // Frames of 256 samples without overlap (23 ms at 11025 Hz): the sound only has to name the
  // instrument, and the audio encoder is most of the cost of every training and attack step.
  audio: { frontEnd: { kind: "logMel", fftSize: 256, hopSize: 256, melBins: 40, minFrequency: 0 } },
  visual: { strides: [1, 2, 1] },
};

/**
 * The model the attention localizer is trained as (with class labels only): an `attention`-fusion model
 * with the AVE model's additive score and an auxiliary head that classifies every location alone and
 * mixes the class probabilities by the attention (`attendedHead: "locations"`: with two instruments in
 * the frame, the attention must rest on the one the sound names, and every part of it must rank above the
 * other), a log-mel front end with 256-sample hops (the sound only has to name the instrument; the audio
 * encoder is most of the cost of each step), and a visual trunk whose last stage keeps stride 1, so the
 * map is 10×10 on 40×40 frames (the `small` preset's trunk gives 5×5). Spread it into `createModel` or a
 * train config with `numClasses` and the data's shapes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(LOCALIZER_MODEL.visual?.strides, [1, 2, 1]);
 * ```
 */
export const LOCALIZER_MODEL: Readonly<Omit<ModelConfigInput, "numClasses">> = Object.freeze(
  LOCALIZER_CONFIG,
);

/**
 * How much every model map is smoothed, as the Gaussian's σ in map cells per cell of the map's side
 * (0.2: σ = 2 cells on a 10×10 map). A weakly supervised attention rests on a few cells of the sounding
 * object; the evaluators' median rule keeps half the frame, so the order of the other cells decides the
 * mask, and without smoothing it is noise (on `av-instruments`' duets, AP50 under 10 for every model map,
 * 64 with it for the attention). The same smoothing applies to every model map (the silent and shuffled
 * baselines included) and to the map attacks' losses; the priors are smooth already.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(MAP_SMOOTHING, 0.2);
 * ```
 */
export const MAP_SMOOTHING = 0.2;

/** Options of the map readers. */
export interface MapOptions {
  /** Gaussian σ as a fraction of the map's side (0: the raw map). @default {@linkcode MAP_SMOOTHING} */
  smoothing?: number;
}

/** `[n, n]` Gaussian weights, each column summing to 1 (so smoothing keeps every sample's total mass). */
function gaussianColumns(n: number, sigma: number): tf.Tensor2D {
  const weights = new Float32Array(n * n);
  for (let j = 0; j < n; j++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += weights[i * n + j] = Math.exp(-((i - j) ** 2) / (2 * sigma * sigma));
    for (let i = 0; i < n; i++) weights[i * n + j] = (weights[i * n + j] as number) / total;
  }
  return tf.tensor2d(weights, [n, n]);
}

/**
 * A map smoothed by a separable Gaussian of σ = `smoothing` × side cells per axis, with the mass that
 * would leave the grid kept inside (each source cell's weights sum to 1). Differentiable.
 *
 * @param map `[batch, h, w]`.
 * @param smoothing σ as a fraction of each side; 0 returns the map itself.
 * @returns `[batch, h, w]`.
 * @throws {RangeError} If `smoothing` is negative or not finite.
 *
 * @example A one-hot map spreads out and keeps its mass
 * ```ts
 * import assert from "node:assert/strict";
 * import { tf, useBackend } from "../engine/mod.ts";
 * await useBackend("cpu");
 * const smoothed = smoothMap(tf.tensor3d([[[0, 0, 0], [0, 1, 0], [0, 0, 0]]]), 0.3);
 * const values = Array.from(await smoothed.data());
 * assert.ok(Math.abs(values.reduce((a, b) => a + b, 0) - 1) < 1e-6);
 * assert.ok(values[4]! > values[1]! && values[1]! > values[0]! && values[0]! > 0);
 * ```
 */
export function smoothMap(map: tf.Tensor3D, smoothing: number): tf.Tensor3D {
  if (!(smoothing >= 0) || !Number.isFinite(smoothing)) {
    throw new RangeError(`Cannot smooth the map: smoothing must be >= 0, current value is ${smoothing}`);
  }
  if (smoothing === 0) return map;
  const [batch, h, w] = map.shape;
  return tf.tidy(() => {
    const rows = gaussianColumns(h, smoothing * h), columns = gaussianColumns(w, smoothing * w);
    // (M · K_wᵀ)ᵀ per sample, then · K_hᵀ, then back: out = K_h · M · K_wᵀ.
    const alongWidth = tf.reshape(tf.matMul(tf.reshape(map, [batch * h, w]), columns, false, true), [
      batch,
      h,
      w,
    ]);
    const transposed = tf.reshape(tf.transpose(alongWidth, [0, 2, 1]), [batch * w, h]);
    const alongHeight = tf.reshape(tf.matMul(transposed, rows, false, true), [batch, w, h]);
    return tf.transpose(alongHeight, [0, 2, 1]) as tf.Tensor3D;
  });
}

/**
 * The map `[batch, h, w]` of a forward pass: the attention weights, or the cosine between the audio
 * embedding and each location's feature, smoothed by {@linkcode smoothMap} (σ = {@linkcode MAP_SMOOTHING}
 * of the side unless `options.smoothing` says otherwise). Differentiable; call it inside `tf.tidy` or a
 * loss.
 *
 * @param output A forward pass of an audio-visual model.
 * @param source Which map.
 * @param options Smoothing.
 * @returns `[batch, h, w]`; attention sums to 1 per sample (smoothed or not), cosines lie in [−1, 1].
 * @throws {TypeError} If the model has no attention (for `attention`), no visual map or audio
 *   embedding, or the widths differ (for `similarity`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tf, useBackend } from "../engine/mod.ts";
 * await useBackend("cpu");
 * const output = {
 *   logits: tf.zeros<tf.Rank.R2>([1, 2]),
 *   audioFeatures: tf.tensor2d([[1, 0]]),
 *   visualFeatures: null,
 *   visualMap: tf.tensor4d([[[[2, 0], [0, 3]]]]),
 * };
 * assert.deepEqual(Array.from(await mapFromOutput(output, "similarity", { smoothing: 0 }).data()), [1, 0]);
 * ```
 */
export function mapFromOutput(output: AvOutput, source: MapSource, options: MapOptions = {}): tf.Tensor3D {
  const smoothing = options.smoothing ?? MAP_SMOOTHING;
  if (source === "attention") {
    if (!output.attention) {
      throw new TypeError(
        "Cannot read the attention map: the model's fusion does not attend (use 'attention')",
      );
    }
    return smoothMap(output.attention, smoothing);
  }
  const { audioFeatures, visualMap } = output;
  if (!audioFeatures || !visualMap) {
    throw new TypeError(
      "Cannot read the similarity map: the model must return audio features and a visual map",
    );
  }
  const [batch, h, w, d] = visualMap.shape;
  if (audioFeatures.shape[1] !== d) {
    throw new TypeError(
      `Cannot read the similarity map: audio and visual widths must match, current widths are ${
        audioFeatures.shape[1]
      } and ${d}`,
    );
  }
  return tf.tidy(() => {
    const unit = (x: tf.Tensor, axis: number) =>
      tf.div(x, tf.add(tf.norm(x, "euclidean", axis, true), 1e-12));
    const locations = unit(tf.reshape(visualMap, [batch, h * w, d]), 2);
    const audio = tf.reshape(unit(audioFeatures, 1), [batch, d, 1]);
    return smoothMap(tf.reshape<tf.Rank.R3>(tf.matMul(locations, audio), [batch, h, w]), smoothing);
  });
}

function prior(kind: "center" | "flat", batch: number, h: number, w: number): tf.Tensor3D {
  const values = new Float32Array(h * w);
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      const dy = (r + 0.5) / h - 0.5;
      const dx = (c + 0.5) / w - 0.5;
      values[r * w + c] = kind === "flat" ? 1 : Math.exp(-(dx * dx + dy * dy) / (2 * 0.25 * 0.25));
    }
  }
  return tf.tidy(() => tf.tile(tf.tensor3d(values, [1, h, w]), [batch, 1, 1]));
}

/**
 * The maps of a localizer on a batch, in eval mode.
 *
 * @param model An audio-visual model (an `attention` fusion for the attention localizers).
 * @param inputs `audio` `[batch, samples]` and `visual` `[batch, height, width, channels]`; not disposed.
 * @param name Which localizer.
 * @param options Smoothing of the model maps (see {@linkcode mapFromOutput}).
 * @returns `[batch, h, w]` over the visual encoder's grid; belongs to the caller.
 * @throws {TypeError} If the model cannot give that map (see {@linkcode mapFromOutput}).
 *
 * @example The whole-frame baseline is constant
 * ```ts
 * import assert from "node:assert/strict";
 * import { tf, useBackend } from "../engine/mod.ts";
 * import { createModel } from "../models/mod.ts";
 * await useBackend("cpu");
 * const model = createModel({ ...LOCALIZER_MODEL, numClasses: 2, audioLength: 256, imageShape: [8, 8, 1],
 *   audio: { frontEnd: { kind: "waveform" }, widths: [4] }, visual: { widths: [4], blocks: [1], strides: [1] } });
 * const inputs = { audio: tf.zeros<tf.Rank.R2>([2, 256]), visual: tf.zeros<tf.Rank.R4>([2, 8, 8, 1]) };
 * const map = localizationMaps(model, inputs, "attention");
 * assert.deepEqual(map.shape, [2, 4, 4]);
 * assert.deepEqual(new Set(await localizationMaps(model, inputs, "wholeFrame").data()), new Set([1]));
 * model.dispose();
 * ```
 */
export function localizationMaps(
  model: AvModel,
  inputs: { audio: tf.Tensor2D; visual: tf.Tensor4D },
  name: LocalizerName,
  options: MapOptions = {},
): tf.Tensor3D {
  const entry = LOCALIZERS[name];
  return tf.tidy(() => {
    const { audio, visual } = inputs;
    if (entry.kind === "prior") {
      // Model outputs are kept tensors (outside any tidy's reach): free them by hand.
      const output = model.apply(audio, visual);
      const shape = output.visualMap?.shape;
      disposeOutput(output);
      if (!shape) throw new TypeError("Cannot localize: the model has no visual map");
      return prior(entry.prior, shape[0], shape[1], shape[2]);
    }
    const heard = entry.audio === "silent"
      ? tf.zerosLike(audio)
      : entry.audio === "shuffled" && audio.shape[0] > 1
      ? tf.concat2d([tf.slice2d(audio, [1, 0], [-1, -1]), tf.slice2d(audio, [0, 0], [1, -1])], 0)
      : audio;
    const output = model.apply(heard, visual);
    try {
      return tf.clone(mapFromOutput(output, entry.source, options));
    } finally {
      disposeOutput(output);
    }
  });
}
