/**
 * Norm behaviour as a table keyed by `budget.norm`. Every function works on one modality and reduces
 * over all axes but the batch axis. Budgets live in "budget units" u = x / scale, where `scale` is the
 * per-channel std for normalised visual budgets and 1 otherwise.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import type { Norm } from "./types.ts";
import { perSampleL2, perSampleMax, toBatchShape } from "./_reduce.ts";

/** What an attack needs to know about a norm. */
export interface NormOps {
  /** Unit-norm steepest-ascent direction of a gradient in budget units (sign for L∞). */
  direction(gradient: tf.Tensor): tf.Tensor;
  /** Projects `x` (raw units) onto the ball of radius `eps` (budget units) around `x0`. */
  project(x: tf.Tensor, x0: tf.Tensor, eps: number, scale: tf.Tensor | null): tf.Tensor;
  /** A random perturbation (budget units) in the ball of radius `eps`. */
  sample(shape: number[], eps: number, seed: number): tf.Tensor;
  /** Per-sample size `[batch]` of a perturbation in budget units. */
  size(delta: tf.Tensor): tf.Tensor;
}

/** 2^127, the largest power of two in float32 (exact). */
const LIFT = 2 ** 127;

const linf: NormOps = {
  // sign(g), exactly, from three fast kernels (wasm's Sign is a slow generic loop): two exact scalings by
  // 2^127 lift every nonzero float32 (the smallest is 2^-149) to magnitude >= 1, and the clip gives ±1.
  // Zero stays zero. A NaN entry (tf.sign gives 0) stays NaN on cpu and becomes −1 on wasm (XNNPACK's
  // clamp); NaN logits, the usual source, are flagged by the finite check either way.
  direction: (gradient) => tf.clipByValue(tf.mul(tf.mul(gradient, LIFT), LIFT), -1, 1),
  project(x, x0, eps, scale) {
    // Without a scale: x0 + clip(x − x0, ±ε) (torchattacks' form; clip is a fast kernel, wasm's
    // maximum/minimum are not). The sum can round past the ball by an ulp of x, within the checks' tolerance.
    if (!scale) return tf.add(x0, tf.clipByValue(tf.sub(x, x0), -eps, eps));
    const radius = tf.mul(scale, eps);
    return tf.minimum(tf.maximum(x, tf.sub(x0, radius)), tf.add(x0, radius));
  },
  sample: (shape, eps, seed) => tf.randomUniform(shape, -eps, eps, "float32", seed),
  size: (delta) => perSampleMax(tf.abs(delta)),
};

const l2: NormOps = {
  direction(gradient) {
    const norm = tf.maximum(perSampleL2(gradient), 1e-12);
    return tf.div(gradient, toBatchShape(norm, gradient.rank));
  },
  project(x, x0, eps, scale) {
    const delta = scale ? tf.div(tf.sub(x, x0), scale) : tf.sub(x, x0);
    const factor = tf.minimum(1, tf.div(eps, tf.maximum(perSampleL2(delta), 1e-12)));
    const projected = tf.mul(delta, toBatchShape(factor, delta.rank));
    return tf.add(x0, scale ? tf.mul(projected, scale) : projected);
  },
  sample(shape, eps, seed) {
    const noise = tf.randomNormal(shape, 0, 1, "float32", seed);
    return tf.mul(l2.direction(noise), eps);
  },
  size: (delta) => perSampleL2(delta),
};

function tidied(ops: NormOps): NormOps {
  return {
    direction: (gradient) => tf.tidy(() => ops.direction(gradient)),
    project: (x, x0, eps, scale) => tf.tidy(() => ops.project(x, x0, eps, scale)),
    sample: (shape, eps, seed) => tf.tidy(() => ops.sample(shape, eps, seed)),
    size: (delta) => tf.tidy(() => ops.size(delta)),
  };
}

/** The norm table; every function frees its intermediates. */
export const NORMS: Readonly<Record<Norm, NormOps>> = Object.freeze({ linf: tidied(linf), l2: tidied(l2) });
