/**
 * Attack throughput, for `deno task bench`.
 *
 * @module
 */
import { tf } from "../../lib/engine/tf.ts";
import type { AvBatch } from "../../lib/data/batch.ts";
import type { AvModel } from "../../lib/models/types.ts";
import { type AttackSpec, runAttack } from "../../lib/attacks/registry.ts";
import type { Budget } from "../../lib/attacks/types.ts";

/** Options of {@linkcode measureThroughput}. */
export interface ThroughputOptions {
  /**
   * The attack to time. Early stop is off by default so the timing does not depend on how easily the
   * model is fooled.
   * @default PGD-10 (`{ attack: "pgd", options: { steps: 10, earlyStop: false } }`)
   */
  spec?: AttackSpec;
  /** The budget. @default L∞, ε_a = ε_v = 0.006 in normalised visual units (the paper's joint setting) */
  budget?: Budget;
  /** Timed runs (after one untimed warm-up run). @default 3 */
  repeats?: number;
}

/** What {@linkcode measureThroughput} measured. */
export interface Throughput {
  /** Samples attacked per second (median run). */
  samplesPerSecond: number;
  /** Seconds per run, each timed run. */
  seconds: number[];
  /** Gradient evaluations per run. */
  gradientCalls: number;
  /** Batch size, backend. */
  batchSize: number;
  backend: string;
}

/**
 * Times an attack (PGD-10 by default) on one batch: one warm-up run, then `repeats` timed runs; reports
 * the median. Wall time includes reading the results back, as a sweep would.
 *
 * @param model The model.
 * @param batch The batch to attack; not disposed.
 * @param options Attack, budget and repeats.
 * @returns Samples per second and the raw timings.
 * @throws {RangeError} If `repeats` is not a positive integer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { useBackend } from "../../lib/engine/mod.ts";
 * import { linearModel, linearBatch } from "../../lib/models/toy_models.ts";
 * await useBackend("cpu");
 * const model = linearModel({ seed: 1 });
 * const speed = await measureThroughput(model, linearBatch(model, { seed: 2 }), { repeats: 1 });
 * assert.ok(speed.samplesPerSecond > 0);
 * ```
 */
export async function measureThroughput(
  model: AvModel,
  batch: AvBatch,
  options: ThroughputOptions = {},
): Promise<Throughput> {
  const {
    spec = { attack: "pgd", options: { steps: 10, earlyStop: false } },
    budget = { norm: "linf", audio: 0.006, visual: 0.006, visualUnits: "normalized" },
    repeats = 3,
  } = options;
  if (!Number.isInteger(repeats) || repeats < 1) {
    throw new RangeError(
      `Cannot measure throughput: options.repeats must be a positive integer, current value is ${repeats}`,
    );
  }
  const run = async () => {
    const start = performance.now();
    const result = await runAttack(model, batch, spec, budget);
    const seconds = (performance.now() - start) / 1000;
    tf.dispose([result.audio, result.visual]);
    return { seconds, gradientCalls: result.gradientCalls };
  };
  const warm = await run();
  const seconds: number[] = [];
  for (let i = 0; i < repeats; i++) seconds.push((await run()).seconds);
  const median = [...seconds].sort((a, b) => a - b)[Math.floor(repeats / 2)] ?? NaN;
  const batchSize = batch.labels.shape[0];
  return {
    samplesPerSecond: batchSize / median,
    seconds,
    gradientCalls: warm.gradientCalls,
    batchSize,
    backend: tf.getBackend(),
  };
}
