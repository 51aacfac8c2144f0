/**
 * Sparse coding by ISTA, unrolled and differentiable: the core of the paper's memory-bank defense.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import {
  istaBackward,
  istaGradientStep,
  type IstaOperands,
  istaOperands,
  type IstaRun,
  runIsta,
  softThreshold,
} from "./_ista_loop.ts";
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
 * The loop is unrolled, so gradients flow through every iteration (attacks differentiate through it), as
 * one custom-gradient op whose backward pass is the exact vector-Jacobian product of the iterations run
 * (the same values as autodiff through the loop, to float rounding, at a fraction of the cost). The
 * dictionary is a constant: no gradient reaches it. Outside a gradient tape only the current codes are
 * alive; inside one, every iterate is kept until the gradient is taken, so memory grows with the
 * iterations run (bounded by `maxIterations`).
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
  const limits = { maxIterations, tolerance };
  const report = (operands: IstaOperands, x: tf.Tensor2D, run: IstaRun) => {
    if (options.onDiagnostics) options.onDiagnostics(diagnose(operands, x, run, maxEigenvalue));
  };
  if (!recordingGradient()) {
    const operands = istaOperands(dictionary, step, lambda);
    try {
      const run = runIsta(operands, features, limits, false);
      report(operands, features, run);
      return run.codes;
    } finally {
      tf.dispose([operands.transposed, operands.scaled]);
    }
  }
  // Under a gradient tape: one op on the tape whose backward is written out (see _ista_loop.ts).
  const coded = tf.customGrad((...inputs) => {
    const [x, save] = inputs;
    if (!(x instanceof tf.Tensor) || typeof save !== "function") {
      throw new TypeError(fail("no input tensor"));
    }
    const operands = istaOperands(dictionary, step, lambda);
    const input = tf.reshape<tf.Rank.R2>(x, features.shape);
    const run = runIsta(operands, input, limits, true);
    save([operands.transposed, operands.scaled, ...run.iterates]);
    report(operands, input, run);
    return {
      value: run.codes,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [transposed, scaled, ...iterates] = saved;
        if (!transposed || !scaled) throw new RangeError(fail("the saved operands are missing"));
        return [istaBackward({ transposed, scaled, step }, iterates, run.activity, dy)];
      },
    };
  });
  return tf.reshape<tf.Rank.R2>(coded(features), [features.shape[0], dictionary.shape[1]]);
}

/**
 * Whether TensorFlow.js records a gradient tape here (inside `tf.grad` and the like, outside any kernel):
 * only then does the run keep its iterates for the backward pass.
 */
function recordingGradient(): boolean {
  const { gradientDepth, kernelDepth } = tf.engine().state;
  return gradientDepth > 0 && kernelDepth === 0;
}

function diagnose(operands: IstaOperands, features: tf.Tensor2D, run: IstaRun, maxEigenvalue: number) {
  const { codes, iterations, iterationsPerSample } = run;
  const [zeros, shrunk, size] = tf.tidy(() => {
    const u = istaGradientStep(operands, features, codes);
    return [
      tf.sum(tf.cast(tf.equal(codes, 0), "float32")),
      tf.norm(tf.sub(softThreshold(u, operands.threshold), u)),
      tf.norm(u),
    ];
  });
  const [zeroCount = 0, shrinkNorm = 0, uNorm = 0] = [zeros, shrunk, size].map((t) => t.dataSync()[0]);
  tf.dispose([zeros, shrunk, size]);
  return {
    zeroShare: codes.size > 0 ? zeroCount / codes.size : 0,
    iterations,
    iterationsPerSample,
    shrinkage: uNorm > 0 ? shrinkNorm / uNorm : 0,
    step: operands.step,
    maxEigenvalue,
  };
}
