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

const linf: NormOps = {
  direction: (gradient) => tf.sign(gradient),
  project(x, x0, eps, scale) {
    const radius = scale ? tf.mul(scale, eps) : tf.scalar(eps);
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
