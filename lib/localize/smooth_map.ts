/**
 * Smoothing of localization maps: every model map is read through {@linkcode smoothMap}.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";

/**
 * How much every model map is smoothed: the Gaussian's σ as a fraction of the map's side (0.2: σ = 2
 * cells on a 10×10 map). A weakly supervised attention rests on a few cells of the sounding object; the
 * evaluators' median rule keeps half the frame, so the order of all the other cells decides the mask, and
 * unsmoothed that order is noise (on `av-instruments`' duets every raw model map's AP50 stayed near zero). The same smoothing applies to every model map (the silent and shuffled
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
