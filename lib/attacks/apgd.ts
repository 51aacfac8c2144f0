/**
 * Auto-PGD with the cross-entropy loss (APGD-CE), the strong default for robust accuracy.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import type { AvBatch } from "../data/batch.ts";
import type { AvModel } from "../models/types.ts";
import { checkInteger, checkNumber, createContext, restrictContext } from "./_context.ts";
import {
  type Best,
  disposeBest,
  evaluate,
  type Evaluation,
  finishAttack,
  openRows,
  project,
  randomStart as sampleStart,
  releaseEvaluation,
  step,
  updateBestRows,
  widen,
} from "./_gradient_attack.ts";
import { at } from "./_reduce.ts";
import type { AttackResult, CommonAttackOptions } from "./types.ts";

/** Options of {@linkcode apgd}. */
export interface ApgdOptions extends CommonAttackOptions {
  /** Iterations N per restart (AutoAttack: 100). @default 100 */
  steps?: number;
  /** Independent runs from random starts; the best point per sample wins. @default 1 */
  restarts?: number;
  /** Start from a random point of the ε-ball (AutoAttack) instead of the clean input. @default true */
  randomStart?: boolean;
  /** Initial step size η⁽⁰⁾ relative to ε (AutoAttack: 2ε). @default 2 */
  initialStepSize?: number;
  /** Momentum α of the update (AutoAttack: 0.75). @default 0.75 */
  momentum?: number;
  /** ρ: halve the step when fewer than ρ of the steps since the last checkpoint raised the loss. @default 0.75 */
  rho?: number;
  /**
   * Attack only samples that are not adversarial yet: never those misclassified on clean inputs, on each
   * restart only those earlier runs did not fool (AutoAttack's practice), and within a run a sample leaves
   * the batch at the first step that fools it. Every other sample's iterates are unchanged, so robust
   * accuracy is too; a fooled sample keeps its first adversarial point (not the highest-loss one of a full
   * run), and its row of the loss trace is NaN after it left. The attack runs faster.
   * @default true
   */
  earlyStop?: boolean;
}

/** Defaults of {@linkcode ApgdOptions}, the values the cache hashes. */
export const APGD_DEFAULTS = Object.freeze(
  {
    steps: 100,
    restarts: 1,
    randomStart: true,
    initialStepSize: 2,
    momentum: 0.75,
    rho: 0.75,
    earlyStop: true,
  } satisfies Required<Omit<ApgdOptions, keyof CommonAttackOptions>>,
);

function swap<T extends tf.TensorContainer>(old: T, next: T): T {
  tf.dispose(old);
  return next;
}

/** Keeps rows `index` of a per-sample tensor, disposing it (bool goes through float32: wasm-safe). */
function keepRows<T extends tf.Tensor>(t: T, index: tf.Tensor1D): T {
  const kept = tf.tidy(() =>
    t.dtype === "bool" ? tf.cast(tf.gather(tf.cast(t, "float32"), index), "bool") : tf.gather(t, index)
  );
  t.dispose();
  return kept as T;
}

/**
 * APGD (Croce & Hein, ICML 2020, https://arxiv.org/abs/2003.01690), as in AutoAttack's
 * `APGDAttack`: a step z = P(x + η·sign(∇)) (L∞; L2 uses ∇/‖∇‖₂) and the momentum update
 * x ← P(x + α(z − x) + (1 − α)(x − x_prev)), α = 0.75 (1 on the first step), with one relative step
 * size η per sample shared by both modalities (η⁽⁰⁾ = 2ε). At checkpoints after 0.22N iterations (then
 * shrinking by 0.03N down to 0.06N) η is halved and the point reset to the best one for every sample
 * whose loss rose in at most ρ = 0.75 of the steps, or whose step was not halved at the previous
 * checkpoint while its best loss did not improve. P projects per modality onto the ε-ball around the
 * clean input and clips to `model.bounds`. Audio `[batch, samples]` in [-1, 1]; frames
 * `[batch, H, W, C]` in [0, 1] (ε_v in pixel or normalised units). Default loss: cross-entropy.
 *
 * @param model The model (eval mode is used).
 * @param batch Clean inputs and int32 labels; not disposed.
 * @param options Budget (required), iterations, restarts, schedule constants, targeting, loss, seed.
 * @returns Adversarial inputs (owned by the caller), per-sample success and the loss trace.
 * @throws {RangeError} If an option is out of range or inputs lie outside the bounds.
 * @throws {TypeError} If the batch has the wrong shapes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { useBackend } from "../engine/mod.ts";
 * import { linearModel, linearBatch } from "../models/toy_models.ts";
 * await useBackend("cpu");
 * const model = linearModel({ numClasses: 3, seed: 1 });
 * const batch = linearBatch(model, { size: 2, seed: 2 });
 * const result = await apgd(model, batch, { budget: { norm: "linf", audio: 0.05, visual: 0.05 }, steps: 10 });
 * assert.equal(result.gradientCalls, 11);
 * ```
 */
export async function apgd(model: AvModel, batch: AvBatch, options: ApgdOptions): Promise<AttackResult> {
  const { steps, restarts, randomStart, initialStepSize, momentum, rho, earlyStop } = {
    ...APGD_DEFAULTS,
    ...options,
  };
  checkInteger("apgd", "steps", steps, 1);
  checkInteger("apgd", "restarts", restarts, 1);
  checkNumber("apgd", "initialStepSize", initialStepSize, 0);
  checkNumber("apgd", "momentum", momentum, 0, 1);
  checkNumber("apgd", "rho", rho, 0, 1);
  const ctx = await createContext("apgd", model, batch, options);
  const trace: tf.Tensor[] = [];
  let result: Best | null = null;
  const record = (restart: number, rows: readonly number[], xs: tf.Tensor[], ev: Evaluation) => {
    result = updateBestRows(result, rows, ctx.batchSize, xs, ev);
    if (restart === 0) trace.push(widen(ev.loss, rows, ctx.batchSize));
    else ev.loss.dispose();
  };
  try {
    const clean = ctx.modalities.map((m) => m.x0);
    const all = Array.from({ length: ctx.batchSize }, (_, i) => i);
    if (ctx.modalities.length === 0 || randomStart || earlyStop) {
      const ev = evaluate(ctx, clean, false);
      record(0, all, clean, ev);
      releaseEvaluation(ev);
    }
    if (ctx.modalities.length === 0) return await finishAttack(ctx, result ?? unreachable(), trace);
    const firstCheck = Math.max(Math.floor(0.22 * steps), 1);
    const shrink = Math.max(Math.floor(0.03 * steps), 1);
    const minCheck = Math.max(Math.floor(0.06 * steps), 1);
    for (let restart = 0; restart < restarts; restart++) {
      let rows = earlyStop && result ? await openRows(result) : all;
      if (rows.length === 0) break;
      let sub = restrictContext(ctx, rows);
      let n = sub.batchSize;
      let xs = randomStart
        ? sampleStart(sub, ctx.rng.fork(`start:${restart}`).int(2 ** 31))
        : sub.modalities.map((m) => tf.clone(m.x0));
      let ev = evaluate(sub, xs, true);
      let grads = ev.grads;
      ev.grads = [];
      let objectiveBest = tf.clone(ev.objective);
      let xsBest = xs.map((x) => tf.clone(x));
      let gradsBest = grads.map((g) => tf.clone(g));
      let stepSize = tf.fill([n], initialStepSize);
      let xsPrevious = xs.map((x) => tf.clone(x));
      let reducedLastCheck = tf.ones([n], "bool");
      let objectiveBestLastCheck = tf.clone(objectiveBest);
      const history = [tf.clone(ev.objective)];
      record(restart, rows, xs, ev);
      releaseEvaluation(ev);
      let counter = 0;
      let checkEvery = firstCheck;
      try {
        for (let i = 0; i < steps; i++) {
          const a = i > 0 ? momentum : 1;
          const next = tf.tidy(() => {
            const directions = grads.map((g) => sub.norm.direction(g));
            const moved = step(sub, xs, directions, stepSize);
            return sub.modalities.map((m, k) => {
              const x = at(xs, k);
              const z = project(sub, m, at(moved, k));
              const mixed = tf.add(
                tf.add(x, tf.mul(tf.sub(z, x), a)),
                tf.mul(tf.sub(x, at(xsPrevious, k)), 1 - a),
              );
              return project(sub, m, mixed);
            });
          });
          xsPrevious = swap(xsPrevious, xs);
          xs = next;
          ev = evaluate(sub, xs, true);
          grads = swap(grads, ev.grads);
          ev.grads = [];
          history.push(tf.clone(ev.objective));
          const improved = tf.tidy(() => tf.greater(ev.objective, objectiveBest));
          const pick = <T extends tf.Tensor>(cond: tf.Tensor, a: T, b: T): T =>
            tf.where(tf.reshape(cond, [-1, ...a.shape.slice(1).map(() => 1)]), a, b);
          xsBest = swap(xsBest, tf.tidy(() => xs.map((x, k) => pick(improved, x, xsBest[k] ?? x))));
          gradsBest = swap(
            gradsBest,
            tf.tidy(() => grads.map((g, k) => pick(improved, g, gradsBest[k] ?? g))),
          );
          objectiveBest = swap(objectiveBest, tf.tidy(() => tf.maximum(ev.objective, objectiveBest)));
          improved.dispose();
          record(restart, rows, xs, ev);
          const success = earlyStop && i < steps - 1 ? await ev.success.data() : null;
          releaseEvaluation(ev);
          if (success && success.some((s) => s !== 0)) {
            // Fooled samples leave the run; the others' state is gathered unchanged.
            const keep = Array.from(success).flatMap((s, k) => (s ? [] : [k]));
            if (keep.length === 0) break;
            const index = tf.tensor1d(keep, "int32");
            const rowsOf = <T extends tf.Tensor>(ts: T[]) => ts.map((t) => keepRows(t, index));
            xs = rowsOf(xs);
            grads = rowsOf(grads);
            xsBest = rowsOf(xsBest);
            gradsBest = rowsOf(gradsBest);
            xsPrevious = rowsOf(xsPrevious);
            history.splice(0, history.length, ...rowsOf(history));
            objectiveBest = keepRows(objectiveBest, index);
            stepSize = keepRows(stepSize, index);
            reducedLastCheck = keepRows(reducedLastCheck, index);
            objectiveBestLastCheck = keepRows(objectiveBestLastCheck, index);
            index.dispose();
            rows = keep.map((k) => at(rows, k));
            sub.dispose();
            sub = restrictContext(ctx, rows);
            n = sub.batchSize;
          }
          counter += 1;
          if (counter === checkEvery) {
            const window = history.slice(-checkEvery - 1);
            const reduce = tf.tidy(() => {
              let increases = tf.zeros([n]);
              for (let t = 1; t < window.length; t++) {
                increases = tf.add(
                  increases,
                  tf.cast(tf.greater(at(window, t), at(window, t - 1)), "float32"),
                );
              }
              const oscillating = tf.lessEqual(increases, checkEvery * rho);
              const stalled = tf.logicalAnd(
                tf.logicalNot(reducedLastCheck),
                tf.greaterEqual(objectiveBestLastCheck, objectiveBest),
              );
              return tf.logicalOr(oscillating, stalled);
            });
            stepSize = swap(stepSize, tf.tidy(() => pick(reduce, tf.div(stepSize, 2), stepSize)));
            xs = swap(xs, tf.tidy(() => xs.map((x, k) => pick(reduce, xsBest[k] ?? x, x))));
            grads = swap(grads, tf.tidy(() => grads.map((g, k) => pick(reduce, gradsBest[k] ?? g, g))));
            reducedLastCheck = swap(reducedLastCheck, reduce);
            objectiveBestLastCheck = swap(objectiveBestLastCheck, tf.clone(objectiveBest));
            tf.dispose(history.splice(0, history.length - 1));
            counter = 0;
            checkEvery = Math.max(checkEvery - shrink, minCheck);
          }
        }
      } finally {
        tf.dispose([
          xs,
          grads,
          xsBest,
          gradsBest,
          objectiveBest,
          stepSize,
          xsPrevious,
          reducedLastCheck,
          objectiveBestLastCheck,
          history,
        ]);
        sub.dispose();
      }
    }
    const done = await finishAttack(ctx, result ?? unreachable(), trace);
    result = null;
    return done;
  } catch (error) {
    disposeBest(result);
    tf.dispose(trace);
    throw error;
  } finally {
    ctx.dispose();
  }
}

function unreachable(): never {
  throw new Error("Cannot run apgd: no point was evaluated");
}
