/**
 * Square: AutoAttack's score-based (gradient-free) L∞ attack, for frames and waveforms.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import type { Rng } from "../engine/random.ts";
import type { AvBatch } from "../data/batch.ts";
import type { AvModel } from "../models/types.ts";
import {
  type AttackContext,
  checkInteger,
  checkNumber,
  createContext,
  type ModalityState,
  restrictContext,
} from "./_context.ts";
import {
  type Best,
  disposeBest,
  evaluate,
  finishAttack,
  openRows,
  project,
  releaseEvaluation,
  updateBest,
  updateBestRows,
} from "./_gradient_attack.ts";
import { at, perSampleSum, toBatchShape } from "./_reduce.ts";
import type { AttackResult, CommonAttackOptions } from "./types.ts";

/** Options of {@linkcode square}. */
export interface SquareOptions extends CommonAttackOptions {
  /** Queries per sample: forward passes, the random start included (AutoAttack's `n_queries`). @default 5000 */
  queries?: number;
  /** p_init: the share of a modality's positions the first squares cover (AutoAttack: 0.8). @default 0.8 */
  initialShare?: number;
}

/** Defaults of {@linkcode SquareOptions} (the loss too: Square climbs the margin), the values the cache hashes. */
export const SQUARE_DEFAULTS = Object.freeze(
  {
    queries: 5000,
    initialShare: 0.8,
    loss: "margin",
  } satisfies Required<Omit<SquareOptions, "budget" | "target" | "seed">>,
);

/** The p-schedule of Andriushchenko et al.: p_init halves at fixed fractions of the query budget. */
const SCHEDULE: readonly (readonly [number, number])[] = [
  [10, 1],
  [50, 2],
  [200, 4],
  [500, 8],
  [1000, 16],
  [2000, 32],
  [4000, 64],
  [6000, 128],
  [8000, 256],
  [10000, 512],
];

/** p at query `i` of `queries` (the schedule is written for 10 000 queries and rescaled). */
function shareAt(initialShare: number, i: number, queries: number): number {
  const scaled = Math.floor((i / queries) * 10000);
  const stage = SCHEDULE.find(([limit]) => scaled <= limit);
  return initialShare / (stage ? stage[1] : 1);
}

/** ±1 values, seeded. */
function signs(rng: Rng, shape: number[]): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, () => (rng.chance(0.5) ? 1 : -1)), shape);
}

/** x0 + s · ε (· per-channel scale), projected and clipped. */
function corner(ctx: AttackContext, m: ModalityState, sign: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    let move = tf.mul(sign, m.eps);
    if (m.scale) move = tf.mul(move, m.scale);
    return project(ctx, m, tf.add(m.x0, move));
  });
}

/** The start: vertical stripes on frames (one sign per column and channel), one sign per time step on audio. */
function stripes(ctx: AttackContext, m: ModalityState, rng: Rng): tf.Tensor {
  const [rows = 0, ...rest] = m.x0.shape;
  const shape = m.name === "visual" ? [rows, 1, rest[1] ?? 1, rest[2] ?? 1] : [rows, ...rest];
  const sign = signs(rng, shape);
  const out = corner(ctx, m, sign);
  sign.dispose();
  return out;
}

/** A `[rows, …]` bool mask of one window per row: a square of side `side` on frames, a segment on audio. */
function windowMask(x: tf.Tensor, side: number, rng: Rng, visual: boolean): tf.Tensor {
  const [rows = 0, height = 1, width = 1] = x.shape;
  return tf.tidy(() => {
    const along = (axis: number, length: number) => {
      const shape = x.shape.map((_, k) => (k === axis ? length : 1));
      const start = Float32Array.from({ length: rows }, () => rng.int(length - side + 1));
      const position = tf.reshape(tf.range(0, length), shape);
      const begin = toBatchShape(tf.tensor1d(start), x.rank);
      return tf.logicalAnd(tf.greaterEqual(position, begin), tf.less(position, tf.add(begin, side)));
    };
    const inside = visual ? tf.logicalAnd(along(1, height), along(2, width)) : along(1, height);
    return tf.greater(tf.add(tf.cast(inside, "float32"), tf.zerosLike(x)), 0);
  });
}

/** Sets one random window per row to a random corner value; a window left unchanged gets the opposite signs. */
function propose(ctx: AttackContext, m: ModalityState, x: tf.Tensor, share: number, rng: Rng): tf.Tensor {
  const visual = m.name === "visual";
  const [rows = 0, height = 1, width = 1, channels = 1] = x.shape;
  const area = visual ? height * width : height;
  const longest = Math.max((visual ? Math.min(height, width) : height) - 1, 1);
  const raw = visual ? Math.round(Math.sqrt(share * area)) : Math.round(share * area);
  const side = Math.min(Math.max(raw, 1), longest);
  const mask = windowMask(x, side, rng, visual);
  const sign = signs(rng, visual ? [rows, 1, 1, channels] : [rows, 1]);
  return tf.tidy(() => {
    const first = tf.where(mask, corner(ctx, m, sign), x);
    const unchanged = tf.equal(perSampleSum(tf.abs(tf.sub(first, x))), 0);
    const flip = toBatchShape(tf.sub(1, tf.mul(tf.cast(unchanged, "float32"), 2)), x.rank);
    const out = tf.where(mask, corner(ctx, m, tf.mul(sign, flip)), x);
    tf.dispose([mask, sign]);
    return out;
  });
}

/**
 * Square (Andriushchenko, Croce, Flammarion & Hein, ECCV 2020, https://arxiv.org/abs/1912.00049), the
 * score-based member of AutoAttack: a random search that only reads the model's outputs, so obfuscated
 * gradients cannot stop it. L∞ only: each modality starts at a corner of its ε-ball (vertical stripes of
 * ±ε on frames `[batch, H, W, C]`, ±ε per time step on waveforms `[batch, samples]`); each query then sets
 * one random square of frames (side √(p·H·W), one sign per channel) or one window of the waveform
 * (p·samples long) to x0 ± ε and keeps it where the loss (the margin by default) improves. The share p
 * follows the paper's schedule from `initialShare`. Attacked modalities take turns, one query each; a
 * sample stops once adversarial. Samples the model already misclassifies are not attacked.
 *
 * Differences from the reference: a square that would leave the input unchanged takes the opposite signs
 * instead of being drawn again; the loss trace keeps at most ~100 rows (the best loss so far).
 *
 * @param model The model (eval mode is used); only its outputs are read.
 * @param batch Clean inputs and int32 labels; not disposed.
 * @param options Budget (required, `norm: "linf"`), queries, p_init, targeting, loss, seed.
 * @returns Adversarial inputs (owned by the caller) and per-sample success; `gradientCalls` is 0.
 * @throws {RangeError} If the norm is not L∞, an option is out of range or inputs lie outside the bounds.
 * @throws {TypeError} If the batch has the wrong shapes.
 *
 * @example Square finds the worst corner of a linear model
 * ```ts
 * import assert from "node:assert/strict";
 * import { useBackend } from "../engine/mod.ts";
 * import { linearBatch, linearModel } from "../models/toy_models.ts";
 * await useBackend("cpu");
 * const model = linearModel({ seed: 1 });
 * const batch = linearBatch(model, { seed: 2 });
 * const result = await square(model, batch, { budget: { norm: "linf", audio: 0.5, visual: 0 }, queries: 200 });
 * assert.equal(result.gradientCalls, 0);
 * assert.equal(result.success.length, 4);
 * ```
 */
export async function square(model: AvModel, batch: AvBatch, options: SquareOptions): Promise<AttackResult> {
  const { queries, initialShare, loss } = { ...SQUARE_DEFAULTS, ...options };
  checkInteger("square", "queries", queries, 1);
  checkNumber("square", "initialShare", initialShare, 1e-6, 1);
  if (options?.budget?.norm !== "linf") {
    throw new RangeError(
      `Cannot run square: budget.norm must be 'linf' (the L2 variant is not implemented), current value is '${options?.budget?.norm}'`,
    );
  }
  const ctx = await createContext("square", model, batch, { ...options, loss });
  const rng = ctx.rng.fork("square");
  const n = ctx.batchSize;
  const trace: tf.Tensor[] = [];
  let best: Best | null = null;
  try {
    const clean = ctx.modalities.map((m) => m.x0);
    const cleanEv = evaluate(ctx, clean, false);
    trace.push(tf.clone(cleanEv.loss));
    if (ctx.modalities.length === 0) {
      best = updateBest(null, clean, cleanEv);
    } else {
      const start = ctx.modalities.map((m) => stripes(ctx, m, rng));
      const startEv = evaluate(ctx, start, false);
      const started = updateBest(null, start, startEv);
      best = updateBest(started, clean, cleanEv, "adversarialOnly");
      trace.push(tf.clone(best.loss));
      releaseEvaluation(startEv);
      tf.dispose([...start, startEv.loss]);
    }
    releaseEvaluation(cleanEv);
    cleanEv.loss.dispose();
    const traceEvery = Math.max(1, Math.floor(queries / 100));
    for (let i = 1; i < queries && ctx.modalities.length > 0; i++) {
      const rows = await openRows(best);
      if (rows.length === 0) break;
      const sub = restrictContext(ctx, rows);
      const index = tf.tensor1d(rows, "int32");
      const current = best.inputs.map((x) => tf.gather(x, index));
      index.dispose();
      const turn = i % ctx.modalities.length;
      const share = shareAt(initialShare, i, queries);
      const next = current.map((
        x,
        k,
      ) => (k === turn ? propose(sub, at(sub.modalities, k), x, share, rng) : x));
      const ev = evaluate(sub, next, false);
      best = updateBestRows(best, rows, n, next, ev);
      releaseEvaluation(ev);
      tf.dispose([ev.loss, ...current, at(next, turn)]);
      sub.dispose();
      if (i % traceEvery === 0) trace.push(tf.clone(best.loss));
    }
    const result = await finishAttack(ctx, best, trace);
    best = null;
    return result;
  } catch (error) {
    disposeBest(best);
    tf.dispose(trace);
    throw error;
  } finally {
    ctx.dispose();
  }
}
