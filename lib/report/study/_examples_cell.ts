/**
 * The `examples` cell of the `attack` stage: on one dataset, one model's first correctly classified test
 * samples, attacked at each of the plan's settings, kept as data (inputs packed as base64 floats, the
 * predictions with their softmax confidences) for the page, the notebooks and the files to render. A
 * module of its own so the cell key holds the closure of this code only.
 *
 * @module
 */
import { runAttack, specLabel, withSeed } from "../../attacks/mod.ts";
import type { AttackSpec, Budget } from "../../attacks/mod.ts";
import { type AvBatch, type AvDataset, disposeBatch, loadBatch } from "../../data/mod.ts";
import { tf } from "../../engine/tf.ts";
import { type AvModel, disposeOutput } from "../../models/mod.ts";
import { packFloats } from "../examples/packed_floats.ts";
import type {
  ExampleAttack,
  ExamplePrediction,
  ExampleSample,
  ExampleSet,
  ExampleSetting,
} from "../examples/types.ts";

/**
 * Entry modules of an examples cell's code, for `context.memo(…, { sources })`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.match(EXAMPLES_CELL_SOURCES[0] ?? "", /_examples_cell\.ts$/);
 * ```
 */
export const EXAMPLES_CELL_SOURCES: readonly string[] = [import.meta.url];

/** What an examples cell needs besides the model and the dataset. */
export interface ExamplesCellOptions {
  /** Dataset name. */
  name: string;
  /** Model id. */
  model: string;
  /** Samples wanted. */
  samples: number;
  /** The attack. */
  attack: AttackSpec;
  /** The settings, in order. */
  settings: { setting: ExampleSetting; budget: Budget }[];
  /** Seed of the attack. */
  seed: number;
  /** Samples per forward pass while looking for correctly classified ones. */
  batchSize: number;
}

/** Softmax rows of the model's logits on the inputs, as plain arrays. */
async function probabilities(
  model: AvModel,
  inputs: { audio: tf.Tensor2D; visual: tf.Tensor4D },
): Promise<number[][]> {
  const output = model.apply(inputs.audio, inputs.visual);
  const softmax = tf.softmax(output.logits);
  const rows = (await softmax.array()) as number[][];
  tf.dispose(softmax);
  disposeOutput(output);
  return rows;
}

function prediction(row: readonly number[], label: number): ExamplePrediction {
  let predicted = 0;
  row.forEach((p, c) => {
    if (p > (row[predicted] as number)) predicted = c;
  });
  return { predicted, confidence: row[predicted] ?? 0, trueConfidence: row[label] ?? 0 };
}

/**
 * The first `wanted` test samples the model classifies correctly, in split order; when there are fewer,
 * the first misclassified ones fill up (their rows say so).
 */
async function pick(
  model: AvModel,
  dataset: AvDataset,
  wanted: number,
  batchSize: number,
): Promise<{ indices: number[]; correct: number }> {
  const split = dataset.splits.test;
  const right: number[] = [], wrong: number[] = [];
  for (let start = 0; start < split.size && right.length < wanted; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, split.size - start) }, (_, i) => start + i);
    const batch = await loadBatch(split, indices, dataset);
    try {
      const rows = await probabilities(model, batch);
      rows.forEach((row, i) => {
        const index = indices[i] as number;
        (prediction(row, split.labels[index] as number).predicted === split.labels[index] ? right : wrong)
          .push(
            index,
          );
      });
    } finally {
      disposeBatch(batch);
    }
  }
  const chosen = right.slice(0, wanted);
  return { indices: [...chosen, ...wrong.slice(0, wanted - chosen.length)], correct: chosen.length };
}

/**
 * Runs one examples cell.
 *
 * @param model The model (not disposed).
 * @param dataset Its dataset (the test split is read).
 * @param options Names, samples, attack, settings, seed, batch size.
 * @returns The examples of the dataset.
 *
 * @example Inside the attack stage
 * ```ts ignore
 * const set = await examplesCell(model, dataset, { name, model: "av-concat", samples: 3, attack, settings, seed, batchSize });
 * ```
 */
export async function examplesCell(
  model: AvModel,
  dataset: AvDataset,
  options: ExamplesCellOptions,
): Promise<ExampleSet> {
  const { name, samples, attack, settings, seed, batchSize } = options;
  const { indices, correct } = await pick(model, dataset, samples, batchSize);
  const selection = correct === indices.length
    ? `The first ${indices.length} test samples the model classifies correctly`
    : `The first ${correct} test samples the model classifies correctly, then the first ${
      indices.length - correct
    } it misclassifies (too few correct ones)`;
  const base = {
    dataset: name,
    model: options.model,
    attack: specLabel(attack),
    classes: [...dataset.classes],
    sampleRate: dataset.sampleRate,
    frameShape: [...dataset.imageShape] as [number, number, number],
    visualStd: [...model.visualNormalization.std],
    selection,
  };
  if (indices.length === 0) return { ...base, samples: [] };
  const split = dataset.splits.test;
  const batch: AvBatch = await loadBatch(split, indices, dataset);
  try {
    const labels = indices.map((i) => split.labels[i] as number);
    const audio = await batch.audio.array();
    const visual = Float32Array.from(await batch.visual.data());
    const frameSize = visual.length / indices.length;
    const cleanRows = await probabilities(model, batch);
    const attacked: ExampleAttack[][] = indices.map(() => []);
    for (const { setting, budget } of settings) {
      const result = await runAttack(model, batch, withSeed(attack, seed), budget);
      try {
        const rows = await probabilities(model, result);
        const advAudio = budget.audio > 0 ? await result.audio.array() : null;
        const advVisual = budget.visual > 0 ? await result.visual.data() : null;
        indices.forEach((_, i) => {
          (attacked[i] as ExampleAttack[]).push({
            setting,
            budget,
            ...prediction(rows[i] ?? [], labels[i] as number),
            audio: advAudio ? packFloats(advAudio[i] ?? []) : null,
            frame: advVisual ? packFloats(advVisual.subarray(i * frameSize, (i + 1) * frameSize)) : null,
          });
        });
      } finally {
        tf.dispose([result.audio, result.visual]);
      }
    }
    const sampleIds = await Promise.all(indices.map(async (i) => (await split.sample(i)).id));
    const out: ExampleSample[] = indices.map((index, i) => ({
      id: sampleIds[i] ?? String(index),
      index,
      label: labels[i] as number,
      audio: packFloats(audio[i] ?? []),
      frame: packFloats(visual.subarray(i * frameSize, (i + 1) * frameSize)),
      clean: prediction(cleanRows[i] ?? [], labels[i] as number),
      attacks: attacked[i] ?? [],
    }));
    return { ...base, samples: out };
  } finally {
    disposeBatch(batch);
  }
}
