/**
 * The per-split loop both built-in generators share: balanced shuffled labels, one seeded stream per
 * sample, independent audio and visual modes, their codes, and progress.
 *
 * @module
 */
import type { Rng } from "../../engine/random.ts";
import type { SplitName } from "../types.ts";
import { type BuiltinDegradation, type DegradationMode, drawMode, modeCode } from "./_modes.ts";
import { balancedLabels, type BuiltinProgress, type GeneratedSplit, type SplitCounts } from "./_types.ts";

/** What the shared loop draws for one sample before the generator renders it. */
export interface SampleDraw {
  /** Which split. */
  split: SplitName;
  /** Index in the split. */
  index: number;
  /** The sample's class. */
  label: number;
  /** The sample's own stream (`root.fork("<split>:<index>")`). */
  rng: Rng;
  /** Audio and visual modes, drawn independently. */
  audioMode: DegradationMode;
  visualMode: DegradationMode;
}

/** What a generator supplies to {@linkcode generateSplits}. */
export interface SplitGenerator {
  /** Number of classes. */
  numClasses: number;
  /** Mode mixes per modality. */
  degradation: BuiltinDegradation;
  /** Allocates a split of `labels.length` samples (mode codes are filled in by the loop). */
  allocate(labels: Int32Array): GeneratedSplit;
  /** Renders one sample into `out`. */
  render(out: GeneratedSplit, sample: SampleDraw): void;
  /** Progress callback. */
  onProgress?: ((progress: BuiltinProgress) => void) | undefined;
}

/**
 * Generates the train, val and test splits in that order, sample by sample.
 *
 * @param root The dataset's root stream; labels use `fork("labels:<split>")`, samples `fork("<split>:<i>")`.
 * @param counts Samples per split.
 * @param generator Allocation, rendering, classes, modes and progress.
 * @returns The splits.
 */
export function generateSplits(
  root: Rng,
  counts: SplitCounts,
  generator: SplitGenerator,
): Record<SplitName, GeneratedSplit> {
  const { numClasses, degradation, onProgress } = generator;
  const splits = {} as Record<SplitName, GeneratedSplit>;
  for (const split of ["train", "val", "test"] as const) {
    const n = counts[split];
    const labels = balancedLabels(n, numClasses, (items) => root.fork(`labels:${split}`).shuffle(items));
    const out = generator.allocate(labels);
    for (let index = 0; index < n; index++) {
      const rng = root.fork(`${split}:${index}`);
      const audioMode = drawMode(degradation.audio.modes, rng.fork("audio-mode"));
      const visualMode = drawMode(degradation.visual.modes, rng.fork("visual-mode"));
      generator.render(out, { split, index, label: labels[index] as number, rng, audioMode, visualMode });
      out.conditions.audioMode[index] = modeCode(audioMode);
      out.conditions.visualMode[index] = modeCode(visualMode);
      if ((index + 1) % 100 === 0 || index + 1 === n) {
        onProgress?.({ stage: `generate ${split}`, done: index + 1, total: n });
      }
    }
    splits[split] = out;
  }
  return splits;
}
