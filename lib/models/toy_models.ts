/**
 * Toy audio-visual models for examples and tests: seeded linear and two-layer models on tiny inputs, and
 * a matching batch. They implement {@linkcode AvModel} in a few lines, so attack and evaluation examples
 * run in milliseconds on the cpu backend.
 *
 * @example A linear model and a batch it classifies perfectly
 * ```ts
 * import assert from "node:assert/strict";
 * import { useBackend } from "../engine/mod.ts";
 * await useBackend("cpu");
 * const model = linearModel({ seed: 1 });
 * const batch = linearBatch(model, { size: 4, seed: 2 });
 * assert.deepEqual(batch.audio.shape, [4, 8]);
 * ```
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import { createRng } from "../engine/random.ts";
import type { AvBatch } from "../data/batch.ts";
import type { AvModel, AvOutput, Modality } from "./types.ts";

/** Options of the fixture models. */
export interface FixtureOptions {
  numClasses?: number;
  audioLength?: number;
  imageShape?: [number, number, number];
  seed?: number;
  /** Per-channel normalisation inside the model. @default mean 0, std 1 */
  normalization?: { mean: number[]; std: number[] };
  modalities?: Modality[];
}

function randomArray(n: number, seed: number, scale: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.normal() * scale);
}

function baseModel(
  kind: string,
  options: FixtureOptions,
  variables: Map<string, tf.Variable>,
  forward: (audio: tf.Tensor2D, visual: tf.Tensor2D) => AvOutput,
): AvModel {
  const { numClasses = 3, imageShape = [2, 2, 3], modalities = ["audio", "visual"] } = options;
  const channels = imageShape[2];
  const { mean, std } = options.normalization ?? {
    mean: Array.from({ length: channels }, () => 0),
    std: Array.from({ length: channels }, () => 1),
  };
  const all = [...variables.values()];
  return {
    config: { kind, fusion: "sum", numClasses },
    modalities,
    bounds: { audio: [-1, 1], visual: [0, 1] },
    visualNormalization: { mean, std },
    trainable: { audio: all, visual: [], fusion: [] },
    variables,
    dispose: () => all.forEach((v) => v.dispose()),
    apply(audio, visual) {
      const kept = tf.tidy(() => {
        const normalized = tf.div(tf.sub(visual, tf.tensor1d(mean)), tf.tensor1d(std));
        const output = forward(audio, tf.reshape(normalized, [visual.shape[0], -1]));
        return {
          logits: output.logits,
          ...(output.audioFeatures ? { audioFeatures: output.audioFeatures } : {}),
          ...(output.visualFeatures ? { visualFeatures: output.visualFeatures } : {}),
        };
      });
      return {
        logits: kept.logits,
        audioFeatures: kept.audioFeatures ?? null,
        visualFeatures: kept.visualFeatures ?? null,
        visualMap: null,
      };
    },
  };
}

/**
 * logits = audio·W_a + flatten(normalise(visual))·W_v + b; the features are the two linear parts.
 * A modality left out of `modalities` gets zero weights.
 */
export function linearModel(
  options: FixtureOptions = {},
): AvModel & { weights: { audio: tf.Variable; visual: tf.Variable } } {
  const {
    numClasses = 3,
    audioLength = 8,
    imageShape = [2, 2, 3],
    seed = 0,
    modalities = ["audio", "visual"],
  } = options;
  const pixels = imageShape[0] * imageShape[1] * imageShape[2];
  const wa = tf.variable(
    tf.tensor2d(randomArray(audioLength * numClasses, seed * 3 + 1, modalities.includes("audio") ? 1 : 0), [
      audioLength,
      numClasses,
    ]),
  );
  const wv = tf.variable(
    tf.tensor2d(randomArray(pixels * numClasses, seed * 3 + 2, modalities.includes("visual") ? 1 : 0), [
      pixels,
      numClasses,
    ]),
  );
  const b = tf.variable(tf.tensor1d(randomArray(numClasses, seed * 3 + 3, 0.1)));
  const variables = new Map<string, tf.Variable>([["wa", wa], ["wv", wv], ["b", b]]);
  const model = baseModel("linear", options, variables, (audio, visual) => {
    const audioFeatures: tf.Tensor2D = tf.matMul(audio, wa);
    const visualFeatures: tf.Tensor2D = tf.matMul(visual, wv);
    const logits: tf.Tensor2D = tf.add(tf.add(audioFeatures, visualFeatures), b);
    return {
      logits,
      audioFeatures: modalities.includes("audio") ? audioFeatures : null,
      visualFeatures: modalities.includes("visual") ? visualFeatures : null,
      visualMap: null,
    };
  });
  return { ...model, weights: { audio: wa, visual: wv } };
}

/** A small two-branch MLP: tanh(audio·A)·, relu(visual·V), summed into a linear head. */
export function nonlinearModel(options: FixtureOptions = {}): AvModel {
  const { numClasses = 3, audioLength = 8, imageShape = [2, 2, 3], seed = 0 } = options;
  const pixels = imageShape[0] * imageShape[1] * imageShape[2];
  const hidden = 6;
  const v = (name: string, shape: [number, number], k: number) =>
    [
      name,
      tf.variable(
        tf.tensor2d(randomArray(shape[0] * shape[1], seed * 11 + k, 1 / Math.sqrt(shape[0])), shape),
      ),
    ] as const;
  const variables = new Map<string, tf.Variable>([
    v("a1", [audioLength, hidden], 1),
    v("v1", [pixels, hidden], 2),
    v("ha", [hidden, numClasses], 3),
    v("hv", [hidden, numClasses], 4),
  ]);
  const get = (name: string) => variables.get(name) as tf.Variable;
  return baseModel("nonlinear", options, variables, (audio, visual) => {
    const audioFeatures: tf.Tensor2D = tf.tanh(tf.matMul(tf.mul(audio, 3), get("a1")));
    const visualFeatures: tf.Tensor2D = tf.relu(tf.matMul(tf.mul(visual, 3), get("v1")));
    const logits: tf.Tensor2D = tf.add(
      tf.matMul(audioFeatures, get("ha")),
      tf.matMul(visualFeatures, get("hv")),
    );
    return {
      logits,
      audioFeatures,
      visualFeatures,
      visualMap: null,
    };
  });
}

/** Options of {@linkcode linearBatch}. */
export interface BatchOptions {
  size?: number;
  seed?: number;
  /** `"predicted"`: the model's clean predictions (clean accuracy 1); `"random"`: seeded random labels. */
  labels?: "predicted" | "random";
  /** Range of the inputs (kept inside the bounds so small budgets never hit them). */
  audioRange?: [number, number];
  visualRange?: [number, number];
}

/** A seeded batch for a fixture model. */
export function linearBatch(model: AvModel, options: BatchOptions = {}): AvBatch {
  const { size = 4, seed = 0, labels = "predicted", audioRange = [-0.5, 0.5], visualRange = [0.2, 0.8] } =
    options;
  const wa = model.variables.get("wa") ?? model.variables.get("a1");
  const audioLength = wa?.shape[0] ?? 8;
  const pixels = (model.variables.get("wv") ?? model.variables.get("v1"))?.shape[0] ?? 12;
  const channels = model.visualNormalization.mean.length;
  const side = Math.round(Math.sqrt(pixels / channels));
  const rng = createRng(seed);
  const uniform = (n: number, [lo, hi]: [number, number]) =>
    Float32Array.from({ length: n }, () => rng.range(lo, hi));
  const audio = tf.tensor2d(uniform(size * audioLength, audioRange), [size, audioLength]);
  const visual = tf.tensor4d(uniform(size * pixels, visualRange), [
    size,
    side,
    pixels / channels / side,
    channels,
  ]);
  const k = model.config.numClasses;
  const labelValues = labels === "random"
    ? Array.from({ length: size }, () => rng.int(k))
    : tf.tidy(() => Array.from(tf.argMax(model.apply(audio, visual).logits, 1).dataSync()));
  return { audio, visual, labels: tf.tensor1d(labelValues, "int32") };
}
