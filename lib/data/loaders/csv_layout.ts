/**
 * Loader for the layout of the paper's reference code (MUSIC-solo, AVE, Kinetics-Sounds): CSV rows
 * `/<class>/<id>.wav,/<class>/<id>.mp4,<frames>`, audio under `<root>/audio`, JPEG frames at 8 fps under
 * `<root>/frames/<class>/<id>.mp4/000001.jpg …`.
 *
 * @module
 */
import { isAbsolute, join } from "node:path";
import { DataFormatError } from "../errors.ts";
import { prepareFrame, readImage } from "../media/image.ts";
import type { AvDataset, SkippedClip, SplitName } from "../types.ts";
import { readWav } from "../media/wav.ts";
import { buildDataset, skipOrThrow, statOrUndefined } from "./_clip_dataset.ts";
import { classesFromTraining, type NamedClip } from "./_classes.ts";
import { type ClipLoaderOptions, resolveClipLoaderOptions } from "./_options.ts";
import { audioWindowOrThrow, gainAndClip, pickFrame, TRAIN_FRAME_MARGIN } from "./_sampling.ts";
import { stratifiedSplit } from "./_split.ts";

/** Options of {@linkcode openCsvLayout}. */
export interface CsvLayoutOptions extends ClipLoaderOptions {
  /**
   * The split lists, relative to the root (or absolute). One file instead of three is split per class with
   * `fractions` and `seed`. @default { train: "train.csv", val: "val.csv", test: "test.csv" }
   */
  csv?: Readonly<Record<SplitName, string>> | string;
  /**
   * Drop broken clips instead of failing, and list them in `skipped`. This reads every clip once while
   * opening (WAV fully, the centre frame, existence of every frame that training may pick). @default false
   */
  skipBroken?: boolean;
  /** With `skipBroken`: decode every frame training may pick, not only the centre one. @default false */
  deepVerify?: boolean;
}

interface CsvClip extends NamedClip {
  /** `file:line` of its row. */
  where: string;
  audioPath: string;
  framesDir: string;
  frameCount: number;
}

function framePath(clip: CsvClip, index: number): string {
  return join(clip.framesDir, `${String(index).padStart(6, "0")}.jpg`);
}

function relative(root: string, path: string): string {
  return isAbsolute(path) ? path : join(root, path);
}

/** The rows of a CSV file with their 1-based line numbers, blank lines left out. */
async function readCsv(path: string): Promise<{ line: number; fields: string[] }[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    throw new DataFormatError(path, `Cannot read CSV: ${(error as Error).message}`, { cause: error });
  }
  const rows = text.split(/\r?\n/)
    .map((line, i) => ({ line: i + 1, fields: line.split(",").map((field) => field.trim()) }))
    .filter((row) => row.fields.length > 1 || row.fields[0] !== "");
  if (rows.length === 0) throw new DataFormatError(path, "Cannot read CSV: the file is empty");
  return rows;
}

/**
 * Opens a dataset in the reference code's CSV layout. Opening checks every row cheaply (three fields, a
 * positive frame count, the WAV file and frame folder exist, the class is known); samples are read lazily:
 * a missing frame, unreadable JPEG, truncated WAV or non-finite sample raises a
 * {@linkcode DataFormatError} when read. The classes are `classes`, or the sorted classes of the training
 * rows: a validation or test row of another class is an error naming its CSV line. The dataset hash
 * covers the options, the rows, and the size and modification time of every WAV and referenced frame (their
 * bytes with `rehash`).
 *
 * Sampling follows the paper: frame `n // 2` at test time, uniform in [25, n − 24] at training time (the
 * margin shrinks for clips under 49 frames); audio window of `audioLength` samples centred at (k − 0.5)/8 s,
 * tiled when the file is short, zero-padded at the edges; gain uniform in [0.5, 1.5) at training time;
 * clipped to [-1, 1]. Frames: shorter side resized to `imageSize` + centre crop (test), or to
 * ⌊1.1·imageSize⌋ + random crop + random flip (training). Audio at another rate is resampled with a
 * Kaiser-windowed sinc (the reference code resampled only files above the target rate).
 *
 * @param root Folder with `audio/`, `frames/` and the CSV files.
 * @param options Split files, sizes, rates, `skipBroken`.
 * @returns The dataset; `skipped` lists dropped rows when `skipBroken` is set.
 * @throws {DataFormatError} If a CSV is missing or empty, or (without `skipBroken`) a row is malformed,
 * points to a missing file, or names an unknown class or one without training rows.
 * @throws {RangeError} If a size option is not a positive integer or the fractions are invalid.
 *
 * @example
 * ```ts ignore
 * const data = await openCsvLayout("/data/MUSIC", { audioLength: 16384, imageSize: 112 });
 * const sample = await data.splits.test.sample(0);
 * ```
 */
export async function openCsvLayout(root: string, options: CsvLayoutOptions = {}): Promise<AvDataset> {
  const { csv = { train: "train.csv", val: "val.csv", test: "test.csv" }, deepVerify = false } = options;
  const what = "open CSV layout";
  const resolved = resolveClipLoaderOptions(root, options, what, typeof csv === "string");
  const {
    fractions,
    seed,
    audioLength,
    sampleRate,
    imageSize,
    frameRate,
    filter,
    name,
    skipBroken,
    rehash,
    onProgress,
  } = resolved;

  const files: [SplitName | "all", string][] = typeof csv === "string"
    ? [["all", relative(root, csv)]]
    : (["train", "val", "test"] as const).map((s) => [s, relative(root, csv[s])]);
  const rows: { split: SplitName | "all"; where: string; fields: string[] }[] = [];
  for (const [split, file] of files) {
    for (const { line, fields } of await readCsv(file)) {
      rows.push({ split, where: `${file}:${line}`, fields });
    }
  }
  const classOf = (fields: string[]) => (fields[0] ?? "").split("/").filter((p) => p !== "")[0];
  const seen = options.classes
    ? [...options.classes]
    : [...new Set(rows.map((r) => classOf(r.fields)).filter((c) => c !== undefined))].sort();
  const skipped: SkippedClip[] = [];
  const clips: { split: SplitName | "all"; clip: CsvClip }[] = [];
  for (const [i, row] of rows.entries()) {
    try {
      clips.push({ split: row.split, clip: await parseRow(root, row.where, row.fields, seen) });
    } catch (error) {
      skipOrThrow(error, skipBroken, skipped);
    }
    onProgress?.({ stage: "index", done: i + 1, total: rows.length });
  }
  const bySplit: Record<SplitName, CsvClip[]> = typeof csv === "string"
    ? stratifiedSplit(clips.map((c) => c.clip), (c) => c.label, fractions, seed)
    : {
      train: clips.filter((c) => c.split === "train").map((c) => c.clip),
      val: clips.filter((c) => c.split === "val").map((c) => c.clip),
      test: clips.filter((c) => c.split === "test").map((c) => c.clip),
    };
  const { classes, splits } = classesFromTraining(bySplit, {
    given: options.classes,
    seen,
    reject: (clip, known) =>
      new DataFormatError(
        clip.where,
        `Cannot use CSV row: label '${clip.className}' has no rows in the training split (training classes: ${
          known.join(", ")
        }); list it in classes (--classes) to keep it`,
      ),
    skipBroken,
    skipped,
  });

  const readAudio = async (clip: CsvClip) => {
    const wav = await readWav(clip.audioPath, { sampleRate });
    if (wav.samples.length === 0) {
      throw new DataFormatError(clip.audioPath, "Cannot read WAV: the file has no samples");
    }
    return wav.samples;
  };
  return buildDataset({
    name,
    classes,
    sampleRate,
    audioLength,
    imageSize,
    splits,
    skipped,
    skipBroken,
    rehash,
    onProgress,
    filesOf: (clip) => [
      clip.audioPath,
      ...Array.from({ length: clip.frameCount }, (_, k) => framePath(clip, k + 1)),
    ],
    hashInput: {
      layout: "csv",
      root,
      csv,
      fractions,
      seed,
      audioLength,
      sampleRate,
      imageSize,
      frameRate,
      filter,
    },
    async read(clip, rng) {
      const frame = pickFrame(clip.frameCount, rng);
      const image = await readImage(framePath(clip, frame));
      const visual = prepareFrame(image, {
        imageSize,
        augment: rng !== undefined,
        filter,
        ...(rng ? { rng } : {}),
      });
      const waveform = await readAudio(clip);
      const window = audioWindowOrThrow(
        clip.audioPath,
        waveform,
        (frame - 0.5) / frameRate,
        sampleRate,
        audioLength,
      );
      return { audio: gainAndClip(window, rng), visual };
    },
    async verify(clip) {
      const waveform = await readAudio(clip);
      const margin = Math.max(0, Math.min(TRAIN_FRAME_MARGIN, Math.floor((clip.frameCount - 1) / 2)));
      for (const k of [pickFrame(clip.frameCount, undefined), clip.frameCount - margin]) {
        audioWindowOrThrow(clip.audioPath, waveform, (k - 0.5) / frameRate, sampleRate, audioLength);
      }
      for (let k = margin + 1; k <= clip.frameCount - margin; k++) {
        const path = framePath(clip, k);
        if (deepVerify) await readImage(path);
        else if (!(await statOrUndefined(path))?.isFile) {
          throw new DataFormatError(
            path,
            `Cannot read frame ${k} of ${clip.frameCount}: the file does not exist`,
          );
        }
      }
      await readImage(framePath(clip, pickFrame(clip.frameCount, undefined)));
    },
  });
}

async function parseRow(root: string, where: string, fields: string[], classes: string[]): Promise<CsvClip> {
  const [audio, frames, count] = fields;
  if (fields.length !== 3 || !audio || !frames || !count) {
    throw new DataFormatError(
      where,
      `Cannot parse CSV row: expected 'audio.wav,frames_dir,n_frames', found '${fields.join(",")}'`,
    );
  }
  const frameCount = Number(count);
  if (!Number.isInteger(frameCount) || frameCount < 1) {
    throw new DataFormatError(
      where,
      `Cannot parse CSV row: the frame count must be a positive integer, found '${count}'`,
    );
  }
  const parts = audio.split("/").filter((p) => p !== "");
  const className = parts[0] ?? "";
  if (parts.length < 2) {
    throw new DataFormatError(where, `Cannot use CSV row: the audio path '${audio}' has no class folder`);
  }
  const label = classes.indexOf(className);
  if (label < 0) {
    throw new DataFormatError(
      where,
      `Cannot use CSV row: unknown label '${className}' (known: ${classes.join(", ")})`,
    );
  }
  const audioPath = join(root, "audio", audio);
  const framesDir = join(root, "frames", frames);
  if (!(await statOrUndefined(audioPath))?.isFile) {
    throw new DataFormatError(where, `Cannot use CSV row: its audio file '${audioPath}' does not exist`);
  }
  if (!(await statOrUndefined(framesDir))?.isDirectory) {
    throw new DataFormatError(where, `Cannot use CSV row: its frame folder '${framesDir}' does not exist`);
  }
  return { id: audio, label, className, where, audioPath, framesDir, frameCount };
}
