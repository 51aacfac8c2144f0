/**
 * The largest eigenvalue of DᵀD by power iteration, which bounds ISTA's step size.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import { createRng } from "../engine/random.ts";

/** Options of {@linkcode powerIteration}. */
export interface PowerIterationOptions {
  /** Most iterations. @default 1000 */
  maxIterations?: number;
  /** Stop once the estimate changes by less than this fraction of itself. @default 1e-6 */
  tolerance?: number;
  /** Seed of the start vector. @default 0 */
  seed?: number;
}

/** What {@linkcode powerIteration} found. */
export interface PowerIterationResult {
  /** λ_max(DᵀD) = σ_max(D)², the Rayleigh quotient of the last iterate (a lower bound that converges). */
  eigenvalue: number;
  /** Iterations run. */
  iterations: number;
  /** Whether the relative change fell below the tolerance. */
  converged: boolean;
}

/**
 * The largest eigenvalue of DᵀD for a dictionary D `[d, n]`, by power iteration on v ← Dᵀ(D v) / ‖·‖
 * from a seeded random start (DᵀD is never formed). ISTA converges for a step α with α · λ_max ≤ 1.
 *
 * @param dictionary D `[d, n]`; not disposed.
 * @param options Iterations, tolerance and seed.
 * @returns The eigenvalue, the iterations used and whether it converged.
 * @throws {TypeError} If the dictionary is not a non-empty rank-2 tensor.
 * @throws {RangeError} If an option is out of range.
 *
 * @example The spectrum of a diagonal dictionary
 * ```ts
 * import assert from "node:assert/strict";
 * import { tf, useBackend } from "../engine/mod.ts";
 * await useBackend("cpu");
 * const dictionary = tf.tensor2d([[3, 0], [0, 1], [0, 0]]);
 * const { eigenvalue } = powerIteration(dictionary);
 * assert.ok(Math.abs(eigenvalue - 9) < 1e-4);
 * ```
 */
export function powerIteration(
  dictionary: tf.Tensor2D,
  options: PowerIterationOptions = {},
): PowerIterationResult {
  const { maxIterations = 1000, tolerance = 1e-6, seed = 0 } = options;
  if (dictionary?.rank !== 2 || dictionary.size === 0) {
    throw new TypeError(
      `Cannot run powerIteration: the dictionary must be a non-empty [d, n] tensor, current shape is [${dictionary?.shape}]`,
    );
  }
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new RangeError(
      `Cannot run powerIteration: options.maxIterations must be an integer >= 1, current value is ${maxIterations}`,
    );
  }
  if (!(tolerance >= 0)) {
    throw new RangeError(
      `Cannot run powerIteration: options.tolerance must be >= 0, current value is ${tolerance}`,
    );
  }
  const n = dictionary.shape[1];
  const rng = createRng(seed);
  let v = tf.tidy(() => {
    const start = tf.tensor2d(Float32Array.from({ length: n }, () => rng.normal()), [n, 1]);
    return tf.div(start, tf.maximum(tf.norm(start), 1e-30));
  });
  let eigenvalue = 0;
  let iterations = 0;
  let converged = false;
  try {
    while (iterations < maxIterations && !converged) {
      iterations += 1;
      const [next, estimate] = tf.tidy(() => {
        const w = tf.matMul(dictionary, tf.matMul(dictionary, v), true, false);
        // v has unit norm, so vᵀ DᵀD v is the Rayleigh quotient.
        const value = tf.sum(tf.mul(v, w));
        return [tf.div(w, tf.maximum(tf.norm(w), 1e-30)), value];
      });
      const current = estimate.dataSync()[0] ?? NaN;
      estimate.dispose();
      v.dispose();
      v = next;
      converged = Math.abs(current - eigenvalue) <= tolerance * Math.abs(current);
      eigenvalue = current;
    }
  } finally {
    v.dispose();
  }
  return { eigenvalue, iterations, converged };
}
