/**
 * Types shared by the built-in dataset generators and the cache.
 *
 * @module
 */
import type { SplitName } from "../types.ts";

/** Dataset sizes: `smoke` builds in seconds for tests, `default` is big enough to train on. */
export type BuiltinSize = "smoke" | "default";

/** Sample counts per split. */
export type SplitCounts = Readonly<Record<SplitName, number>>;

/** Progress of a long build: `done` of `total` units of `stage`. */
export interface BuiltinProgress {
  /** What is running, e.g. `speech bank`, `generate train`, `write cache`. */
  stage: string;
  /** Units finished. */
  done: number;
  /** Units in the stage. */
  total: number;
}

/** Options every built-in generator takes (each adds its own). */
export interface BuiltinBuildOptions<Degradation> {
  /** Preset size; sets the split counts (and any asset bank sized by it). @default "default" */
  size?: BuiltinSize;
  /** Seed of every random choice. @default 0 */
  seed?: number;
  /** Degradation config (complete; see the dataset's `degradation` constant). @default the dataset's */
  degradation?: Degradation;
  /** Overrides the preset's split counts. */
  counts?: SplitCounts;
  /** Progress callback. */
  onProgress?: (progress: BuiltinProgress) => void;
}

/**
 * Per-sample generation conditions, for oracle analyses (e.g. accuracy on clips whose visual stream is
 * clean). Mode codes: 0 clean, 1 hard, 2 absent, 3 misleading.
 */
export interface SampleConditions {
  /** Audio mode code per sample. */
  audioMode: Uint8Array;
  /** Visual mode code per sample. */
  visualMode: Uint8Array;
  /** Art-style index per sample (into the dataset's `styles`), where the dataset has styles. */
  style?: Uint8Array;
}

/** The arrays of one generated split. */
export interface GeneratedSplit {
  /** `size × audioLength` waveforms in [-1, 1]. */
  audio: Float32Array;
  /** `size × height × width × channels` frames in [0, 1]. */
  visual: Float32Array;
  /** `size` class indices. */
  labels: Int32Array;
  /** `size × 4` boxes `[x0, y0, x1, y1]` in [0, 1]; a row of -1 means "not visible". */
  boxes?: Float32Array;
  /** How each sample was degraded. */
  conditions: SampleConditions;
}

/** Everything a generator produces. */
export interface GeneratedDataset {
  /** Class names; index = label. */
  classes: string[];
  /** Audio sample rate in Hz. */
  sampleRate: number;
  /** Samples per waveform. */
  audioLength: number;
  /** Frame shape `[height, width, channels]`. */
  imageShape: readonly [number, number, number];
  /** Art styles, for datasets that draw in several. */
  styles?: string[];
  /** The three splits. */
  splits: Record<SplitName, GeneratedSplit>;
}

/** Balanced labels for `count` samples of `classes` classes, shuffled. */
export function balancedLabels(
  count: number,
  classes: number,
  shuffle: (items: number[]) => number[],
): Int32Array {
  return Int32Array.from(shuffle(Array.from({ length: count }, (_, i) => i % classes)));
}
