/**
 * Small data fixtures the data tests generate themselves: WAVs from the project's writer, JPEG frames and
 * mp4 clips from ffmpeg's lavfi test sources, a CSV-layout tree.
 *
 * Tests that need ffmpeg fail with an explicit message when it is missing, unless
 * `AVROBUST_ALLOW_MISSING_FFMPEG=1`, in which case they are reported as ignored.
 *
 * @module
 */
import { join } from "node:path";
import { FFMPEG_INSTALL_COMMAND, hasFfmpeg, runFfmpeg } from "../../lib/data/media/ffmpeg.ts";
import { encodeWav } from "../../lib/data/media/wav.ts";

/** Whether ffmpeg runs on this machine (checked once). */
export const FFMPEG_AVAILABLE = await hasFfmpeg();
const ALLOW_MISSING = Deno.env.get("AVROBUST_ALLOW_MISSING_FFMPEG") === "1";
let warned = false;

/** A Deno.test that needs ffmpeg: fails clearly without it, or is ignored with a message when allowed. */
export function ffmpegTest(name: string, fn: (t: Deno.TestContext) => Promise<void>): void {
  if (!FFMPEG_AVAILABLE && ALLOW_MISSING) {
    if (!warned) {
      console.warn(`ffmpeg is missing: tests that need it are ignored (AVROBUST_ALLOW_MISSING_FFMPEG=1)`);
      warned = true;
    }
    Deno.test({ name, ignore: true, fn });
    return;
  }
  Deno.test(name, async (t) => {
    if (!FFMPEG_AVAILABLE) {
      throw new Error(
        `This test needs ffmpeg: install it with \`${FFMPEG_INSTALL_COMMAND}\`, or set AVROBUST_ALLOW_MISSING_FFMPEG=1 to skip it`,
      );
    }
    await fn(t);
  });
}

const TEMP_DIRS: string[] = [];
globalThis.addEventListener("unload", () => {
  for (const dir of TEMP_DIRS) Deno.removeSync(dir, { recursive: true });
});

/** Keeps a folder from {@linkcode tempDir} after the module ends (fixture scripts that write data for later). */
export function keepTempDir(dir: string): void {
  const at = TEMP_DIRS.indexOf(dir);
  if (at >= 0) TEMP_DIRS.splice(at, 1);
}

/** A fresh temporary folder, removed when the test module ends. */
export async function tempDir(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "avrobust-data-" });
  TEMP_DIRS.push(dir);
  return dir;
}

/** A sine tone, mono, `seconds` long. */
export function tone(frequency: number, seconds: number, sampleRate: number, amplitude = 0.5): Float32Array {
  return Float32Array.from(
    { length: Math.round(seconds * sampleRate) },
    (_, i) => amplitude * Math.sin((2 * Math.PI * frequency * i) / sampleRate),
  );
}

/** Writes a mono WAV (16-bit unless told otherwise). */
export async function writeWav(
  path: string,
  samples: Float32Array,
  sampleRate: number,
  format: "pcm16" | "float32" = "pcm16",
): Promise<void> {
  await Deno.mkdir(join(path, ".."), { recursive: true });
  await Deno.writeFile(path, encodeWav([samples], sampleRate, { format }));
}

/** Writes `count` JPEG frames `000001.jpg …` of ffmpeg's moving test pattern into `dir`. */
export async function writeFrames(dir: string, count: number, width = 40, height = 30): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  await runFfmpeg([
    "-f",
    "lavfi",
    "-i",
    `testsrc=size=${width}x${height}:rate=8`,
    "-frames:v",
    String(count),
    "-q:v",
    "3",
    join(dir, "%06d.jpg"),
  ], dir);
}

/** Writes an mp4 clip: test pattern at 8 fps plus (unless `audio` is false) a sine tone. */
export async function writeVideo(
  path: string,
  options: { seconds?: number; audio?: boolean; frequency?: number; width?: number; height?: number } = {},
): Promise<void> {
  const { seconds = 2, audio = true, frequency = 440, width = 48, height = 32 } = options;
  await Deno.mkdir(join(path, ".."), { recursive: true });
  await runFfmpeg([
    "-y",
    "-f",
    "lavfi",
    "-i",
    `testsrc=size=${width}x${height}:rate=8:duration=${seconds}`,
    ...(audio
      ? ["-f", "lavfi", "-i", `sine=frequency=${frequency}:sample_rate=16000:duration=${seconds}`]
      : []),
    "-c:v",
    "libx264",
    "-preset",
    "ultrafast",
    "-pix_fmt",
    "yuv420p",
    ...(audio ? ["-c:a", "aac", "-shortest"] : []),
    path,
  ], path);
}

/** The layout written by {@linkcode writeCsvLayout}. */
export interface CsvFixture {
  root: string;
  /** Rows per split, as written. */
  rows: Record<"train" | "val" | "test", string[]>;
}

/**
 * Writes a tiny CSV-layout tree: per class, `clipsPerClass` clips with a tone WAV (`seconds` long at
 * `sampleRate`) and `frames` JPEG frames; the first clip of each class goes to test, the second to val,
 * the rest to train.
 */
export async function writeCsvLayout(
  options: {
    classes?: string[];
    clipsPerClass?: number;
    frames?: number;
    seconds?: number;
    sampleRate?: number;
  } = {},
): Promise<CsvFixture> {
  const { classes = ["cello", "flute"], clipsPerClass = 3, frames = 12, seconds = 1.5, sampleRate = 8000 } =
    options;
  const root = await tempDir();
  const template = join(root, "_template");
  await writeFrames(template, frames);
  const rows: CsvFixture["rows"] = { train: [], val: [], test: [] };
  for (const [c, cls] of classes.entries()) {
    for (let i = 0; i < clipsPerClass; i++) {
      const id = `${cls}_${String(i).padStart(4, "0")}`;
      await writeWav(
        join(root, "audio", cls, `${id}.wav`),
        tone(200 + 150 * c + 10 * i, seconds, sampleRate),
        sampleRate,
      );
      const dir = join(root, "frames", cls, `${id}.mp4`);
      await Deno.mkdir(dir, { recursive: true });
      for (let k = 1; k <= frames; k++) {
        const name = `${String(k).padStart(6, "0")}.jpg`;
        await Deno.copyFile(join(template, name), join(dir, name));
      }
      const split = i === 0 ? "test" : i === 1 ? "val" : "train";
      rows[split].push(`/${cls}/${id}.wav,/${cls}/${id}.mp4,${frames}`);
    }
  }
  for (const split of ["train", "val", "test"] as const) {
    await Deno.writeTextFile(join(root, `${split}.csv`), rows[split].join("\n") + "\n");
  }
  return { root, rows };
}

/** Options of {@linkcode writeAveFeatures}. */
export interface AveFixtureOptions {
  /** Videos in the files. @default 12 */
  videos?: number;
  /** Shape of the audio dataset. @default [videos, 10, 128] */
  audioShape?: number[];
  /** Element type of the audio features. @default "<d" (float64) */
  audioDtype?: "<f" | "<d";
  /** ECCV18 class of each video. @default (row * 5) % 28 */
  classOf?: (row: number) => number;
  /** A video whose label rows are left all zero (no label). */
  blankLabelRow?: number;
  /** Split orders. @default train 0..7, val [9, 8], test [11, 10] */
  orders?: { train: number[]; val: number[]; test: number[] };
  /** A video whose first `count` audio feature values are NaN. */
  nanAudio?: { row: number; count: number };
}

/**
 * Writes a small AVE feature folder with h5wasm. Audio feature values are `10 * row + second`; visual
 * values are `row + 0.5`; seconds 0-5 carry the video's event, seconds 6-9 are background.
 */
export async function writeAveFeatures(dir: string, options: AveFixtureOptions = {}): Promise<void> {
  const { default: h5wasm } = await import("h5wasm/node");
  await h5wasm.ready;
  const {
    videos = 12,
    audioDtype = "<d",
    classOf = (row: number) => (row * 5) % 28,
    orders = { train: [0, 1, 2, 3, 4, 5, 6, 7], val: [9, 8], test: [11, 10] },
  } = options;
  const audioShape = options.audioShape ?? [videos, 10, 128];
  const write = (
    name: string,
    key: string,
    data: Float32Array | Float64Array | BigInt64Array,
    shape: number[],
    dtype: string,
  ) => {
    const file = new h5wasm.File(join(dir, name), "w");
    file.create_dataset({ name: key, data, shape, dtype });
    file.close();
  };
  const audioSize = audioShape.slice(1).reduce((a, b) => a * b, 1);
  const audioValues = Array.from(
    { length: videos * audioSize },
    (_, i) => 10 * Math.floor(i / audioSize) + Math.floor((i % audioSize) / (audioSize / 10)),
  );
  if (options.nanAudio) {
    audioValues.fill(
      NaN,
      options.nanAudio.row * audioSize,
      options.nanAudio.row * audioSize + options.nanAudio.count,
    );
  }
  const audio = audioDtype === "<d" ? Float64Array.from(audioValues) : Float32Array.from(audioValues);
  write("audio_feature.h5", "avadataset", audio, audioShape, audioDtype);
  const visualSize = 10 * 7 * 7 * 512;
  const visual = Float32Array.from(
    { length: videos * visualSize },
    (_, i) => Math.floor(i / visualSize) + 0.5,
  );
  write("visual_feature.h5", "avadataset", visual, [videos, 10, 7, 7, 512], "<f");
  const labels = new Float32Array(videos * 10 * 29);
  for (let row = 0; row < videos; row++) {
    if (row === options.blankLabelRow) continue;
    for (let t = 0; t < 10; t++) labels[(row * 10 + t) * 29 + (t < 6 ? classOf(row) : 28)] = 1;
  }
  write("labels.h5", "avadataset", labels, [videos, 10, 29], "<f");
  for (const split of ["train", "val", "test"] as const) {
    const order = BigInt64Array.from(orders[split], BigInt);
    write(`${split}_order.h5`, "order", order, [order.length], "<q");
  }
}
