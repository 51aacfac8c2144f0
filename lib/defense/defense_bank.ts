/**
 * One modality's memory-bank defense: sparse-code a feature against a fixed bank and mix the
 * reconstruction with the feature, with an exact or a BPDA backward pass.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import { ista, ISTA_DEFAULTS, type IstaDiagnostics } from "./ista.ts";
import { powerIteration } from "./power_iteration.ts";

/** How gradients pass the defense. */
export type DefenseBackward = "exact" | "linear" | "identity";

/** Options of {@linkcode defenseBank} (JSON-serialisable). */
export interface DefenseOptions {
  /** a in f̃ = a · D h + (1 − a) · f (the paper: 0.5). @default 0.5 */
  mix?: number;
  /** λ of the ISTA coding (the paper: 0.1). @default 0.1 */
  lambda?: number;
  /** α of the ISTA coding, or `"auto"` for 1/λ_max(DᵀD) (the paper fixes tiny steps per dataset). @default "auto" */
  step?: number | "auto";
  /** Most ISTA iterations (the paper: 2000). @default 2000 */
  maxIterations?: number;
  /** ISTA's per-sample stopping tolerance (the paper: 8e-4). @default 8e-4 */
  tolerance?: number;
  /**
   * The backward pass: `"exact"` differentiates through the unrolled ISTA (end-to-end white box);
   * `"linear"` is BPDA with the λ = 0 map (same step, `maxIterations` steps, no early stop), which is
   * linear, f ↦ f·T; `"identity"` is BPDA with f̃ ≈ f. The forward pass is the same in all three.
   * @default "exact"
   */
  backward?: DefenseBackward;
}

/** Defaults of {@linkcode DefenseOptions}, the paper's settings with the step chosen automatically. */
export const DEFENSE_DEFAULTS = Object.freeze(
  {
    mix: 0.5,
    lambda: ISTA_DEFAULTS.lambda,
    step: ISTA_DEFAULTS.step,
    maxIterations: ISTA_DEFAULTS.maxIterations,
    tolerance: ISTA_DEFAULTS.tolerance,
    backward: "exact",
  } satisfies Required<DefenseOptions>,
);

/** A prepared bank: the dictionary, its λ_max (computed once), and the defense as a function. */
export interface DefenseBank {
  /** D `[d, n]` (not owned). */
  readonly dictionary: tf.Tensor2D;
  /** The resolved options. */
  readonly options: Readonly<Required<DefenseOptions>>;
  /** λ_max(DᵀD), from a power iteration at preparation. */
  readonly maxEigenvalue: number;
  /**
   * The defended features f̃ `[batch, d]` of features f `[batch, d]` (owned by the caller; `f` is not
   * disposed).
   */
  defend(features: tf.Tensor2D, onDiagnostics?: (diagnostics: IstaDiagnostics) => void): tf.Tensor2D;
  /** Frees the bank's own tensors (the linear surrogate); the dictionary stays the caller's. */
  dispose(): void;
}

/**
 * Prepares a memory bank for the paper's defense: f̃ = a · D h + (1 − a) · f with h the ISTA code of f
 * against D. The step is checked against λ_max(DᵀD) once here, so every forward pass skips the power
 * iteration; the pass is deterministic (no randomness, so EOT has nothing to average).
 *
 * @param dictionary D `[d, n]`: one stored feature per column; not disposed.
 * @param options Mixing, ISTA settings and the backward pass.
 * @returns The prepared bank.
 * @throws {RangeError} If an option is out of range or the step exceeds 1/λ_max.
 *
 * @example Halfway between a feature and its reconstruction
 * ```ts
 * import assert from "node:assert/strict";
 * import { tf, useBackend } from "../engine/mod.ts";
 * await useBackend("cpu");
 * const bank = defenseBank(tf.tensor2d([[1, 0], [0, 1]]), { lambda: 0.2, step: 1 });
 * const defended = bank.defend(tf.tensor2d([[1, 0.1]]));
 * assert.deepEqual(Array.from(await defended.data()).map((v) => v.toFixed(2)), ["0.90", "0.05"]);
 * ```
 */
export function defenseBank(dictionary: tf.Tensor2D, options: DefenseOptions = {}): DefenseBank {
  const resolved = Object.freeze({ ...DEFENSE_DEFAULTS, ...options });
  const { mix, lambda, step, maxIterations, tolerance, backward } = resolved;
  if (!(mix >= 0 && mix <= 1)) {
    throw new RangeError(
      `Cannot prepare the defense: options.mix must be in [0, 1], current value is ${mix}`,
    );
  }
  if (!["exact", "linear", "identity"].includes(backward)) {
    throw new RangeError(
      `Cannot prepare the defense: options.backward must be 'exact', 'linear' or 'identity', current value is '${backward}'`,
    );
  }
  const maxEigenvalue = powerIteration(dictionary).eigenvalue;
  const coding = { lambda, step, maxIterations, tolerance, maxEigenvalue };
  // Validates the step against λ_max once (one cheap iteration on a zero feature).
  tf.tidy(() => ista(dictionary, tf.zeros([1, dictionary.shape[0]]), { ...coding, maxIterations: 1 }))
    .dispose();
  const exact = (f: tf.Tensor2D, onDiagnostics?: (d: IstaDiagnostics) => void): tf.Tensor2D =>
    tf.tidy(() => {
      if (mix === 0) return tf.clone(f);
      const codes = ista(dictionary, f, onDiagnostics ? { ...coding, onDiagnostics } : coding);
      return tf.add(tf.mul(tf.matMul(codes, dictionary, false, true), mix), tf.mul(f, 1 - mix));
    });
  // BPDA's linear surrogate T = L(I): the λ = 0 map applied to the identity, so L(f) = f·T and its
  // vector-Jacobian product is dy·Tᵀ. Computed once, kept outside any caller's scope.
  let linearMap: tf.Tensor2D | null = backward !== "linear" ? null : tf.keep(tf.tidy(() => {
    const size = dictionary.shape[0];
    const identity = tf.reshape<tf.Rank.R2>(tf.eye(size), [size, size]);
    const codes = ista(dictionary, identity, { ...coding, lambda: 0, tolerance: 0 });
    return tf.add(tf.mul(tf.matMul(codes, dictionary, false, true), mix), tf.mul(identity, 1 - mix));
  }));
  return {
    dictionary,
    options: resolved,
    maxEigenvalue,
    defend(features, onDiagnostics) {
      if (backward === "exact") return exact(features, onDiagnostics);
      const map = linearMap;
      const bpda = tf.customGrad((...inputs) => {
        const f = inputs[0];
        if (!(f instanceof tf.Tensor)) throw new TypeError("Cannot run the defense: no input tensor");
        const value = tf.tidy(() => exact(tf.reshape<tf.Rank.R2>(f, features.shape), onDiagnostics));
        return { value, gradFunc: (dy: tf.Tensor) => (map ? tf.matMul(dy, map, false, true) : tf.clone(dy)) };
      });
      return tf.reshape<tf.Rank.R2>(bpda(features), features.shape);
    },
    dispose() {
      linearMap?.dispose();
      linearMap = null;
    },
  };
}
