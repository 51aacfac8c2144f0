/**
 * The part every file-based loader shares: optional up-front verification under `skipBroken`, random
 * access splits, and the dataset hash (options, clip list, and a fingerprint of every media file: size and
 * modification time, or the SHA-256 of the bytes with `rehash`).
 *
 * @module
 */
import { hashValue } from "../../cache/hash.ts";
import type { Rng } from "../../engine/random.ts";
import { DataFormatError } from "../errors.ts";
import { fingerprintGroups } from "./_fingerprint.ts";
import type {
  AvDataset,
  AvSample,
  AvSplit,
  LoaderProgress,
  SampleOptions,
  SkippedClip,
  SplitName,
} from "../types.ts";

export type { LoaderProgress };
import { augmentRng } from "./_sampling.ts";

/** The minimum a loader knows about one clip. */
export interface ClipEntry {
  /** Identifier shown in errors and reports (usually the file or CSV row). */
  id: string;
  /** Class index. */
  label: number;
}

/** Everything {@linkcode buildDataset} needs from a loader. */
export interface DatasetSpec<C extends ClipEntry> {
  name: string;
  classes: string[];
  sampleRate: number;
  audioLength: number;
  imageSize: number;
  splits: Record<SplitName, C[]>;
  /** Problems already found while opening (cheap eager checks). */
  skipped: SkippedClip[];
  skipBroken: boolean;
  /** Everything besides the clip list that determines the samples. */
  hashInput: unknown;
  /** Hash the bytes of every media file instead of its size and modification time. */
  rehash: boolean;
  /** The media files a clip reads (their fingerprints enter the hash). */
  filesOf(clip: C): string[];
  read(clip: C, rng: Rng | undefined): Promise<{ audio: Float32Array; visual: Float32Array }>;
  verify(clip: C): Promise<void>;
  onProgress?: LoaderProgress | undefined;
}

/** Records a DataFormatError as a skipped clip when skipping, rethrows anything else. */
export function skipOrThrow(error: unknown, skipBroken: boolean, skipped: SkippedClip[]): void {
  if (!(error instanceof DataFormatError) || !skipBroken) throw error;
  skipped.push({ path: error.path, reason: error.message });
}

/** Verifies every clip when `skipBroken` is set (dropping broken ones), then wraps the splits. */
export async function buildDataset<C extends ClipEntry>(spec: DatasetSpec<C>): Promise<AvDataset> {
  const names: SplitName[] = ["train", "val", "test"];
  const splits = { ...spec.splits };
  if (spec.skipBroken) {
    const total = names.reduce((n, s) => n + splits[s].length, 0);
    let done = 0;
    for (const name of names) {
      const kept: C[] = [];
      for (const clip of splits[name]) {
        try {
          await spec.verify(clip);
          kept.push(clip);
        } catch (error) {
          skipOrThrow(error, true, spec.skipped);
        }
        spec.onProgress?.({ stage: "verify", done: ++done, total });
      }
      splits[name] = kept;
    }
  }
  const fingerprints = await fingerprintGroups(
    names.flatMap((s) => splits[s].map((c) => spec.filesOf(c))),
    spec.rehash,
    (done, total) => spec.onProgress?.({ stage: spec.rehash ? "rehash" : "fingerprint", done, total }),
  );
  let next = 0;
  const hash = await hashValue({
    ...(typeof spec.hashInput === "object" && spec.hashInput !== null
      ? spec.hashInput
      : { input: spec.hashInput }),
    clips: names.map((s) => splits[s].map((c) => [c.id, c.label, fingerprints[next++] ?? ""])),
  });
  const makeSplit = (clips: C[]): AvSplit => ({
    size: clips.length,
    labels: Int32Array.from(clips, (c) => c.label),
    async sample(index: number, options: SampleOptions = {}): Promise<AvSample> {
      const clip = clips[index];
      if (!Number.isInteger(index) || !clip) {
        throw new RangeError(
          `Cannot read sample: index must be an integer in [0, ${clips.length}), current value is ${index}`,
        );
      }
      const { audio, visual } = await spec.read(clip, augmentRng(options, `sample '${clip.id}'`));
      return { id: clip.id, label: clip.label, audio, visual };
    },
  });
  return {
    name: spec.name,
    classes: spec.classes,
    sampleRate: spec.sampleRate,
    audioLength: spec.audioLength,
    imageShape: [spec.imageSize, spec.imageSize, 3],
    splits: { train: makeSplit(splits.train), val: makeSplit(splits.val), test: makeSplit(splits.test) },
    hash,
    skipped: spec.skipped,
  };
}

/** Throws a RangeError unless `value` is a positive integer. */
export function positiveInteger(value: number, name: string, what: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`Cannot ${what}: ${name} must be a positive integer, current value is ${value}`);
  }
  return value;
}

/** Stat of a path, or undefined when it does not exist. */
export async function statOrUndefined(path: string): Promise<Deno.FileInfo | undefined> {
  try {
    return await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) return undefined;
    throw error;
  }
}
