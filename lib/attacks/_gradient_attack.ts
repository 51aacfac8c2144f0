/**
 * The one gradient-attack loop: random start → gradient → normalise → step → project per modality →
 * clip, with the best point per sample kept centrally. FGSM, PGD and MIM are configurations of
 * {@linkcode runGradientAttack}; APGD reuses the building blocks with its own schedule.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import type { AvBatch } from "../data/batch.ts";
import type { AvModel } from "../models/types.ts";
import { isAdversarial } from "./criteria.ts";
import { type AttackContext, createContext, type ModalityState, restrictContext } from "./_context.ts";
import { at } from "./_reduce.ts";
import { type Best, disposeBest, scatterSource, updateBest, updateBestRows } from "./_best.ts";

export { type Best, type Candidate, disposeBest, updateBest, updateBestRows } from "./_best.ts";
import type { AttackResult, CommonAttackOptions } from "./types.ts";
import type { Evaluation } from "./_evaluation.ts";

export type { Evaluation };

function fullInputs(ctx: AttackContext, xs: readonly tf.Tensor[]): [tf.Tensor2D, tf.Tensor4D] {
  let audio: tf.Tensor = ctx.batch.audio;
  let visual: tf.Tensor = ctx.batch.visual;
  ctx.modalities.forEach((m, i) => {
    const x = xs[i];
    if (!x) return;
    if (m.name === "audio") audio = x;
    else visual = x;
  });
  return [tf.reshape(audio, ctx.batch.audio.shape), tf.reshape(visual, ctx.batch.visual.shape)];
}

/** Evaluates loss, success and (optionally) gradients with one forward(+backward) pass. */
export function evaluate(ctx: AttackContext, xs: readonly tf.Tensor[], withGradient: boolean): Evaluation {
  return tf.tidy(() => {
    const forward = (...current: tf.Tensor[]): tf.Tensor => {
      const [audio, visual] = fullInputs(ctx, current);
      const output = ctx.model.apply(audio, visual, { training: false, encoded: ctx.encoded });
      const loss = ctx.loss(output, ctx.lossLabels);
      return tf.concat([tf.expandDims(loss, 1), output.logits], 1);
    };
    let value: tf.Tensor;
    let grads: tf.Tensor[] = [];
    if (withGradient && xs.length > 0) {
      const n = ctx.batchSize;
      const dy = tf.concat([tf.fill([n, 1], ctx.direction), tf.zeros([n, ctx.numClasses])], 1);
      const result = tf.valueAndGrads(forward)([...xs], dy);
      value = result.value;
      grads = result.grads.map((g, i) => {
        const scale = ctx.modalities[i]?.scale;
        return scale ? tf.mul(g, scale) : g;
      });
      ctx.counters.calls += 1;
      ctx.counters.samples += ctx.batchSize;
    } else {
      value = forward(...xs);
    }
    const loss = tf.reshape(tf.slice(value, [0, 0], [-1, 1]), [-1]);
    const logits = tf.reshape<tf.Rank.R2>(tf.slice(value, [0, 1], [-1, -1]), [ctx.batchSize, ctx.numClasses]);
    return {
      loss,
      objective: ctx.direction === 1 ? loss : tf.neg(loss),
      success: isAdversarial(logits, ctx.batch.labels, ctx.targets),
      prediction: tf.cast(tf.argMax(logits, 1), "int32"),
      grads,
    };
  });
}

/** Frees an evaluation's tensors except the loss (kept for the trace). */
export function releaseEvaluation(ev: Evaluation): void {
  tf.dispose([ev.objective === ev.loss ? [] : ev.objective, ev.success, ev.prediction, ev.grads].flat());
}

/** Projects `x` onto the modality's ball around its clean input, then clips to the valid range. */
export function project(ctx: AttackContext, m: ModalityState, x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.clipByValue(ctx.norm.project(x, m.x0, m.eps, m.scale), m.low, m.high));
}

/**
 * Moves each modality by `stepSize`·ε along its direction (budget units; `stepSize` relative to ε,
 * a number or a per-sample `[batch]` tensor), without projecting.
 */
export function step(
  ctx: AttackContext,
  xs: readonly tf.Tensor[],
  directions: readonly tf.Tensor[],
  stepSize: number | tf.Tensor,
): tf.Tensor[] {
  return tf.tidy(() =>
    ctx.modalities.map((m, i) => {
      const x = at(xs, i);
      let move = tf.mul(at(directions, i), m.eps);
      if (m.scale) move = tf.mul(move, m.scale);
      const size = typeof stepSize === "number"
        ? tf.scalar(stepSize)
        : tf.reshape(stepSize, [-1, ...x.shape.slice(1).map(() => 1)]);
      return tf.add(x, tf.mul(move, size));
    })
  );
}

/** A random start in each modality's ball, clipped to its range. */
export function randomStart(ctx: AttackContext, seed: number): tf.Tensor[] {
  return ctx.modalities.map((m, i) =>
    tf.tidy(() => {
      let delta = ctx.norm.sample(m.x0.shape, m.eps, seed + 7919 * i);
      if (m.scale) delta = tf.mul(delta, m.scale);
      return project(ctx, m, tf.add(m.x0, delta));
    })
  );
}

async function readRows(rows: tf.Tensor[]): Promise<number[][]> {
  if (rows.length === 0) return [];
  const stacked = tf.stack(rows);
  const values = await stacked.data();
  stacked.dispose();
  const width = rows[0]?.shape[0] ?? 0;
  return rows.map((_, r) => Array.from(values.subarray(r * width, (r + 1) * width)));
}

/**
 * Builds the result from the best point (non-attacked modalities come back as bit-identical clones)
 * and frees `best` and the trace.
 */
export async function finishAttack(
  ctx: AttackContext,
  best: Best,
  trace: tf.Tensor[],
): Promise<AttackResult> {
  const audio = tf.tidy(() => tf.clone(fullInputs(ctx, best.inputs)[0]));
  const visual = tf.tidy(() => tf.clone(fullInputs(ctx, best.inputs)[1]));
  const [success, predictions, finalLoss] = await Promise.all([
    best.success.data(),
    best.prediction.data(),
    best.loss.data(),
  ]);
  const lossTrace = await readRows(trace);
  tf.dispose(trace);
  disposeBest(best);
  return {
    audio,
    visual,
    success: Array.from(success, (s) => s !== 0),
    predictions: Array.from(predictions),
    targets: ctx.targetList,
    lossTrace,
    finalLoss: Array.from(finalLoss),
    gradientCalls: ctx.counters.calls,
    sampleGradients: ctx.counters.samples,
  };
}

/** Produces a step direction per attacked modality from the gradients (budget units). */
export interface Stepper {
  next(grads: readonly tf.Tensor[]): tf.Tensor[];
  /** Keeps only these rows (indices into the current rows) of any per-sample state. */
  select?(rows: readonly number[]): void;
  dispose(): void;
}

/** Configuration of {@linkcode runGradientAttack}. */
export interface LoopConfig {
  steps: number;
  relativeStepSize: number;
  randomStart: boolean;
  restarts: number;
  keep: "best" | "last";
  /** With `keep: "best"`: stop attacking a sample once it is adversarial (and skip clean-adversarial ones). */
  earlyStop: boolean;
  createStepper(ctx: AttackContext): Stepper;
  /** Replaces {@linkcode project} (only MIM's as-released mode does). */
  project?(ctx: AttackContext, m: ModalityState, x: tf.Tensor): tf.Tensor;
}

/** Rows of the batch whose best point is not adversarial yet. */
export async function openRows(best: Best): Promise<number[]> {
  const success = await best.success.data();
  return Array.from(success).flatMap((s, i) => (s ? [] : [i]));
}

/** A per-sample vector over `rows` widened to the whole batch, NaN elsewhere (disposes `values`). */
export function widen(values: tf.Tensor, rows: readonly number[], n: number): tf.Tensor {
  if (rows.length === n) return values;
  const wide = tf.tidy(() =>
    tf.gather(tf.concat([values, tf.tensor1d([NaN])]), scatterSource(rows, n, 0, rows.length))
  );
  values.dispose();
  return wide;
}

/** Keeps rows `keep` (indices into the current rows) of each tensor, disposing the inputs. */
function selectRows(xs: tf.Tensor[], keep: readonly number[]): tf.Tensor[] {
  const index = tf.tensor1d([...keep], "int32");
  const out = xs.map((x) => tf.gather(x, index));
  tf.dispose([...xs, index]);
  return out;
}

/** The shared loop behind FGSM, PGD and MIM. */
export async function runGradientAttack(
  attack: string,
  model: AvModel,
  batch: AvBatch,
  options: CommonAttackOptions,
  config: LoopConfig,
): Promise<AttackResult> {
  const ctx = await createContext(attack, model, batch, options);
  const n = ctx.batchSize;
  const all = Array.from({ length: n }, (_, i) => i);
  const stopEarly = config.earlyStop && config.keep === "best";
  const trace: tf.Tensor[] = [];
  let best: Best | null = null;
  let cleanBest: Best | null = null;
  try {
    const clean = ctx.modalities.map((m) => m.x0);
    if (ctx.modalities.length === 0 || config.randomStart || stopEarly) {
      const ev = evaluate(ctx, clean, false);
      cleanBest = updateBest(null, clean, ev);
      if (config.keep === "best") best = updateBest(null, clean, ev);
      trace.push(ev.loss);
      releaseEvaluation(ev);
    }
    const projectOne = config.project ?? project;
    for (let restart = 0; restart < config.restarts && ctx.modalities.length > 0; restart++) {
      let rows = stopEarly && best ? await openRows(best) : all;
      if (rows.length === 0) break;
      let sub = restrictContext(ctx, rows);
      let xs = config.randomStart
        ? randomStart(sub, ctx.rng.fork(`start:${restart}`).int(2 ** 31))
        : sub.modalities.map((m) => tf.clone(m.x0));
      const stepper = config.createStepper(sub);
      try {
        for (let t = 0; t <= config.steps; t++) {
          const last = t === config.steps;
          const ev = evaluate(sub, xs, !last);
          if (cleanBest === null) cleanBest = updateBest(null, xs, ev);
          if (config.keep === "best" || last) best = updateBestRows(best, rows, n, xs, ev);
          if (restart === 0 && !(t === 0 && !config.randomStart && trace.length > 0)) {
            trace.push(widen(ev.loss, rows, n));
          } else ev.loss.dispose();
          const success = stopEarly && !last ? await ev.success.data() : null;
          if (!last) {
            const directions = stepper.next(ev.grads);
            const moved = step(sub, xs, directions, config.relativeStepSize);
            const next = sub.modalities.map((m, i) => projectOne(sub, m, at(moved, i)));
            tf.dispose([...moved, ...directions, ...xs]);
            xs = next;
          }
          releaseEvaluation(ev);
          if (success && success.some((s) => s !== 0)) {
            const keep = Array.from(success).flatMap((s, k) => (s ? [] : [k]));
            if (keep.length === 0) break;
            xs = selectRows(xs, keep);
            stepper.select?.(keep);
            rows = keep.map((k) => at(rows, k));
            sub.dispose();
            sub = restrictContext(ctx, rows);
          }
        }
      } finally {
        stepper.dispose();
        tf.dispose(xs);
        sub.dispose();
      }
    }
    // The clean point competes too: fully for "best"; for "last" only where it is adversarial and the
    // final iterate is not, so a clean misclassification is never undone.
    const cleanPoint = cleanBest ?? unreachable(attack);
    best = updateBest(
      best,
      cleanPoint.inputs,
      cleanPoint,
      config.keep === "best" ? "lexicographic" : "adversarialOnly",
    );
    const result = await finishAttack(ctx, best, trace);
    best = null;
    return result;
  } catch (error) {
    disposeBest(best);
    tf.dispose(trace);
    throw error;
  } finally {
    disposeBest(cleanBest);
    ctx.dispose();
  }
}

function unreachable(attack: string): never {
  throw new Error(`Cannot run ${attack}: no point was evaluated`);
}
