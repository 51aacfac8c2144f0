/**
 * Loader for a folder of raw videos, `<root>/<class>/<clip>.<ext>`, decoded per sample with ffmpeg into
 * the same tensors as the CSV layout.
 *
 * @module
 */
import { join } from "node:path";
import { assertFinite } from "../assert_finite.ts";
import { DataFormatError } from "../errors.ts";
import {
  FFMPEG_INSTALL_COMMAND,
  type FfmpegOptions,
  hasFfmpeg,
  type MediaInfo,
  probeMedia,
  runFfmpeg,
} from "../media/ffmpeg.ts";
import { prepareFrame } from "../media/image.ts";
import type { AvDataset, SkippedClip } from "../types.ts";
import { buildDataset, skipOrThrow } from "./_clip_dataset.ts";
import { classesFromTraining, type NamedClip } from "./_classes.ts";
import { type ClipLoaderOptions, resolveClipLoaderOptions } from "./_options.ts";
import { audioWindowOrThrow, gainAndClip, pickFrame, TRAIN_FRAME_MARGIN } from "./_sampling.ts";
import { stratifiedSplit } from "./_split.ts";

/** Options of {@linkcode openVideoFolder}. */
export interface VideoFolderOptions extends ClipLoaderOptions {
  /** File extensions taken as videos (lower case, no dot). @default ["mp4", "mkv", "webm", "avi", "mov", "m4v"] */
  extensions?: readonly string[];
  /** The ffmpeg/ffprobe executables. */
  ffmpeg?: FfmpegOptions;
}

interface VideoClip extends NamedClip {
  path: string;
}

async function listDir(path: string): Promise<Deno.DirEntry[]> {
  try {
    return (await Array.fromAsync(Deno.readDir(path))).sort((
      a,
      b,
    ) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (error) {
    throw new DataFormatError(path, `Cannot list video folder: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * Opens a folder of videos, one sub-folder per class. Opening lists the files, checks the class names and
 * that ffmpeg is installed; each sample is then decoded by ffmpeg: the audio track to mono float PCM at
 * `sampleRate`, and one RGB frame at time (k − 1)/frameRate. Frame index k and the audio window follow the
 * paper exactly as in {@linkcode openCsvLayout} (k = n // 2 at test time, n = ⌊duration · frameRate⌋).
 * Splits are stratified per class and deterministic for a given `seed`. The classes are `classes`, or the
 * folders with clips in the training split: a validation or test clip of another folder is an error naming
 * the clip. Decoded audio and frames must be finite. The dataset hash covers the options, the clip list,
 * and each video's size and modification time (its bytes with `rehash`).
 *
 * @param root Folder holding `<class>/<clip>.<ext>`.
 * @param options Split, sizes, rates, `skipBroken`, ffmpeg location.
 * @returns The dataset; `skipped` lists dropped clips when `skipBroken` is set.
 * @throws {Error} If ffmpeg is not installed (the message names the install command).
 * @throws {DataFormatError} If the folder holds no videos or (without `skipBroken`) a folder names an
 * unknown class or a class without training clips; while reading, if a clip has no audio or video track,
 * cannot be decoded, or decodes to non-finite values.
 *
 * @example
 * ```ts ignore
 * const data = await openVideoFolder("/data/my-clips", { seed: 1, audioLength: 16384, imageSize: 112 });
 * const { audio, visual } = await data.splits.test.sample(0);
 * ```
 */
export async function openVideoFolder(root: string, options: VideoFolderOptions = {}): Promise<AvDataset> {
  const { extensions = ["mp4", "mkv", "webm", "avi", "mov", "m4v"], ffmpeg = {} } = options;
  const what = "open video folder";
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
  } = resolveClipLoaderOptions(root, options, what, true);
  if (!(await hasFfmpeg(ffmpeg))) {
    throw new Error(
      `Cannot ${what} '${root}': ffmpeg was not found on PATH; install it with \`${FFMPEG_INSTALL_COMMAND}\``,
    );
  }
  const folders = (await listDir(root)).filter((e) => e.isDirectory && !e.name.startsWith("."));
  const seen = options.classes ? [...options.classes] : folders.map((e) => e.name);
  const skipped: SkippedClip[] = [];
  const clips: VideoClip[] = [];
  for (const folder of folders) {
    const files = (await listDir(join(root, folder.name))).filter((e) =>
      e.isFile && extensions.includes(e.name.split(".").pop()?.toLowerCase() ?? "")
    );
    const label = seen.indexOf(folder.name);
    for (const file of files) {
      const path = join(root, folder.name, file.name);
      try {
        if (label < 0) {
          throw new DataFormatError(
            path,
            `Cannot use video: unknown label '${folder.name}' (known: ${seen.join(", ")})`,
          );
        }
        clips.push({ id: `${folder.name}/${file.name}`, label, className: folder.name, path });
      } catch (error) {
        skipOrThrow(error, skipBroken, skipped);
      }
    }
  }
  if (clips.length === 0 && skipped.length === 0) {
    throw new DataFormatError(
      root,
      `Cannot ${what}: no '<class>/<clip>.{${extensions.join(",")}}' files found`,
    );
  }

  const { classes, splits } = classesFromTraining(stratifiedSplit(clips, (c) => c.label, fractions, seed), {
    given: options.classes,
    seen,
    reject: (clip, known) =>
      new DataFormatError(
        clip.path,
        `Cannot use video: class '${clip.className}' has no clips in the training split (training classes: ${
          known.join(", ")
        }); list it in classes (--classes) to keep it`,
      ),
    skipBroken,
    skipped,
  });

  const probes = new Map<string, MediaInfo>();
  const probe = async (clip: VideoClip) => {
    const known = probes.get(clip.path);
    if (known) return known;
    const info = await probeMedia(clip.path, ffmpeg);
    if (!info.hasAudio) {
      throw new DataFormatError(clip.path, "Cannot read video: the file has no audio track");
    }
    if (!info.video) throw new DataFormatError(clip.path, "Cannot read video: the file has no video track");
    probes.set(clip.path, info);
    return info;
  };
  const frameCount = (info: MediaInfo) => Math.max(1, Math.floor(info.duration * frameRate + 1e-6));
  const readAudio = async (clip: VideoClip) => {
    const bytes = await runFfmpeg(
      ["-i", clip.path, "-vn", "-ac", "1", "-ar", String(sampleRate), "-f", "f32le", "pipe:1"],
      clip.path,
      ffmpeg,
    );
    if (bytes.byteLength < 4) {
      throw new DataFormatError(clip.path, "Cannot read video: the audio track has no samples");
    }
    const samples = new Float32Array(bytes.slice(0, bytes.byteLength - (bytes.byteLength % 4)).buffer);
    assertFinite(samples, clip.path, { action: "read video audio", unit: "samples" });
    return samples;
  };
  const readFrame = async (clip: VideoClip, info: MediaInfo, k: number) => {
    const { width, height } = info.video ?? { width: 0, height: 0 };
    const time = (k - 1) / frameRate;
    const args = [
      "-ss",
      time.toFixed(4),
      "-i",
      clip.path,
      "-an",
      "-frames:v",
      "1",
      "-vf",
      `scale=${width}:${height}`,
    ];
    const bytes = await runFfmpeg(
      [...args, "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"],
      clip.path,
      ffmpeg,
    );
    if (bytes.byteLength !== width * height * 3) {
      throw new DataFormatError(clip.path, `Cannot read video: no frame ${k} at ${time.toFixed(3)} s`);
    }
    const data = Float32Array.from(bytes, (v) => v / 255);
    assertFinite(data, clip.path, { action: `read video frame ${k}`, unit: "pixel values" });
    return { width, height, data };
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
    filesOf: (clip) => [clip.path],
    hashInput: {
      layout: "videos",
      root,
      fractions,
      seed,
      audioLength,
      sampleRate,
      imageSize,
      frameRate,
      filter,
    },
    async read(clip, rng) {
      const info = await probe(clip);
      const k = pickFrame(frameCount(info), rng);
      const image = await readFrame(clip, info, k);
      const visual = prepareFrame(image, {
        imageSize,
        augment: rng !== undefined,
        filter,
        ...(rng ? { rng } : {}),
      });
      const waveform = await readAudio(clip);
      const window = audioWindowOrThrow(clip.path, waveform, (k - 0.5) / frameRate, sampleRate, audioLength);
      return { audio: gainAndClip(window, rng), visual };
    },
    async verify(clip) {
      const info = await probe(clip);
      const n = frameCount(info);
      const waveform = await readAudio(clip);
      const margin = Math.max(0, Math.min(TRAIN_FRAME_MARGIN, Math.floor((n - 1) / 2)));
      for (const k of [pickFrame(n, undefined), n - margin]) {
        audioWindowOrThrow(clip.path, waveform, (k - 0.5) / frameRate, sampleRate, audioLength);
      }
      await readFrame(clip, info, pickFrame(n, undefined));
    },
  });
}
