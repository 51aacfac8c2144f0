/**
 * The options every clip loader (CSV layout, video folder) shares, their defaults and their checks.
 *
 * @module
 */
import { basename } from "node:path";
import type { ResizeFilter } from "../media/image.ts";
import { type LoaderProgress, positiveInteger } from "./_clip_dataset.ts";
import { checkFractions, DEFAULT_SPLIT_FRACTIONS, type SplitFractions } from "./_split.ts";

/** Options shared by the clip loaders. */
export interface ClipLoaderOptions {
  /** Split fractions, applied per class. @default { train: 0.7, val: 0.15, test: 0.15 } */
  fractions?: SplitFractions;
  /** Seed of the split. @default 0 */
  seed?: number;
  /**
   * Class names in label order; a clip of another class is an unknown label. Without it, the classes are
   * those of the training split (sorted names for the CSV layout, folder order for video folders), and a
   * validation or test clip of another class is an error. @default the training split's classes
   */
  classes?: readonly string[];
  /** Samples per waveform. @default 65535 */
  audioLength?: number;
  /** Audio rate in Hz; audio at other rates is resampled. @default 11025 */
  sampleRate?: number;
  /** Side of the square frames. @default 224 */
  imageSize?: number;
  /** Frame rate the paper's frame indices refer to. @default 8 */
  frameRate?: number;
  /** Frame interpolation. @default "bicubic" */
  filter?: ResizeFilter;
  /** Dataset name. @default the root folder's name */
  name?: string;
  /** Drop broken clips instead of failing, and list them in `skipped`. @default false */
  skipBroken?: boolean;
  /**
   * Hash the bytes of every media file (SHA-256) into the dataset hash, instead of its size and
   * modification time: catches a file replaced by one of the same size and time, at the cost of reading
   * everything once. The two kinds of hash differ, so switching recomputes cached stages once.
   * @default false
   */
  rehash?: boolean;
  /** Progress callback. */
  onProgress?: LoaderProgress;
}

/** {@linkcode ClipLoaderOptions} with every default filled in (`classes`, `onProgress` stay optional). */
export type ResolvedClipLoaderOptions =
  & Required<Omit<ClipLoaderOptions, "classes" | "onProgress">>
  & Pick<ClipLoaderOptions, "classes" | "onProgress">;

/**
 * Fills in the defaults and checks the sizes and rates.
 *
 * @param root The dataset folder (its name is the default `name`).
 * @param options The caller's options.
 * @param what What the caller is doing, for error messages (e.g. `open video folder`).
 * @param splitByFraction Whether `fractions` is used (and so checked).
 * @returns The resolved options.
 * @throws {RangeError} If a size is not a positive integer, the frame rate is not positive, or the
 * fractions are invalid.
 */
export function resolveClipLoaderOptions(
  root: string,
  options: ClipLoaderOptions,
  what: string,
  splitByFraction: boolean,
): ResolvedClipLoaderOptions {
  const resolved: ResolvedClipLoaderOptions = {
    fractions: options.fractions ?? DEFAULT_SPLIT_FRACTIONS,
    seed: options.seed ?? 0,
    audioLength: options.audioLength ?? 65535,
    sampleRate: options.sampleRate ?? 11025,
    imageSize: options.imageSize ?? 224,
    frameRate: options.frameRate ?? 8,
    filter: options.filter ?? "bicubic",
    name: options.name ?? basename(root),
    skipBroken: options.skipBroken ?? false,
    rehash: options.rehash ?? false,
    ...(options.classes ? { classes: options.classes } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
  positiveInteger(resolved.audioLength, "audioLength", what);
  positiveInteger(resolved.sampleRate, "sampleRate", what);
  positiveInteger(resolved.imageSize, "imageSize", what);
  if (!(resolved.frameRate > 0)) {
    throw new RangeError(`Cannot ${what}: frameRate must be > 0, current value is ${resolved.frameRate}`);
  }
  if (splitByFraction) checkFractions(resolved.fractions, what);
  return resolved;
}
