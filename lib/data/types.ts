/**
 * Types shared by every dataset, built-in or user-supplied.
 *
 * @module
 */
import type { Rng } from "../engine/random.ts";

/** The three splits of every dataset. */
export type SplitName = "train" | "val" | "test";

/** A box in a frame, in [0, 1] image coordinates: left, top, right, bottom. */
export type Box = readonly [x0: number, y0: number, x1: number, y1: number];

/** One audio-visual clip, as the models consume it. */
export interface AvSample {
  /** Stable identifier (file or generated id), used in error messages and reports. */
  id: string;
  /** Class index into {@linkcode AvDataset.classes}. */
  label: number;
  /** Mono waveform, `audioLength` samples in [-1, 1]. */
  audio: Float32Array;
  /** One frame, row-major `[height, width, channels]` in [0, 1]. */
  visual: Float32Array;
  /** Box of the sounding object in the frame, where known (ground truth for localization). */
  box?: Box;
}

/** Options when reading a sample. */
export interface SampleOptions {
  /** Apply training-time sampling and augmentation (random frame, random gain, …). @default false */
  augment?: boolean;
  /** Randomness for augmentation; required when `augment` is true. */
  rng?: Rng;
}

/** One split of a dataset: random access to its samples. */
export interface AvSplit {
  /** Number of samples. */
  readonly size: number;
  /** Labels of all samples, in order (cheap; used for class balance and stratification). */
  readonly labels: Int32Array;
  /** Reads sample `index` (0 ≤ index < size). */
  sample(index: number, options?: SampleOptions): Promise<AvSample>;
}

/** A clip a loader skipped under `--skip-broken`, with the reason. */
export interface SkippedClip {
  /** The file or CSV row that was skipped. */
  path: string;
  /** What was wrong with it. */
  reason: string;
}

/** An audio-visual classification dataset. */
export interface AvDataset {
  /** Short name, e.g. `av-digits`. */
  name: string;
  /** Class names; index = label. */
  classes: string[];
  /** Audio sample rate in Hz. */
  sampleRate: number;
  /** Samples per waveform. */
  audioLength: number;
  /** Frame shape `[height, width, channels]`. */
  imageShape: readonly [number, number, number];
  /** The splits. */
  splits: Record<SplitName, AvSplit>;
  /** Content hash of everything that determines the samples (hex). */
  hash: string;
  /** Clips skipped while loading (only with `skipBroken`). */
  skipped: SkippedClip[];
}

/** A progress report from a loader. */
export type LoaderProgress = (progress: { stage: string; done: number; total: number }) => void;
