/**
 * The paper's per-sample sampling (AV-Robustness-CVPR21 `dataset/music.py`, `dataset/base.py`): which frame,
 * which audio window around it, random gain, clipping.
 *
 * @module
 */
import type { Rng } from "../../engine/random.ts";
import { DataFormatError } from "../errors.ts";
import type { SampleOptions } from "../types.ts";

/** Frames excluded at each end at training time: 3 s at 8 fps. */
export const TRAIN_FRAME_MARGIN = 24;

/**
 * The 1-based frame index used for a clip of `frameCount` frames: `frameCount // 2` at test time; uniform in
 * [margin + 1, frameCount − margin] at training time, with the margin shrunk for clips shorter than 49 frames.
 */
export function pickFrame(frameCount: number, rng: Rng | undefined): number {
  if (!rng) return Math.max(1, Math.floor(frameCount / 2));
  const margin = Math.max(0, Math.min(TRAIN_FRAME_MARGIN, Math.floor((frameCount - 1) / 2)));
  const low = margin + 1, high = frameCount - margin;
  return low + rng.int(high - low + 1);
}

/**
 * Cuts `length` samples centred on `centreSeconds` (sample ⌊t·rate⌋ lands at index ⌊length/2⌋), tiling the
 * waveform first when it is shorter than `length`, and zero-padding where the window leaves the
 * waveform. (The reference code leaves the window's last sample at zero; here it is filled too.)
 * Returns undefined when the window misses the waveform entirely (the caller reports it: never silence).
 */
export function audioWindow(
  waveform: Float32Array,
  centreSeconds: number,
  sampleRate: number,
  length: number,
): Float32Array | undefined {
  let source = waveform;
  if (waveform.length > 0 && waveform.length < length) {
    const copies = Math.floor(length / waveform.length) + 1;
    source = new Float32Array(waveform.length * copies);
    for (let i = 0; i < copies; i++) source.set(waveform, i * waveform.length);
  }
  const out = new Float32Array(length);
  const start = Math.floor(centreSeconds * sampleRate) - Math.floor(length / 2);
  const from = Math.max(0, start), to = Math.min(source.length, start + length);
  if (to <= from) return undefined;
  out.set(source.subarray(from, to), from - start);
  return out;
}

/** Applies the training gain (uniform in [0.5, 1.5)) when `rng` is given, then clips to [-1, 1] in place. */
export function gainAndClip(audio: Float32Array, rng: Rng | undefined): Float32Array {
  const gain = rng ? rng.range(0.5, 1.5) : 1;
  for (let i = 0; i < audio.length; i++) audio[i] = Math.max(-1, Math.min(1, (audio[i] as number) * gain));
  return audio;
}

/** The rng to augment with, or undefined at test time; throws when augmentation lacks an rng. */
export function augmentRng(options: SampleOptions, what: string): Rng | undefined {
  if (!options.augment) return undefined;
  if (!options.rng) throw new TypeError(`Cannot read ${what}: augment needs an rng`);
  return options.rng;
}

/** {@linkcode audioWindow}, raising a DataFormatError naming `path` when the window misses the audio. */
export function audioWindowOrThrow(
  path: string,
  waveform: Float32Array,
  centreSeconds: number,
  sampleRate: number,
  length: number,
): Float32Array {
  const window = audioWindow(waveform, centreSeconds, sampleRate, length);
  if (window) return window;
  throw new DataFormatError(
    path,
    `Cannot cut audio: the audio ends at ${
      (waveform.length / sampleRate).toFixed(3)
    } s, before the window around ${centreSeconds.toFixed(3)} s`,
  );
}
