/**
 * Sparse coding by ISTA, unrolled and differentiable: the core of the paper's memory-bank defense.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import { powerIteration } from "./power_iteration.ts";

/** What one ISTA run looked like: is the "sparse code" sparse, and did the threshold do anything? */
export interface IstaDiagnostics {
  /** Share of the codes that are exactly zero, in [0, 1]. */
  zeroShare: number;
  /** Most iterations any sample used. */
  iterations: number;
  /** Iterations per sample (a sample stops on its own once its update is below the tolerance). */
  iterationsPerSample: number[];
  /**
   * ‖S(u) − u‖ / ‖u‖ at the final codes, u = h − α Dᵀ(D h − x), over the batch: how much the
   * soft-threshold changes a step. Near 0 means ISTA acted as an almost linear (Landweber) map.
   */
  shrinkage: number;
  /** The step α used. */
  step: number;
  /** λ_max(DᵀD) the step was checked against. */
  maxEigenvalue: number;
}

/** Options of {@linkcode ista}. */
export interface IstaOptions {
  /** λ, the weight of the L1 penalty in ½‖x − D h‖² + λ‖h‖₁ (the paper: 0.1). @default 0.1 */
  lambda?: number;
  /**
   * α, the step size; `"auto"` takes 1/λ_max(DᵀD). A number must satisfy α · λ_max ≤ 1.
   * @default "auto"
   */
  step?: number | "auto";
  /** Most iterations (the paper: 2000); with a tolerance of 0, exactly this many. @default 2000 */
  maxIterations?: number;
  /** A sample stops once ‖h − h′‖₂ of its update is below this (the paper: 8e-4). @default 8e-4 */
  tolerance?: number;
  /** λ_max(DᵀD) when known (fixed banks compute it once); otherwise a power iteration finds it. */
  maxEigenvalue?: number;
  /** Called once after the run with its {@linkcode IstaDiagnostics} (reads values back; costs a sync). */
  onDiagnostics?: (diagnostics: IstaDiagnostics) => void;
}

/** Defaults of {@linkcode IstaOptions}, the paper's settings (with the step chosen automatically). */
export const ISTA_DEFAULTS = Object.freeze(
  {
    lambda: 0.1,
    step: "auto",
    maxIterations: 2000,
    tolerance: 8e-4,
  } satisfies Required<Omit<IstaOptions, "maxEigenvalue" | "onDiagnostics">>,
);

function fail(message: string): string {
  return `Cannot run ista: ${message}`;
}

/** Soft-thresholding S(u, t) = sign(u) · max(|u| − t, 0), written as u − clip(u, ±t): exact zeros, fast kernels. */
function softThreshold(u: tf.Tensor2D, threshold: number): tf.Tensor2D {
  return tf.sub(u, tf.clipByValue(u, -threshold, threshold));
}

/** u = h − α Dᵀ(D h − x), batched as rows: h `[batch, n]`, x `[batch, d]`, D `[d, n]`. */
function gradientStep(
  dictionary: tf.Tensor2D,
  features: tf.Tensor2D,
  h: tf.Tensor2D,
  step: number,
): tf.Tensor2D {
  const residual = tf.sub(tf.matMul(h, dictionary, false, true), features);
  return tf.sub(h, tf.mul(tf.matMul(residual, dictionary), step));
}

function resolveStep(
  dictionary: tf.Tensor2D,
  step: number | "auto",
  maxEigenvalue: number | undefined,
): { step: number; maxEigenvalue: number } {
  const eigenvalue = maxEigenvalue ?? powerIteration(dictionary).eigenvalue;
  if (!(eigenvalue >= 0) || !Number.isFinite(eigenvalue)) {
    throw new RangeError(fail(`λ_max(DᵀD) must be a finite number >= 0, current value is ${eigenvalue}`));
  }
  if (step === "auto") return { step: eigenvalue > 0 ? 1 / eigenvalue : 1, maxEigenvalue: eigenvalue };
  if (!(step > 0) || !Number.isFinite(step)) {
    throw new RangeError(fail(`options.step must be a number > 0 or 'auto', current value is ${step}`));
  }
  if (step * eigenvalue > 1 + 1e-6) {
    throw new RangeError(
      fail(
        `options.step · λ_max(DᵀD) must be <= 1 (use a smaller step or 'auto'), current value is ${step} · ${eigenvalue} = ${
          step * eigenvalue
        }`,
      ),
    );
  }
  return { step, maxEigenvalue: eigenvalue };
}

/**
 * ISTA (Daubechies, Defrise & De Mol 2004; Beck & Teboulle 2009) for the Lasso
 * min_h ½‖x − D h‖² + λ‖h‖₁, one problem per row of `features`: from h = 0,
 * `h ← S(h − α Dᵀ(D h − x), α λ)` with the soft-threshold S, until the update of a sample is below the
 * tolerance (that sample then stops; samples never affect each other) or `maxIterations`. The paper's
 * defense codes each feature against a memory bank of training features this way.
 *
 * The loop is unrolled in TensorFlow.js ops, so gradients flow through every iteration (attacks
 * differentiate through it). Each iteration runs in its own `tf.tidy`: outside a gradient tape only the
 * current codes are alive; inside one, the tape keeps each iteration's saved tensors until the gradient is
 * taken, so memory grows with the iterations run (bounded by `maxIterations`).
 *
 * @param dictionary D `[d, n]`: one atom per column; not disposed.
 * @param features x `[batch, d]`; not disposed.
 * @param options λ, α, iterations, tolerance, a known λ_max and a diagnostics callback.
 * @returns The codes h `[batch, n]`, owned by the caller.
 * @throws {TypeError} If the shapes do not match.
 * @throws {RangeError} If an option is out of range or α · λ_max(DᵀD) > 1.
 *
 * @example An orthonormal dictionary: ISTA is soft-thresholding of Dᵀx
 * ```ts
 * import assert from "node:assert/strict";
 * import { tf, useBackend } from "../engine/mod.ts";
 * await useBackend("cpu");
 * const dictionary = tf.tensor2d([[1, 0], [0, 1]]);
 * const features = tf.tensor2d([[0.5, -0.05]]);
 * let zeroShare = NaN;
 * const codes = ista(dictionary, features, { lambda: 0.1, step: 1, onDiagnostics: (d) => (zeroShare = d.zeroShare) });
 * assert.deepEqual(Array.from(await codes.data()).map((v) => v.toFixed(3)), ["0.400", "0.000"]);
 * assert.equal(zeroShare, 0.5);
 * ```
 */
export function ista(dictionary: tf.Tensor2D, features: tf.Tensor2D, options: IstaOptions = {}): tf.Tensor2D {
  const { lambda, step: stepOption, maxIterations, tolerance } = { ...ISTA_DEFAULTS, ...options };
  if (dictionary?.rank !== 2 || features?.rank !== 2 || features.shape[1] !== dictionary.shape[0]) {
    throw new TypeError(
      fail(
        `features [batch, d] must match the dictionary [d, n], current shapes are [${features?.shape}] and [${dictionary?.shape}]`,
      ),
    );
  }
  if (!(lambda >= 0) || !Number.isFinite(lambda)) {
    throw new RangeError(fail(`options.lambda must be a finite number >= 0, current value is ${lambda}`));
  }
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new RangeError(
      fail(`options.maxIterations must be an integer >= 1, current value is ${maxIterations}`),
    );
  }
  if (!(tolerance >= 0)) {
    throw new RangeError(fail(`options.tolerance must be a number >= 0, current value is ${tolerance}`));
  }
  const { step, maxEigenvalue } = resolveStep(dictionary, stepOption, options.maxEigenvalue);
  const threshold = step * lambda;
  const batch = features.shape[0];
  const iterationsPerSample = Array.from({ length: batch }, () => 0);
  let active = Array.from({ length: batch }, () => true);
  let h: tf.Tensor2D = tf.zeros([batch, dictionary.shape[1]]);
  let iterations = 0;
  while (iterations < maxIterations && active.some(Boolean)) {
    iterations += 1;
    const mask = active.every(Boolean) ? null : tf.tensor2d(active, [batch, 1], "bool");
    const previous = h;
    const next = tf.tidy(() => {
      const updated = softThreshold(gradientStep(dictionary, features, previous, step), threshold);
      return mask ? tf.where(mask, updated, previous) : updated;
    });
    const change = tolerance > 0 ? tf.tidy(() => tf.norm(tf.sub(next, previous), "euclidean", 1)) : null;
    mask?.dispose();
    previous.dispose();
    h = next;
    active.forEach((on, i) => {
      if (on) iterationsPerSample[i] = iterations;
    });
    if (change) {
      const changes = change.dataSync();
      change.dispose();
      active = active.map((on, i) => on && !((changes[i] ?? 0) < tolerance));
    }
  }
  if (options.onDiagnostics) {
    const codes = h;
    const [zeros, shrunk, size] = tf.tidy(() => {
      const u = gradientStep(dictionary, features, codes, step);
      return [
        tf.sum(tf.cast(tf.equal(codes, 0), "float32")),
        tf.norm(tf.sub(softThreshold(u, threshold), u)),
        tf.norm(u),
      ];
    });
    const [zeroCount = 0, shrinkNorm = 0, uNorm = 0] = [zeros, shrunk, size].map((t) => t.dataSync()[0]);
    tf.dispose([zeros, shrunk, size]);
    options.onDiagnostics({
      zeroShare: codes.size > 0 ? zeroCount / codes.size : 0,
      iterations,
      iterationsPerSample,
      shrinkage: uNorm > 0 ? shrinkNorm / uNorm : 0,
      step,
      maxEigenvalue,
    });
  }
  return h;
}
