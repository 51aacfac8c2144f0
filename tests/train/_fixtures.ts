/**
 * A tiny synthetic, memory-backed audio-visual dataset for model and training tests. The class is split
 * across modalities: the audio tone says whether the class is in {0, 1} or {2, 3}; the frame's bright
 * half (left or right) says whether it is even or odd. Only a model that uses both can reach 100%.
 */
import { createRng } from "../../lib/engine/random.ts";
import type { ModelConfigInput } from "../../lib/models/config.ts";
import type { AvDataset, AvSample, AvSplit, SampleOptions, SplitName } from "../../lib/data/types.ts";

/** Options of {@linkcode syntheticDataset}. */
export interface SyntheticOptions {
  sizes?: Partial<Record<SplitName, number>>;
  audioLength?: number;
  imageShape?: [number, number, number];
  seed?: number;
}

function makeSample(
  id: string,
  label: number,
  audioLength: number,
  imageShape: readonly number[],
  seed: number,
) {
  const rng = createRng(seed);
  const frequency = label < 2 ? 0.05 : 0.2; // cycles per sample
  const phase = rng.range(0, 2 * Math.PI);
  const audio = Float32Array.from(
    { length: audioLength },
    (_, t) => 0.5 * Math.sin(2 * Math.PI * frequency * t + phase) + 0.1 * rng.normal(),
  );
  const [height, width, channels] = imageShape as [number, number, number];
  const visual = new Float32Array(height * width * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bright = (x < width / 2) === (label % 2 === 0);
      for (let c = 0; c < channels; c++) {
        visual[(y * width + x) * channels + c] = Math.min(
          1,
          Math.max(0, (bright ? 0.7 : 0.3) + 0.1 * rng.normal()),
        );
      }
    }
  }
  return { id, label, audio, visual };
}

function memorySplit(
  name: SplitName,
  size: number,
  audioLength: number,
  imageShape: readonly number[],
  seed: number,
) {
  const labels = Int32Array.from({ length: size }, (_, i) => i % 4);
  const samples = Array.from(
    { length: size },
    (_, i) => makeSample(`${name}-${i}`, labels[i] as number, audioLength, imageShape, seed * 7919 + i),
  );
  const split: AvSplit = {
    size,
    labels,
    sample(index: number, options: SampleOptions = {}): Promise<AvSample> {
      const base = samples[index];
      if (!base) return Promise.reject(new RangeError(`Cannot read sample ${index}: the split has ${size}`));
      if (!options.augment) return Promise.resolve(base);
      if (!options.rng) return Promise.reject(new TypeError("Cannot augment: rng is required"));
      const gain = options.rng.range(0.5, 1.5);
      return Promise.resolve({ ...base, audio: base.audio.map((v) => Math.max(-1, Math.min(1, v * gain))) });
    },
  };
  return split;
}

/** A 4-class synthetic dataset (deterministic for a seed). */
export function syntheticDataset(options: SyntheticOptions = {}): AvDataset {
  const { audioLength = 256, imageShape = [8, 8, 1], seed = 1 } = options;
  const sizes = { train: 64, val: 32, test: 32, ...options.sizes };
  return {
    name: "synthetic",
    classes: ["low-left", "low-right", "high-left", "high-right"],
    sampleRate: 8000,
    audioLength,
    imageShape,
    splits: {
      train: memorySplit("train", sizes.train, audioLength, imageShape, seed),
      val: memorySplit("val", sizes.val, audioLength, imageShape, seed + 1),
      test: memorySplit("test", sizes.test, audioLength, imageShape, seed + 2),
    },
    hash: `synthetic-${seed}-${audioLength}-${
      imageShape.join("x")
    }-${sizes.train}-${sizes.val}-${sizes.test}`,
    skipped: [],
  };
}

/**
 * A tiny model config for the synthetic data (fast on cpu and wasm). Spread it into a model config; the
 * log-mel front end gives 15 frames for 256 samples.
 */
export const TINY_MODEL: Required<Pick<ModelConfigInput, "audio" | "visual" | "fusionOptions">> = {
  audio: {
    frontEnd: { kind: "logMel", fftSize: 32, hopSize: 16, melBins: 8, minFrequency: 0 },
    widths: [4, 8],
  },
  visual: { stemWidth: 4, stemStride: 1, widths: [4, 8], blocks: [1, 1], strides: [1, 2] },
  fusionOptions: { hiddenSize: 8 },
};
