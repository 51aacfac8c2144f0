/**
 * Shapes and deterministic inputs for tests that build tiny models with `TINY_MODEL`.
 *
 * @module
 */
import { tf } from "../../lib/engine/mod.ts";

/** Model shapes that go with `TINY_MODEL`: 4 classes, 256-sample waveforms, 8×8 grey frames. */
export const TINY_SHAPES = {
  numClasses: 4,
  audioLength: 256,
  imageShape: [8, 8, 1] as [number, number, number],
};

/** `size` deterministic inputs in range for {@linkcode TINY_SHAPES}: a sine waveform and sine frames. */
export function tinyInputs(size: number): { audio: tf.Tensor2D; visual: tf.Tensor4D } {
  return {
    audio: tf.tidy(() =>
      tf.reshape(tf.sin(tf.mul(tf.range(0, size * 256), 0.21)), [size, 256])
    ) as tf.Tensor2D,
    visual: tf.tidy(() =>
      tf.reshape(tf.mul(tf.add(tf.sin(tf.range(0, size * 64)), 1), 0.5), [size, 8, 8, 1])
    ) as tf.Tensor4D,
  };
}
