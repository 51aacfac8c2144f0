/**
 * The degradation config shared by the built-in datasets: per clip, each modality independently draws a
 * mode (clean / hard / absent / misleading), so that each modality alone is unreliable and combining
 * them helps.
 *
 * @module
 */
import type { Rng } from "../../engine/random.ts";

/** How one modality of a clip is degraded. Codes stored per sample: clean 0, hard 1, absent 2, misleading 3. */
export type DegradationMode = "clean" | "hard" | "absent" | "misleading";

/** All modes, in code order. */
export const DEGRADATION_MODES: readonly DegradationMode[] = ["clean", "hard", "absent", "misleading"];

/** The code stored per sample for a mode (its index in {@linkcode DEGRADATION_MODES}). */
export function modeCode(mode: DegradationMode): number {
  return DEGRADATION_MODES.indexOf(mode);
}

/** Probabilities of the four modes of one modality; they must sum to 1. */
export interface ModeMix {
  /** The class is present with mild noise: a unimodal model should get it right. */
  clean: number;
  /** The class is present but heavily degraded (low SNR, filtering, cut-outs / noise, blur, occlusion). */
  hard: number;
  /** The class is missing: only background (noise, clutter). */
  absent: number;
  /** The class is missing and another class is present instead, degraded as in `hard`. */
  misleading: number;
}

/** Audio degradation knobs. */
export interface AudioDegradation {
  /** Mode probabilities. */
  modes: ModeMix;
  /** Signal-to-noise ratio range in dB of the background noise in clean clips. */
  cleanSnrDb: readonly [number, number];
  /** Signal-to-noise ratio range in dB in hard and misleading clips. */
  hardSnrDb: readonly [number, number];
  /** Probability that a quieter sound of another class is mixed into a clean or hard clip. */
  distractorProbability: number;
  /** Level range in dB of that distractor relative to the target sound. */
  distractorGainDb: readonly [number, number];
}

/** Visual degradation knobs. */
export interface VisualDegradation {
  /** Mode probabilities. */
  modes: ModeMix;
  /** Standard deviation range of additive pixel noise in clean frames (pixels in [0, 1]). */
  cleanNoise: readonly [number, number];
  /** Standard deviation range of additive pixel noise in hard and misleading frames. */
  hardNoise: readonly [number, number];
  /** Probability that a smaller, fainter object of another class appears in a clean or hard frame. */
  distractorProbability: number;
}

/** Degradation of both modalities. */
export interface BuiltinDegradation {
  /** Audio knobs. */
  audio: AudioDegradation;
  /** Visual knobs. */
  visual: VisualDegradation;
}

/** Overrides of a {@linkcode BuiltinDegradation}: fields left out keep the dataset's defaults. */
export interface BuiltinDegradationOverrides {
  /** Audio overrides (a `modes` given must be complete). */
  audio?: Partial<AudioDegradation>;
  /** Visual overrides (a `modes` given must be complete). */
  visual?: Partial<VisualDegradation>;
}

/** Draws one mode from `mix`. */
export function drawMode(mix: ModeMix, rng: Rng): DegradationMode {
  let u = rng.uniform();
  for (const mode of DEGRADATION_MODES) {
    u -= mix[mode];
    if (u < 0) return mode;
  }
  return "clean";
}

function checkMix(mix: ModeMix, where: string): void {
  let sum = 0;
  for (const mode of DEGRADATION_MODES) {
    const p = mix[mode];
    if (typeof p !== "number" || !(p >= 0 && p <= 1)) {
      throw new RangeError(
        `Cannot use the degradation config: ${where}.modes.${mode} must be in [0, 1], current value is ${p}`,
      );
    }
    sum += p;
  }
  if (Math.abs(sum - 1) > 1e-6) {
    throw new RangeError(
      `Cannot use the degradation config: ${where}.modes must sum to 1, current value is ${sum}`,
    );
  }
}

function checkRange(range: readonly [number, number], where: string): void {
  if (!Array.isArray(range) || range.length !== 2 || !(range[0] <= range[1])) {
    throw new RangeError(
      `Cannot use the degradation config: ${where} must be [low, high] with low <= high, current value is ${
        JSON.stringify(range)
      }`,
    );
  }
}

function checkProbability(p: number, where: string): void {
  if (!(p >= 0 && p <= 1)) {
    throw new RangeError(
      `Cannot use the degradation config: ${where} must be in [0, 1], current value is ${p}`,
    );
  }
}

/** Merges `overrides` into `defaults`, validates, and returns a frozen complete config. */
export function resolveDegradation(
  defaults: BuiltinDegradation,
  overrides: BuiltinDegradationOverrides = {},
): BuiltinDegradation {
  const audio: AudioDegradation = { ...defaults.audio, ...overrides.audio };
  const visual: VisualDegradation = { ...defaults.visual, ...overrides.visual };
  checkMix(audio.modes, "audio");
  checkMix(visual.modes, "visual");
  checkRange(audio.cleanSnrDb, "audio.cleanSnrDb");
  checkRange(audio.hardSnrDb, "audio.hardSnrDb");
  checkRange(audio.distractorGainDb, "audio.distractorGainDb");
  checkProbability(audio.distractorProbability, "audio.distractorProbability");
  checkRange(visual.cleanNoise, "visual.cleanNoise");
  checkRange(visual.hardNoise, "visual.hardNoise");
  checkProbability(visual.distractorProbability, "visual.distractorProbability");
  return Object.freeze({
    audio: Object.freeze({ ...audio, modes: Object.freeze({ ...audio.modes }) }),
    visual: Object.freeze({ ...visual, modes: Object.freeze({ ...visual.modes }) }),
  });
}

/** A uniform draw from a `[low, high]` range. */
export function drawRange(rng: Rng, range: readonly [number, number]): number {
  return rng.range(range[0], range[1]);
}

/** A class other than `label`, uniformly. */
export function otherClass(label: number, classes: number, rng: Rng): number {
  return (label + 1 + rng.int(classes - 1)) % classes;
}
