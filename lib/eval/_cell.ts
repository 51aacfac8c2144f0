/**
 * Evaluates one sweep cell (model × attack × budget) over a list of batches.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import type { AvBatch } from "../data/batch.ts";
import type { AvModel, AvOutput } from "../models/types.ts";
import { attackInfo, type AttackSpec, runAttack, withSeed } from "../attacks/registry.ts";
import type { Budget } from "../attacks/types.ts";
import { measureAttack, type SampleMetrics } from "./measure.ts";

/** Everything measured in one cell, over all its samples. */
export interface CellOutcome {
  metrics: SampleMetrics;
  /** Per sample: adversarial by the attack's own criterion. */
  success: boolean[];
  lossStart: number[] | null;
  lossFinal: number[] | null;
  gradientEvaluations: number;
  ensembleAccuracies: number[] | null;
  seconds: number;
}

function concat<T>(parts: T[][]): T[] {
  return parts.flat();
}

function concatOrNull(parts: (number[] | null)[]): number[] | null {
  return parts.every((p) => p !== null) ? parts.flat() : null;
}

/** Joins per-batch metrics into one. */
export function joinMetrics(parts: SampleMetrics[]): SampleMetrics {
  const range = (m: "audio" | "visual"): [number, number] => [
    Math.min(...parts.map((p) => p.range[m][0])),
    Math.max(...parts.map((p) => p.range[m][1])),
  ];
  return {
    cleanCorrect: concat(parts.map((p) => p.cleanCorrect)),
    adversarialCorrect: concat(parts.map((p) => p.adversarialCorrect)),
    audioLinf: concat(parts.map((p) => p.audioLinf)),
    audioL2: concat(parts.map((p) => p.audioL2)),
    audioSnrDb: concat(parts.map((p) => p.audioSnrDb)),
    visualLinf: concat(parts.map((p) => p.visualLinf)),
    visualL2: concat(parts.map((p) => p.visualL2)),
    visualLinfPixel: concat(parts.map((p) => p.visualLinfPixel)),
    cosineAudio: concatOrNull(parts.map((p) => p.cosineAudio)),
    cosineVisual: concatOrNull(parts.map((p) => p.cosineVisual)),
    cosineAvClean: concatOrNull(parts.map((p) => p.cosineAvClean)),
    cosineAvAdversarial: concatOrNull(parts.map((p) => p.cosineAvAdversarial)),
    range: { audio: range("audio"), visual: range("visual") },
    nonFinite: parts.reduce((sum, p) => sum + p.nonFinite, 0),
  };
}

/** Where a cell gets its batches, and the model's clean output on each. */
export interface CellInputs {
  /** Batches `0 … batches − 1`. */
  batches: number;
  /** Batch `index`; the caller owns it and frees it in `releaseBatch`. */
  getBatch(index: number): Promise<AvBatch>;
  releaseBatch(batch: AvBatch): void;
  /** The model's output on clean batch `index` (owned by the caller, shared by the model's cells). */
  cleanOutput(index: number, batch: AvBatch): AvOutput;
  /** The attack seed of batch `index`. */
  seedOf(index: number): number;
}

/** Runs the cell's attack on every batch and measures the outcome. */
export async function evaluateCell(
  model: AvModel,
  attack: AttackSpec,
  budget: Budget,
  inputs: CellInputs,
): Promise<CellOutcome> {
  const { batches, getBatch, releaseBatch, cleanOutput, seedOf } = inputs;
  const composite = attackInfo(attack.attack)?.composite ?? false;
  const start = performance.now();
  const metrics: SampleMetrics[] = [];
  const success: boolean[][] = [];
  const lossStart: number[][] = [];
  const lossFinal: number[][] = [];
  let gradientEvaluations = 0;
  let ensembleCorrect: number[] | null = null;
  for (let index = 0; index < batches; index++) {
    const batch = await getBatch(index);
    const size = batch.labels.shape[0];
    try {
      const adversarial = await runAttack(model, batch, withSeed(attack, seedOf(index)), budget);
      success.push(adversarial.success);
      gradientEvaluations += adversarial.sampleGradients;
      if (!composite) {
        lossStart.push(adversarial.lossTrace[0] ?? []);
        lossFinal.push(adversarial.finalLoss);
      }
      if (adversarial.steps) {
        const correct = adversarial.steps.map((s) => Math.round(s.robustAccuracy * size));
        ensembleCorrect = ensembleCorrect ? ensembleCorrect.map((c, i) => c + (correct[i] ?? 0)) : correct;
      }
      try {
        metrics.push(
          await measureAttack(model, batch, adversarial, budget, { clean: cleanOutput(index, batch) }),
        );
      } finally {
        tf.dispose([adversarial.audio, adversarial.visual]);
      }
    } finally {
      releaseBatch(batch);
    }
  }
  const joined = joinMetrics(metrics);
  const n = joined.cleanCorrect.length;
  return {
    metrics: joined,
    success: concat(success),
    lossStart: composite ? null : concat(lossStart),
    lossFinal: composite ? null : concat(lossFinal),
    gradientEvaluations,
    ensembleAccuracies: ensembleCorrect ? ensembleCorrect.map((c) => c / Math.max(n, 1)) : null,
    seconds: (performance.now() - start) / 1000,
  };
}
