/**
 * A tiny attention localizer and inputs for the localization tests (fast on cpu and wasm).
 *
 * @module
 */
import { tf } from "../../lib/engine/mod.ts";
import { createModel } from "../../lib/models/mod.ts";
import type { BuiltModel } from "../../lib/models/mod.ts";
import { LOCALIZER_MODEL } from "../../lib/localize/mod.ts";

/** An additive-attention model on 256-sample waveforms and 8×8 grey frames: a 4×4 map, widths 8. */
export function tinyLocalizer(seed = 3): BuiltModel {
  return createModel({
    ...LOCALIZER_MODEL,
    numClasses: 3,
    audioLength: 256,
    imageShape: [8, 8, 1],
    audio: { frontEnd: { kind: "waveform" }, widths: [4, 8], stride: 2 },
    visual: { stemWidth: 4, stemStride: 1, widths: [4, 8], blocks: [1, 1], strides: [1, 2] },
    fusionOptions: { attentionScore: "additive", hiddenSize: 8 },
    seed,
  });
}

/** `size` deterministic inputs: sine waveforms with a per-sample frequency and sine frames in [0, 1]. */
export function tinyBatch(size: number): { audio: tf.Tensor2D; visual: tf.Tensor4D; labels: tf.Tensor1D } {
  return tf.tidy(() => {
    const t = tf.range(0, 256);
    const rows = Array.from({ length: size }, (_, i) => tf.sin(tf.mul(t, 0.1 + 0.13 * i)));
    const visual = tf.reshape<tf.Rank.R4>(
      tf.mul(tf.add(tf.sin(tf.mul(tf.range(0, size * 64), 0.7)), 1), 0.5),
      [size, 8, 8, 1],
    );
    return {
      audio: tf.mul(tf.stack(rows), 0.5) as tf.Tensor2D,
      visual,
      labels: tf.tensor1d(Array.from({ length: size }, (_, i) => i % 3), "int32"),
    };
  });
}
