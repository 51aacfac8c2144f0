/**
 * Helpers for kernel tests: run a function on a backend and read results back as plain arrays, and check
 * gradients by central finite differences along a random direction.
 */
import { createRng, tf, useBackend } from "../../lib/engine/mod.ts";

export type Backend = "cpu" | "wasm";

/** Seeded random values in [-1, 1). */
export function randomValues(size: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = rng.range(-1, 1);
  return out;
}

/** A plain-array input: shape and values. */
export interface Input {
  shape: number[];
  values: Float32Array;
}

export function input(shape: number[], seed: number): Input {
  return { shape, values: randomValues(shape.reduce((a, b) => a * b, 1), seed) };
}

/** Spacing of {@linkcode distinctInput} values (2^-17): x ± 2^-20 stays exact in float32 and never reorders. */
export const DISTINCT_SPACING = 2 ** -17;

/**
 * Distinct values on a 2^-17 grid in random order: no ties in any pooling window, and perturbations of
 * 2^-20 along a ±1 direction are exact in float32 and cannot change which element is the maximum.
 */
export function distinctInput(shape: number[], seed: number): Input {
  const size = shape.reduce((a, b) => a * b, 1);
  const order = createRng(seed).shuffle(Array.from({ length: size }, (_, i) => i));
  return { shape, values: Float32Array.from(order, (k) => (k - size / 2) * DISTINCT_SPACING) };
}

/** Runs `loss` and its gradients w.r.t. every input on `backend`; returns plain arrays. */
export async function lossAndGrads(
  backend: Backend,
  inputs: Input[],
  loss: (...xs: tf.Tensor[]) => tf.Tensor,
): Promise<{ value: number; grads: Float32Array[] }> {
  await useBackend(backend);
  const tensors = inputs.map((x) => tf.tensor(x.values, x.shape));
  const { value, grads } = tf.valueAndGrads((...xs: tf.Tensor[]) => loss(...xs) as tf.Scalar)(tensors);
  const result = {
    value: (await value.data())[0] as number,
    grads: await Promise.all(grads.map((g) => g.data() as Promise<Float32Array>)),
  };
  tf.dispose([value, ...grads, ...tensors]);
  return result;
}

/** A forward function whose output is weighted by a fixed random tensor `r` to give a scalar loss. */
export type Forward = (...xs: tf.Tensor[]) => tf.Tensor;

/** The scalar loss Σ forward(xs) · r as a tensor (for gradients). */
export function weightedLoss(forward: Forward, r: Input): (...xs: tf.Tensor[]) => tf.Tensor {
  return (...xs) => tf.sum(tf.mul(forward(...xs), tf.tensor(r.values, r.shape)));
}

/** Σ forward(xs) · r on `backend`, with the final sum in float64 so rounding does not swamp differences. */
export async function weightedLossValue(
  backend: Backend,
  inputs: Input[],
  forward: Forward,
  r: Input,
): Promise<number> {
  await useBackend(backend);
  const tensors = inputs.map((x) => tf.tensor(x.values, x.shape));
  const out = tf.tidy(() => forward(...tensors));
  const values = await out.data();
  tf.dispose([out, ...tensors]);
  let total = 0;
  for (let i = 0; i < values.length; i++) total += (values[i] as number) * (r.values[i] as number);
  return total;
}

/** Largest absolute difference between two arrays, relative to the larger's max magnitude (floor 1). */
export function maxRelativeError(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`length mismatch ${a.length} vs ${b.length}`);
  let diff = 0, scale = 1;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(a[i] as number), Math.abs(b[i] as number));
  }
  return diff / scale;
}

/**
 * Central finite difference of Σ forward·r along a random ±1 direction for input `which`, compared with the
 * analytic directional derivative <grad, direction>. Returns the relative error.
 */
export async function finiteDifferenceError(
  backend: Backend,
  inputs: Input[],
  which: number,
  grad: Float32Array,
  forward: Forward,
  r: Input,
  step = 1e-2,
  seed = 99,
): Promise<number> {
  const target = inputs[which] as Input;
  const direction = randomValues(target.values.length, seed).map((v) => (v < 0 ? -1 : 1));
  const shifted = (sign: number): Input[] =>
    inputs.map((x, i) =>
      i === which
        ? { shape: x.shape, values: x.values.map((v, j) => v + sign * step * (direction[j] as number)) }
        : x
    );
  const plus = await weightedLossValue(backend, shifted(1), forward, r);
  const minus = await weightedLossValue(backend, shifted(-1), forward, r);
  const numeric = (plus - minus) / (2 * step);
  let analytic = 0;
  for (let j = 0; j < grad.length; j++) analytic += (grad[j] as number) * (direction[j] as number);
  return Math.abs(numeric - analytic) / Math.max(1, Math.abs(analytic));
}
