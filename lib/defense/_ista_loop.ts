/**
 * The ISTA loop and its hand-written backward pass, private to {@linkcode ista}.
 *
 * The loop is unrolled: `h_k = S(u_k)` with `u_k = h_{k−1} − (h_{k−1} Dᵀ − x) αD` and the soft-threshold
 * S(u) = u − clip(u, ±t), while a sample is active (its rows keep `h_{k−1}` once it stopped). Its
 * vector-Jacobian product needs only the iterates: S′(u_k) = 1 exactly where `h_k ≠ 0` (the derivative
 * TensorFlow.js gives `sub(u, clipByValue(u))`), so for an upstream gradient g of `h_K`
 *
 *     g_u = g ⊙ [h_k ≠ 0] on active rows (0 elsewhere),  c = g_u Dᵀ,
 *     g ← g_u − c αD + g on inactive rows,  ∂x += α c.
 *
 * Autodiff through the loop records every op of every iteration on the tape and differentiates each; this
 * backward runs a mask and two matrix products per iteration, and the forward works on Dᵀ and αD prepared
 * once per call (the wasm matMul transposes an operand on every call otherwise).
 *
 * @module
 */
import { tf } from "../engine/tf.ts";

/** Dᵀ `[n, d]` and αD `[d, n]` of one run, with α and the threshold αλ. */
export interface IstaOperands {
  transposed: tf.Tensor2D;
  scaled: tf.Tensor2D;
  step: number;
  threshold: number;
}

/** Prepares {@linkcode IstaOperands} (owned by the caller) from D `[d, n]`. */
export function istaOperands(dictionary: tf.Tensor2D, step: number, lambda: number): IstaOperands {
  return {
    transposed: tf.tidy(() => tf.transpose(dictionary)),
    scaled: tf.tidy(() => tf.mul(dictionary, step)),
    step,
    threshold: step * lambda,
  };
}

/** u = h − (h Dᵀ − x) αD, batched as rows: h `[batch, n]`, x `[batch, d]`. */
export function istaGradientStep(operands: IstaOperands, features: tf.Tensor2D, h: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() =>
    tf.sub(h, tf.matMul(tf.sub(tf.matMul(h, operands.transposed), features), operands.scaled))
  );
}

/** S(u, t) = sign(u) · max(|u| − t, 0), written as u − clip(u, ±t): exact zeros, fast kernels. */
export function softThreshold(u: tf.Tensor2D, threshold: number): tf.Tensor2D {
  return tf.tidy(() => tf.sub(u, tf.clipByValue(u, -threshold, threshold)));
}

/** What one run of the loop produced. */
export interface IstaRun {
  /** h_K `[batch, n]`, owned by the caller. */
  codes: tf.Tensor2D;
  /** Iterations run (the most any sample used). */
  iterations: number;
  /** Iterations per sample. */
  iterationsPerSample: number[];
  /** h_1 … h_K (h_K is `codes`) when kept for the backward pass, else empty; owned by the caller. */
  iterates: tf.Tensor2D[];
  /** Per iteration, the samples it updated, or null when it updated all. */
  activity: (boolean[] | null)[];
}

/**
 * Runs the loop from h₀ = 0: each sample stops once ‖h_k − h_{k−1}‖₂ < `tolerance` (never with 0) or
 * after `maxIterations`.
 *
 * @param keep Keep every iterate (for {@linkcode istaBackward}); otherwise only the current one lives.
 */
export function runIsta(
  operands: IstaOperands,
  features: tf.Tensor2D,
  limits: { maxIterations: number; tolerance: number },
  keep: boolean,
): IstaRun {
  const batch = features.shape[0];
  const iterationsPerSample = Array.from({ length: batch }, () => 0);
  const iterates: tf.Tensor2D[] = [];
  const activity: (boolean[] | null)[] = [];
  let active = Array.from({ length: batch }, () => true);
  let mask: tf.Tensor2D | null = null;
  let h: tf.Tensor2D = tf.zeros([batch, operands.transposed.shape[0]]);
  let iterations = 0;
  try {
    while (iterations < limits.maxIterations && active.some(Boolean)) {
      iterations += 1;
      const all = active.every(Boolean);
      activity.push(all ? null : [...active]);
      const previous = h;
      const rows = mask;
      h = tf.tidy(() => {
        const updated = softThreshold(istaGradientStep(operands, features, previous), operands.threshold);
        return rows ? tf.where(rows, updated, previous) : updated;
      });
      if (keep) iterates.push(h);
      active.forEach((on, i) => {
        if (on) iterationsPerSample[i] = iterations;
      });
      if (limits.tolerance > 0) {
        const change = tf.tidy(() => tf.sum(tf.squaredDifference(h, previous), 1));
        const squares = change.dataSync();
        change.dispose();
        const next = active.map((on, i) => on && !(Math.sqrt(squares[i] ?? 0) < limits.tolerance));
        if (next.some((on, i) => on !== active[i])) {
          mask?.dispose();
          mask = next.every(Boolean) ? null : tf.tensor2d(next, [batch, 1], "bool");
        }
        active = next;
      }
      if (!keep || iterations === 1) previous.dispose();
    }
  } catch (error) {
    tf.dispose([h, ...iterates.filter((t) => t !== h)]);
    throw error;
  } finally {
    mask?.dispose();
  }
  return { codes: h, iterations, iterationsPerSample, iterates, activity };
}

/**
 * The vector-Jacobian product of {@linkcode runIsta} with respect to the features: ∂L/∂x `[batch, d]`
 * (owned by the caller) for an upstream gradient `dy` = ∂L/∂h_K. D is a constant (no gradient).
 *
 * @param iterates h_1 … h_K of the run (not disposed).
 * @param activity The run's per-iteration samples.
 */
export function istaBackward(
  operands: { transposed: tf.Tensor; scaled: tf.Tensor; step: number },
  iterates: readonly tf.Tensor[],
  activity: readonly (boolean[] | null)[],
  dy: tf.Tensor,
): tf.Tensor2D {
  const { transposed, scaled, step } = operands;
  const [batch = 0] = dy.shape;
  const [n = 0, d = 0] = transposed.shape;
  let upstream: tf.Tensor = tf.reshape(dy, [batch, n]);
  let features: tf.Tensor = tf.zeros([batch, d]);
  // One scope per iteration, so memory stays flat however many iterations ran.
  for (let k = iterates.length - 1; k >= 0; k--) {
    const codes = iterates[k];
    if (!codes) throw new RangeError("Cannot differentiate ista: an iterate is missing");
    const rows = activity[k] ?? null;
    const [g, x] = [upstream, features];
    [upstream, features] = tf.tidy(() => {
      const rowMask = rows ? tf.tensor2d(rows.map(Number), [rows.length, 1]) : null;
      let gradient = tf.mul(g, tf.cast(tf.notEqual(codes, 0), "float32"));
      if (rowMask) gradient = tf.mul(gradient, rowMask);
      const correlation = tf.matMul(gradient, transposed);
      if (k === 0) return [g, tf.add(x, correlation)];
      const back = tf.sub(gradient, tf.matMul(correlation, scaled));
      return [rowMask ? tf.add(back, tf.mul(g, tf.sub(1, rowMask))) : back, tf.add(x, correlation)];
    });
    if (upstream !== g) g.dispose();
    x.dispose();
  }
  upstream.dispose();
  const gradient = tf.tidy(() => tf.reshape<tf.Rank.R2>(tf.mul(features, step), [batch, d]));
  features.dispose();
  return gradient;
}
