/**
 * The best point per sample, kept centrally for every attack.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import type { Evaluation } from "./_evaluation.ts";

/** The best point per sample so far: adversarial beats not adversarial, then higher objective wins. */
export interface Best {
  inputs: tf.Tensor[];
  success: tf.Tensor;
  objective: tf.Tensor;
  loss: tf.Tensor;
  prediction: tf.Tensor;
}

/** The per-sample fields of a candidate point. */
export type Candidate = Pick<Evaluation, "success" | "objective" | "loss" | "prediction">;

/**
 * Merges a candidate into `best` (disposing the old best; `xs` and `candidate` are not disposed).
 * `"lexicographic"`: adversarial beats not adversarial, then the higher objective wins.
 * `"adversarialOnly"`: the candidate wins only where it is adversarial and `best` is not.
 */
export function updateBest(
  best: Best | null,
  xs: readonly tf.Tensor[],
  candidate: Candidate,
  rule: "lexicographic" | "adversarialOnly" = "lexicographic",
): Best {
  if (best === null) {
    return tf.tidy(() => ({
      inputs: xs.map((x) => tf.clone(x)),
      success: tf.clone(candidate.success),
      objective: tf.clone(candidate.objective),
      loss: tf.clone(candidate.loss),
      prediction: tf.clone(candidate.prediction),
    }));
  }
  const next = tf.tidy(() => {
    const newlyAdversarial = tf.logicalAnd(candidate.success, tf.logicalNot(best.success));
    const better = rule === "adversarialOnly" ? newlyAdversarial : tf.logicalOr(
      newlyAdversarial,
      tf.logicalAnd(
        tf.equal(candidate.success, best.success),
        tf.greater(candidate.objective, best.objective),
      ),
    );
    const pick = <T extends tf.Tensor>(a: T, b: T): T =>
      tf.where(tf.reshape(better, [-1, ...a.shape.slice(1).map(() => 1)]), a, b);
    return {
      inputs: xs.map((x, i) => pick(x, best.inputs[i] ?? x)),
      // tf.where on bool tensors corrupts the wasm heap (tfjs-backend-wasm 4.22 Select), so select with logic ops.
      success: tf.logicalOr(
        tf.logicalAnd(better, candidate.success),
        tf.logicalAnd(tf.logicalNot(better), best.success),
      ),
      objective: pick(candidate.objective, best.objective),
      loss: pick(candidate.loss, best.loss),
      prediction: pick(candidate.prediction, best.prediction),
    };
  });
  disposeBest(best);
  return next;
}

/** Frees a best point. */
export function disposeBest(best: Best | null): void {
  if (best) tf.dispose([...best.inputs, best.success, best.objective, best.loss, best.prediction]);
}

/** Maps full-batch row `i` to `offset + k` where `rows[k] === i`, else to `i` (or to `missing` when given). */
export function scatterSource(
  rows: readonly number[],
  n: number,
  offset: number,
  missing?: number,
): tf.Tensor1D {
  const source = Array.from({ length: n }, (_, i) => missing ?? i);
  rows.forEach((row, k) => (source[row] = offset + k));
  return tf.tensor1d(source, "int32");
}

/**
 * {@linkcode updateBest} for a candidate evaluated on some rows of the batch (sorted indices): the
 * other rows keep their best point. `best` must exist unless `rows` covers the whole batch.
 */
export function updateBestRows(
  best: Best | null,
  rows: readonly number[],
  n: number,
  xs: readonly tf.Tensor[],
  candidate: Candidate,
  rule: "lexicographic" | "adversarialOnly" = "lexicographic",
): Best {
  if (best === null || rows.length === n) return updateBest(best, xs, candidate, rule);
  const index = tf.tensor1d([...rows], "int32");
  const gathered: Best = tf.tidy(() => ({
    inputs: best.inputs.map((x) => tf.gather(x, index)),
    success: tf.gather(best.success, index),
    objective: tf.gather(best.objective, index),
    loss: tf.gather(best.loss, index),
    prediction: tf.gather(best.prediction, index),
  }));
  index.dispose();
  const merged = updateBest(gathered, xs, candidate, rule);
  const next = tf.tidy(() => {
    const source = scatterSource(rows, n, n);
    const scatter = <T extends tf.Tensor>(full: T, part: T): T => tf.gather(tf.concat([full, part]), source);
    return {
      inputs: best.inputs.map((x, i) => scatter(x, merged.inputs[i] ?? x)),
      success: scatter(best.success, merged.success),
      objective: scatter(best.objective, merged.objective),
      loss: scatter(best.loss, merged.loss),
      prediction: scatter(best.prediction, merged.prediction),
    };
  });
  disposeBest(best);
  disposeBest(merged);
  return next;
}
