/**
 * The two reference CNNs of the engine benchmark and its memory and determinism tests (28x28x1 input,
 * 10 classes), with analytic FLOP counts so the bench can report GFLOP/s.
 *
 * - `small`: conv 3x3x16 valid, relu, maxPool 2, dense 10.
 * - `medium`: conv 3x3x32 same, relu, maxPool 2, conv 3x3x64 same, relu, maxPool 2, dense 128, relu, dense 10.
 *
 * @module
 */
import { tf } from "./tf.ts";
import { createRng } from "./random.ts";

/** Names of the reference CNNs. */
export type ReferenceCnnName = "small" | "medium";

/** A reference CNN: its variables, forward pass and cost. */
export interface ReferenceCnn {
  /** Which one. */
  name: ReferenceCnnName;
  /** Trainable variables in creation order. */
  variables: tf.Variable[];
  /** Logits `[batch, 10]` for `[batch, 28, 28, 1]` inputs. Returned tensor belongs to the caller. */
  predict(x: tf.Tensor4D): tf.Tensor2D;
  /** Multiply-adds ×2 of one forward pass per sample. */
  forwardFlopsPerSample: number;
  /** Frees the variables. */
  dispose(): void;
}

/** Options of {@linkcode createReferenceCnn}. */
export interface ReferenceCnnOptions {
  /** Seed of the He-normal initialisation. @default 0 */
  seed?: number;
}

interface Layer {
  kind: "conv" | "dense";
  shape: number[];
}

const LAYOUTS: Record<ReferenceCnnName, Layer[]> = {
  small: [{ kind: "conv", shape: [3, 3, 1, 16] }, { kind: "dense", shape: [13 * 13 * 16, 10] }],
  medium: [
    { kind: "conv", shape: [3, 3, 1, 32] },
    { kind: "conv", shape: [3, 3, 32, 64] },
    { kind: "dense", shape: [7 * 7 * 64, 128] },
    { kind: "dense", shape: [128, 10] },
  ],
};

/**
 * Builds a reference CNN with seeded He-normal weights and zero biases.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { useBackend } from "./backend.ts";
 * import { tf } from "./tf.ts";
 * await useBackend("cpu");
 * const net = createReferenceCnn("small", { seed: 1 });
 * const logits = net.predict(tf.zeros([2, 28, 28, 1]));
 * assert.deepEqual(logits.shape, [2, 10]);
 * logits.dispose();
 * net.dispose();
 * ```
 */
export function createReferenceCnn(name: ReferenceCnnName, options: ReferenceCnnOptions = {}): ReferenceCnn {
  const { seed = 0 } = options;
  const rng = createRng(seed);
  const layers = LAYOUTS[name];
  const variables: tf.Variable[] = [];
  for (const layer of layers) {
    const size = layer.shape.reduce((a, b) => a * b, 1);
    const fanIn = size / (layer.shape[layer.shape.length - 1] as number);
    const std = Math.sqrt(2 / fanIn);
    const values = new Float32Array(size);
    for (let i = 0; i < size; i++) values[i] = rng.normal() * std;
    const weight = tf.tensor(values, layer.shape);
    const bias = tf.zeros([layer.shape[layer.shape.length - 1] as number]);
    variables.push(tf.variable(weight), tf.variable(bias));
    tf.dispose([weight, bias]);
  }
  const predict = (x: tf.Tensor4D): tf.Tensor2D =>
    tf.tidy(() => {
      let h: tf.Tensor = x;
      layers.forEach((layer, i) => {
        const [w, b] = [variables[2 * i] as tf.Variable, variables[2 * i + 1] as tf.Variable];
        if (layer.kind === "conv") {
          h = tf.maxPool(
            tf.relu(
              tf.add(
                tf.conv2d(h as tf.Tensor4D, w as tf.Tensor4D, 1, name === "small" ? "valid" : "same"),
                b,
              ),
            ),
            2,
            2,
            "valid",
          );
        } else {
          if (h.rank > 2) h = tf.reshape(h, [h.shape[0] as number, -1]);
          h = tf.add(tf.matMul(h as tf.Tensor2D, w as tf.Tensor2D), b);
          if (i < layers.length - 1) h = tf.relu(h);
        }
      });
      return h as tf.Tensor2D;
    });
  const forwardFlopsPerSample = name === "small"
    ? 2 * (26 * 26 * 16 * 9) + 2 * (13 * 13 * 16 * 10)
    : 2 * (28 * 28 * 32 * 9) + 2 * (14 * 14 * 64 * 9 * 32) + 2 * (7 * 7 * 64 * 128) + 2 * (128 * 10);
  return { name, variables, predict, forwardFlopsPerSample, dispose: () => tf.dispose(variables) };
}
