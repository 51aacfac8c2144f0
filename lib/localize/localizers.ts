/**
 * Weakly supervised localizers (maps read off a classifier trained with class labels only) and the
 * baselines that tell whether sound steers the map.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import { disposeOutput } from "../models/dispose_output.ts";
import type { AvModel, AvOutput, ModelConfigInput } from "../models/mod.ts";
import { MAP_SMOOTHING, type MapOptions, smoothMap } from "./smooth_map.ts";

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
  return localizationMapSet(model, inputs, [name], options).get(name) as tf.Tensor3D;
}

/** The audio a model localizer hears: its own, silence, or the next sample's (rolled by one). */
function heardAudio(audio: tf.Tensor2D, kind: "own" | "silent" | "shuffled"): tf.Tensor2D {
  if (kind === "silent") return tf.zerosLike(audio);
  if (kind === "shuffled" && audio.shape[0] > 1) {
    return tf.concat2d([tf.slice2d(audio, [1, 0], [-1, -1]), tf.slice2d(audio, [0, 0], [1, -1])], 0);
  }
  return audio;
}

/**
 * The maps of several localizers on one batch, with one forward pass per audio the model hears (the
 * attention and similarity maps share the pass on the batch's own audio; the priors need only the grid).
 *
 * @param model An audio-visual model (an `attention` fusion for the attention localizers).
 * @param inputs `audio` `[batch, samples]` and `visual` `[batch, height, width, channels]`; not disposed.
 * @param names Which localizers.
 * @param options Smoothing of the model maps (see {@linkcode mapFromOutput}).
 * @returns Each localizer's `[batch, h, w]` map; the tensors belong to the caller.
 * @throws {TypeError} If the model cannot give a map asked for (see {@linkcode mapFromOutput}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tf, useBackend } from "../engine/mod.ts";
 * import { createModel } from "../models/mod.ts";
 * await useBackend("cpu");
 * const model = createModel({ ...LOCALIZER_MODEL, numClasses: 2, audioLength: 256, imageShape: [8, 8, 1],
 *   audio: { frontEnd: { kind: "waveform" }, widths: [4] }, visual: { widths: [4], blocks: [1], strides: [1] } });
 * const inputs = { audio: tf.zeros<tf.Rank.R2>([2, 256]), visual: tf.zeros<tf.Rank.R4>([2, 8, 8, 1]) };
 * const maps = localizationMapSet(model, inputs, ["attention", "centerPrior"]);
 * assert.deepEqual([...maps.values()].map((m) => m.shape), [[2, 4, 4], [2, 4, 4]]);
 * tf.dispose([...maps.values()]);
 * model.dispose();
 * ```
 */
export function localizationMapSet(
  model: AvModel,
  inputs: { audio: tf.Tensor2D; visual: tf.Tensor4D },
  names: readonly LocalizerName[],
  options: MapOptions = {},
): Map<LocalizerName, tf.Tensor3D> {
  const maps = new Map<LocalizerName, tf.Tensor3D>();
  const byAudio = new Map<"own" | "silent" | "shuffled", LocalizerName[]>();
  const priors: LocalizerName[] = [];
  for (const name of new Set(names)) {
    const entry = LOCALIZERS[name];
    if (entry.kind === "prior") priors.push(name);
    else byAudio.set(entry.audio, [...(byAudio.get(entry.audio) ?? []), name]);
  }
  let grid: [number, number, number] | undefined;
  // Model outputs are kept tensors (outside any tidy's reach): free them by hand.
  const forward = <T extends tf.TensorContainer>(
    audio: "own" | "silent" | "shuffled",
    read: (o: AvOutput) => T,
  ) =>
    tf.tidy(() => {
      const output = model.apply(heardAudio(inputs.audio, audio), inputs.visual);
      try {
        const shape = output.visualMap?.shape;
        if (shape) grid ??= [shape[0], shape[1], shape[2]];
        return read(output);
      } finally {
        disposeOutput(output);
      }
    });
  for (const [audio, group] of byAudio) {
    const tensors = forward(audio, (output) =>
      group.map((name) => {
        const entry = LOCALIZERS[name];
        return tf.clone(mapFromOutput(output, entry.kind === "model" ? entry.source : "attention", options));
      }));
    group.forEach((name, i) => maps.set(name, tensors[i] as tf.Tensor3D));
  }
  if (priors.length > 0) {
    if (!grid) forward("own", () => []);
    if (!grid) {
      tf.dispose([...maps.values()]);
      throw new TypeError("Cannot localize: the model has no visual map");
    }
    const [batch, h, w] = grid;
    for (const name of priors) {
      const entry = LOCALIZERS[name];
      if (entry.kind === "prior") maps.set(name, prior(entry.prior, batch, h, w));
    }
  }
  return maps;
}
