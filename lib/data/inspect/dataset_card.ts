/**
 * A dataset card: sizes, class balance, one example frame and log-spectrogram per class as PNG files, and
 * a JSON + Markdown summary, written into one folder.
 *
 * @module
 */
import { join } from "node:path";
import { writeFileAtomic } from "../../cache/atomic.ts";
import { escapeMarkdown } from "../../text/escape.ts";
import { encodePng, type RgbImage } from "../media/image.ts";
import type { AvDataset, SplitName } from "../types.ts";
import type { LoaderProgress } from "../types.ts";

/** Options of {@linkcode writeDatasetCard}. */
export interface DatasetCardOptions {
  /** Split the examples come from (falls back to train when it is empty). @default "test" */
  split?: SplitName;
  /** Progress callback (stage `examples`). */
  onProgress?: LoaderProgress;
}

/** The card's JSON content (`card.json`). */
export interface DatasetCard {
  name: string;
  hash: string;
  classes: string[];
  sampleRate: number;
  audioLength: number;
  imageShape: readonly [number, number, number];
  splits: Record<SplitName, { size: number; classCounts: number[] }>;
  skipped: number;
  /** One example per class with a sample in the split: image files relative to the card folder. */
  examples: { className: string; id: string; frame: string; spectrogram: string; audioRms: number }[];
}

const STOPS: readonly (readonly [number, number, number])[] = [
  [0, 0, 0.02],
  [0.3, 0.05, 0.45],
  [0.75, 0.2, 0.4],
  [0.98, 0.55, 0.1],
  [1, 1, 0.75],
];

function colour(v: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, v)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x)), f = x - i;
  const a = STOPS[i] ?? [0, 0, 0], b = STOPS[i + 1] ?? [0, 0, 0];
  const mix = (c: 0 | 1 | 2) => a[c] * (1 - f) + b[c] * f;
  return [mix(0), mix(1), mix(2)];
}

/**
 * Log-power spectrogram (Hann window, hop ≥ fftSize/4 so that at most ~400 columns result, 80 dB range)
 * as a false-colour image: time left to right, low frequencies at the bottom.
 *
 * @param audio The waveform.
 * @param fftSize Window length (a power of two is not required). @default 256
 * @returns The image, `fftSize / 2 + 1` pixels high.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const image = spectrogramImage(new Float32Array(1024).map((_, i) => Math.sin(i)), 64);
 * assert.equal(image.height, 33);
 * ```
 */
export function spectrogramImage(audio: Float32Array, fftSize = 256): RgbImage {
  const hop = Math.max(fftSize / 4, Math.ceil((audio.length - fftSize) / 400));
  const frames = Math.max(1, Math.floor((audio.length - fftSize) / hop) + 1);
  const bins = fftSize / 2 + 1;
  const window = Float32Array.from(
    { length: fftSize },
    (_, n) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / fftSize),
  );
  const cos = Float32Array.from({ length: fftSize }, (_, n) => Math.cos((2 * Math.PI * n) / fftSize));
  const sin = Float32Array.from({ length: fftSize }, (_, n) => Math.sin((2 * Math.PI * n) / fftSize));
  const power = new Float32Array(frames * bins);
  const segment = new Float32Array(fftSize);
  for (let t = 0; t < frames; t++) {
    for (let n = 0; n < fftSize; n++) segment[n] = (audio[t * hop + n] ?? 0) * (window[n] as number);
    for (let k = 0; k < bins; k++) {
      let re = 0, im = 0;
      for (let n = 0; n < fftSize; n++) {
        const phase = (k * n) % fftSize;
        re += (segment[n] as number) * (cos[phase] as number);
        im -= (segment[n] as number) * (sin[phase] as number);
      }
      power[t * bins + k] = 10 * Math.log10(re * re + im * im + 1e-12);
    }
  }
  let top = -Infinity;
  for (const p of power) top = Math.max(top, p);
  const data = new Float32Array(bins * frames * 3);
  for (let t = 0; t < frames; t++) {
    for (let k = 0; k < bins; k++) {
      data.set(colour(((power[t * bins + k] as number) - top + 80) / 80), ((bins - 1 - k) * frames + t) * 3);
    }
  }
  return { width: frames, height: bins, data };
}

/** Grey frames repeat their value over R, G and B; frames with 3 or more channels keep the first three. */
function toRgb(values: Float32Array, channels: number): Float32Array {
  if (channels === 3) return values;
  const pixels = values.length / channels;
  return Float32Array.from({ length: pixels * 3 }, (_, i) => {
    const p = Math.floor(i / 3);
    return values[p * channels + (channels >= 3 ? i % 3 : 0)] as number;
  });
}

function enlarge(image: RgbImage, minSide: number): RgbImage {
  const factor = Math.max(1, Math.ceil(minSide / Math.min(image.width, image.height)));
  if (factor === 1) return image;
  const width = image.width * factor, height = image.height * factor;
  const data = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = (Math.floor(y / factor) * image.width + Math.floor(x / factor)) * 3;
      data.set(image.data.subarray(s, s + 3), (y * width + x) * 3);
    }
  }
  return { width, height, data };
}

/**
 * Writes a dataset card into `dir`: `card.json`, `README.md`, and per class `frames/<i>_<class>.png` and
 * `spectrograms/<i>_<class>.png` for the first example of that class in the chosen split. Every name that
 * comes from the data (dataset name, class names, clip ids) is escaped in `README.md` with
 * {@linkcode escapeMarkdown}, so that a class called `<script>` renders as text, not as HTML.
 *
 * @param dataset The dataset (samples are read without augmentation).
 * @param dir Output folder (created).
 * @param options Split and progress.
 * @returns The card's content.
 *
 * @example
 * ```ts ignore
 * const card = await writeDatasetCard(await loadBuiltin("av-digits", { size: "smoke" }), "reports/cards/av-digits");
 * ```
 */
export async function writeDatasetCard(
  dataset: AvDataset,
  dir: string,
  options: DatasetCardOptions = {},
): Promise<DatasetCard> {
  const { onProgress } = options;
  const split = dataset.splits[options.split ?? "test"].size ? options.split ?? "test" : "train";
  const [height, width, channels] = dataset.imageShape;
  await Deno.mkdir(join(dir, "frames"), { recursive: true });
  await Deno.mkdir(join(dir, "spectrograms"), { recursive: true });
  const balance = (s: SplitName) => {
    const classCounts = new Array<number>(dataset.classes.length).fill(0);
    for (const label of dataset.splits[s].labels) classCounts[label] = (classCounts[label] ?? 0) + 1;
    return { size: dataset.splits[s].size, classCounts };
  };
  const card: DatasetCard = {
    name: dataset.name,
    hash: dataset.hash,
    classes: dataset.classes,
    sampleRate: dataset.sampleRate,
    audioLength: dataset.audioLength,
    imageShape: dataset.imageShape,
    splits: { train: balance("train"), val: balance("val"), test: balance("test") },
    skipped: dataset.skipped.length,
    examples: [],
  };
  const labels = [...dataset.splits[split].labels];
  for (const [c, className] of dataset.classes.entries()) {
    const index = labels.indexOf(c);
    onProgress?.({ stage: "examples", done: c + 1, total: dataset.classes.length });
    if (index < 0) continue;
    const sample = await dataset.splits[split].sample(index);
    const stem = `${c}_${className.replace(/[^A-Za-z0-9_-]+/g, "_")}`;
    const frame = { width, height, data: toRgb(sample.visual, channels) };
    await writeFileAtomic(join(dir, "frames", `${stem}.png`), encodePng(enlarge(frame, 96)));
    await writeFileAtomic(
      join(dir, "spectrograms", `${stem}.png`),
      encodePng(spectrogramImage(sample.audio)),
    );
    const rms = Math.sqrt(sample.audio.reduce((s, v) => s + v * v, 0) / Math.max(1, sample.audio.length));
    card.examples.push({
      className,
      id: sample.id,
      frame: `frames/${stem}.png`,
      spectrogram: `spectrograms/${stem}.png`,
      audioRms: Number(rms.toFixed(5)),
    });
  }
  await writeFileAtomic(join(dir, "card.json"), JSON.stringify(card, null, 2) + "\n");
  await writeFileAtomic(join(dir, "README.md"), markdown(card, split));
  return card;
}

function markdown(card: DatasetCard, split: SplitName): string {
  const header = ["| class | train | val | test |", "| --- | ---: | ---: | ---: |"];
  const rows = card.classes.map((name, c) =>
    `| ${escapeMarkdown(name)} | ${card.splits.train.classCounts[c]} | ${card.splits.val.classCounts[c]} | ${
      card.splits.test.classCounts[c]
    } |`
  );
  const examples = card.examples.map((e) =>
    `| ${escapeMarkdown(e.className)} | ${
      escapeMarkdown(e.id)
    } | ![frame](${e.frame}) | ![spectrogram](${e.spectrogram}) | ${e.audioRms} |`
  );
  return [
    `# Dataset card: ${escapeMarkdown(card.name)}`,
    "",
    `- hash: \`${card.hash}\``,
    `- audio: ${card.audioLength} samples at ${card.sampleRate} Hz (${
      (card.audioLength / card.sampleRate).toFixed(2)
    } s)`,
    `- frames: ${card.imageShape.join(" x ")} (height x width x channels)`,
    `- sizes: train ${card.splits.train.size}, val ${card.splits.val.size}, test ${card.splits.test.size}`,
    `- skipped clips: ${card.skipped}`,
    "",
    "## Class balance",
    "",
    ...header,
    ...rows,
    "",
    `## Examples (first of each class in the ${split} split)`,
    "",
    "| class | id | frame | log-spectrogram | audio RMS |",
    "| --- | --- | --- | --- | ---: |",
    ...examples,
    "",
  ].join("\n");
}
