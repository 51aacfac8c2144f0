/**
 * Model configs: the typed, JSON-serialisable description every model is built from, with presets.
 *
 * @module
 */
import type { AudioEncoderConfig } from "./audio_encoder.ts";
import { isFusionName } from "./fusions/registry.ts";
import type { FusionName, FusionOptions } from "./fusions/types.ts";
import type { VisualEncoderConfig } from "./visual_encoder.ts";

/** Which encoders a model has. */
export type ModelKind = "audio" | "visual" | "av";

/** Named settings. `small`: built-in data, fast on wasm. `paper`: ANet 64..512 + ResNet-18, as released. */
export type ModelPreset = "small" | "paper";

/** A complete model config (what {@linkcode resolveModelConfig} returns and checkpoints store). */
export type ModelConfig = {
  /** The preset the defaults came from. */
  preset: ModelPreset;
  kind: ModelKind;
  /** The fusion of an `av` model; `"none"` for unimodal models. */
  fusion: FusionName | "none";
  numClasses: number;
  /** Samples per waveform. */
  audioLength: number;
  /** Audio sample rate in Hz (the log-mel front end's frequency axis). */
  sampleRate: number;
  /** Frame shape `[height, width, channels]`. */
  imageShape: [number, number, number];
  audio: AudioEncoderConfig;
  visual: VisualEncoderConfig;
  fusionOptions: FusionOptions;
  /** Seed of the parameter initialisation. */
  seed: number;
};

/** What a caller gives; everything but `kind` and `numClasses` has a preset default. */
export type ModelConfigInput = {
  /** @default "small" */
  preset?: ModelPreset;
  kind: ModelKind;
  /** @default "concat" for `av`, `"none"` otherwise */
  fusion?: FusionName | "none";
  numClasses: number;
  /** @default 8000 (small), 65535 (paper) */
  audioLength?: number;
  /** @default 8000 (small), 11025 (paper) */
  sampleRate?: number;
  /** @default [28, 28, 1] (small), [224, 224, 3] (paper) */
  imageShape?: readonly [number, number, number];
  audio?: Partial<AudioEncoderConfig>;
  visual?: Partial<VisualEncoderConfig>;
  fusionOptions?: Partial<FusionOptions>;
  /** @default 1234 (the paper's seed) */
  seed?: number;
};

const IMAGENET_MEAN = [0.485, 0.456, 0.406];
const IMAGENET_STD = [0.229, 0.224, 0.225];

/** Preset defaults (mean/std are filled per channel count by {@linkcode resolveModelConfig}). */
export const MODEL_PRESETS: Readonly<
  Record<
    ModelPreset,
    Omit<ModelConfig, "kind" | "fusion" | "numClasses" | "seed" | "visual" | "preset"> & {
      visual: Omit<VisualEncoderConfig, "mean" | "std">;
    }
  >
> = Object.freeze({
  small: {
    audioLength: 8000,
    sampleRate: 8000,
    imageShape: [28, 28, 1],
    audio: {
      frontEnd: { kind: "logMel", fftSize: 256, hopSize: 128, melBins: 40, minFrequency: 0 },
      // The last width equals the visual one, so cos(f_a, f_v) (the paper's analysis, the defense) is defined.
      widths: [16, 32, 32],
      convsPerBlock: 2,
      kernelSize: 3,
      stride: 1,
      poolSize: 2,
    },
    visual: {
      stemWidth: 8,
      stemKernel: 3,
      stemStride: 2,
      stemMaxPool: false,
      widths: [8, 16, 32],
      blocks: [1, 1, 1],
      strides: [1, 2, 2],
    },
    fusionOptions: { hiddenSize: 64, conditioning: "audio" },
  },
  paper: {
    audioLength: 65535,
    sampleRate: 11025,
    imageShape: [224, 224, 3],
    audio: {
      frontEnd: { kind: "waveform" },
      widths: [64, 128, 256, 512],
      convsPerBlock: 2,
      kernelSize: 3,
      stride: 2,
      poolSize: 2,
    },
    visual: {
      stemWidth: 64,
      stemKernel: 7,
      stemStride: 2,
      stemMaxPool: true,
      widths: [64, 128, 256, 512],
      blocks: [2, 2, 2, 2],
      strides: [1, 2, 2, 2],
    },
    fusionOptions: { hiddenSize: 512, conditioning: "audio" },
  },
});

function positiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(
      `Cannot build a model: ${name} must be a positive integer, current value is ${value}`,
    );
  }
}

/**
 * Fills a config from its preset and checks it. Mean/std default to ImageNet's for 3-channel frames in the
 * `paper` preset, else 0.5/0.5 per channel. The result is a fresh, JSON-serialisable object.
 *
 * @param input The caller's config.
 * @returns The complete config.
 * @throws {RangeError} If a field is out of range or the fusion does not fit the kind.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const config = resolveModelConfig({ kind: "av", numClasses: 10 });
 * assert.equal(config.fusion, "concat");
 * assert.deepEqual(config.visual.mean, [0.5]);
 * assert.equal(resolveModelConfig({ preset: "paper", kind: "audio", numClasses: 11 }).audioLength, 65535);
 * ```
 */
export function resolveModelConfig(input: ModelConfigInput | ModelConfig): ModelConfig {
  const preset = input.preset ?? "small";
  const defaults = MODEL_PRESETS[preset];
  if (defaults === undefined) throw new RangeError(`Cannot build a model: unknown preset '${preset}'`);
  const { kind, numClasses } = input;
  if (kind !== "audio" && kind !== "visual" && kind !== "av") {
    throw new RangeError(
      `Cannot build a model: kind must be 'audio', 'visual' or 'av', current value is '${kind}'`,
    );
  }
  const fusion = input.fusion ?? (kind === "av" ? "concat" : "none");
  if (kind === "av" && !isFusionName(fusion)) {
    throw new RangeError(`Cannot build an av model: unknown fusion '${fusion}'`);
  }
  if (kind !== "av" && fusion !== "none") {
    throw new RangeError(`Cannot build a ${kind} model: fusion must be 'none', current value is '${fusion}'`);
  }
  positiveInteger("numClasses", numClasses);
  const audioLength = input.audioLength ?? defaults.audioLength;
  positiveInteger("audioLength", audioLength);
  const sampleRate = input.sampleRate ?? defaults.sampleRate;
  positiveInteger("sampleRate", sampleRate);
  const imageShape: [number, number, number] = [...(input.imageShape ?? defaults.imageShape)];
  if (imageShape.length !== 3) {
    throw new RangeError(`Cannot build a model: imageShape must be [height, width, channels]`);
  }
  imageShape.forEach((size, i) => positiveInteger(`imageShape[${i}]`, size));
  const channels = imageShape[2];
  const imagenet = preset === "paper" && channels === 3;
  const seed = input.seed ?? 1234;
  if (!Number.isInteger(seed)) {
    throw new RangeError(`Cannot build a model: seed must be an integer, current value is ${seed}`);
  }
  const copy = <T>(value: T): T => structuredClone(value);
  return {
    preset,
    kind,
    fusion,
    numClasses,
    audioLength,
    sampleRate,
    imageShape,
    audio: copy({ ...defaults.audio, ...input.audio }),
    visual: copy({
      ...defaults.visual,
      mean: imagenet ? IMAGENET_MEAN : Array(channels).fill(0.5),
      std: imagenet ? IMAGENET_STD : Array(channels).fill(0.5),
      ...input.visual,
    }),
    fusionOptions: copy({ ...defaults.fusionOptions, ...input.fusionOptions }),
    seed,
  };
}
