/**
 * The `av-instruments` generator (MUSIC-like): instrument pictures in five art styles on cluttered
 * backgrounds, paired with phrases rendered from General MIDI soundfonts, each modality degraded
 * independently per clip.
 *
 * @module
 */
import { createRng } from "../../engine/random.ts";
import type { BuiltinDegradation } from "./_modes.ts";
import { generateSplits } from "./_generate.ts";
import { ICON_STYLES, loadIconSprites } from "./_icons.ts";
import { createPhraseRenderer } from "./_synth.ts";
import { type InstrumentVoice, renderInstrumentAudio } from "./_instruments_audio.ts";
import { renderInstrumentFrame } from "./_instruments_visual.ts";
import { renderDuetFrame } from "./_instruments_duet.ts";
import type { BuiltinBuildOptions, BuiltinSize, GeneratedDataset, SplitCounts } from "./_types.ts";

const pitched = (programs: number[], range: [number, number], chords = false): InstrumentVoice => ({
  programs,
  drumKeys: [],
  range,
  chords,
});
const percussion = (drumKeys: number[]): InstrumentVoice => ({
  programs: [],
  drumKeys,
  range: [0, 127],
  chords: false,
});

/** The solo scenes' default degradation (see `AV_INSTRUMENTS.degradation`). */
const DEGRADATION = {
  audio: {
    modes: { clean: 0.55, hard: 0.25, absent: 0.1, misleading: 0.1 },
    cleanSnrDb: [5, 20],
    hardSnrDb: [-8, 0],
    distractorProbability: 0.25,
    distractorGainDb: [-12, -6],
  },
  visual: {
    modes: { clean: 0.7, hard: 0.15, absent: 0.08, misleading: 0.07 },
    cleanNoise: [0, 0.05],
    hardNoise: [0.03, 0.08],
    distractorProbability: 0.3,
  },
} satisfies BuiltinDegradation;

/** Every clip clean. */
const ALL_CLEAN = { clean: 1, hard: 0, absent: 0, misleading: 0 };

/**
 * Fixed facts and defaults of `av-instruments`.
 *
 * @example Classes and styles
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(AV_INSTRUMENTS.classes.length, 10);
 * assert.ok(AV_INSTRUMENTS.styles.includes("game-icons"));
 * ```
 */
export const AV_INSTRUMENTS = Object.freeze({
  /** Class names (MIT-MUSIC names where MUSIC has the instrument; `guitar` stands for MUSIC's acoustic_guitar). */
  classes: [
    "accordion",
    "banjo",
    "drum",
    "flute",
    "guitar",
    "maracas",
    "piano",
    "saxophone",
    "trumpet",
    "violin",
  ],
  /** Icon name of each class (the same name in all five iconify sets). */
  icons: [
    "accordion",
    "banjo",
    "drum",
    "flute",
    "guitar",
    "maracas",
    "musical-keyboard",
    "saxophone",
    "trumpet",
    "violin",
  ],
  /** How each class sounds: GM programs (0-based) and key range, or GM percussion keys. */
  voices: [
    pitched([21, 23], [55, 81], true),
    pitched([105], [55, 79]),
    percussion([35, 36, 38, 40, 41, 43, 45, 47, 48, 50]),
    pitched([73, 72], [67, 93]),
    pitched([24, 25, 26, 27], [45, 76], true),
    percussion([69, 70]),
    pitched([0, 1, 2], [40, 84], true),
    pitched([64, 65, 66], [50, 76]),
    pitched([56, 59], [58, 80]),
    pitched([40, 110], [60, 88]),
  ] as readonly InstrumentVoice[],
  /** Art styles (iconify sets); every class is drawn in each with equal probability. */
  styles: [...ICON_STYLES] as string[],
  /** Audio sample rate in Hz. */
  sampleRate: 11025,
  /** 1 s waveforms. */
  audioLength: 11025,
  /** RGB frames. */
  imageShape: [40, 40, 3] as const,
  /** Samples per split for each size (balanced over the 10 classes). */
  sizes: {
    smoke: { train: 120, val: 40, test: 40 },
    default: { train: 6000, val: 1000, test: 1000 },
  } satisfies Record<BuiltinSize, SplitCounts>,
  /**
   * Samples per split of the `duet` scenes: the localization study trains one localizer on them and
   * measures its first test samples, so `default` is smaller than the solo set (it converges on a single
   * art style, and the stage has a five-minute budget).
   */
  duetSizes: {
    smoke: { train: 120, val: 40, test: 40 },
    default: { train: 3000, val: 500, test: 500 },
  } satisfies Record<BuiltinSize, SplitCounts>,
  /**
   * Default degradation: audio clean 0.55 / hard 0.25 / absent 0.1 / misleading 0.1; visual clean 0.7 /
   * hard 0.15 / absent 0.08 / misleading 0.07 (clean frames are harder to learn than clean phrases).
   */
  degradation: DEGRADATION,
  /**
   * Default degradation of the `duet` scenes: every clip clean in both modalities (the localization study
   * measures where a heard, visible instrument is; the classification study's hard, absent and misleading
   * modes would leave a sample without a sounding instrument, or one barely heard).
   */
  duetDegradation: {
    audio: { ...DEGRADATION.audio, modes: ALL_CLEAN },
    visual: { ...DEGRADATION.visual, modes: ALL_CLEAN },
  } satisfies BuiltinDegradation,
});

/**
 * How `av-instruments` frames are composed.
 * - `solo`: one main instrument, big and near the centre, sometimes a smaller distractor (the
 *   classification study's frames).
 * - `duet`: two instruments of different classes side by side, each filling one half of the frame (left
 *   and right, or top and bottom, at random), only one of them sounding (the localization study's frames:
 *   the box is 30–45 % of the frame, and only the sound tells which half it is in). Both instruments are
 *   drawn in one art style in their own colours, and every clip is clean by default
 *   ({@linkcode AV_INSTRUMENTS}`.duetDegradation`); with other modes, a duet sample has a box only when its
 *   instrument is both drawn and heard (visual and audio modes clean or hard).
 */
export type InstrumentScene = "solo" | "duet";

/** Options of {@linkcode buildAvInstruments}. */
export interface AvInstrumentsOptions extends BuiltinBuildOptions<BuiltinDegradation> {
  /** Frame composition. @default "solo" */
  scene?: InstrumentScene;
}

/**
 * Generates `av-instruments` in memory (no cache). Each sample records the box of the sounding
 * instrument (`-1` rows when it is not visible) and its art style.
 *
 * @param options Size, seed, degradation, scene, progress.
 * @returns The generated arrays.
 * @throws {DataFormatError} If a soundfont or icon package is not installed or is damaged.
 *
 * @example Build a tiny set
 * ```ts ignore
 * const data = await buildAvInstruments({ counts: { train: 20, val: 10, test: 10 } });
 * console.log(data.splits.train.boxes?.length); // 80
 * ```
 */
export async function buildAvInstruments(options: AvInstrumentsOptions = {}): Promise<GeneratedDataset> {
  const { size = "default", seed = 0, onProgress, scene = "solo" } = options;
  const degradation = options.degradation ??
    (scene === "duet" ? AV_INSTRUMENTS.duetDegradation : AV_INSTRUMENTS.degradation);
  const counts = options.counts ?? (scene === "duet" ? AV_INSTRUMENTS.duetSizes : AV_INSTRUMENTS.sizes)[size];
  const { sampleRate, audioLength, imageShape, voices, classes } = AV_INSTRUMENTS;
  const side = imageShape[0];
  onProgress?.({ stage: "load assets", done: 0, total: 2 });
  const sprites = await loadIconSprites(AV_INSTRUMENTS.icons, 64);
  const render = await createPhraseRenderer(sampleRate);
  onProgress?.({ stage: "load assets", done: 2, total: 2 });
  const splits = generateSplits(createRng(seed), counts, {
    numClasses: classes.length,
    degradation,
    onProgress,
    allocate: (labels) => ({
      audio: new Float32Array(labels.length * audioLength),
      visual: new Float32Array(labels.length * side * side * 3),
      labels,
      boxes: new Float32Array(labels.length * 4).fill(-1),
      conditions: {
        audioMode: new Uint8Array(labels.length),
        visualMode: new Uint8Array(labels.length),
        style: new Uint8Array(labels.length),
      },
    }),
    render(out, { index: i, label, rng, audioMode, visualMode }) {
      out.audio.set(
        renderInstrumentAudio(
          label,
          audioMode,
          voices,
          render,
          audioLength,
          sampleRate,
          degradation.audio,
          rng.fork("audio"),
        ),
        i * audioLength,
      );
      const { frame, box, style } = (scene === "duet" ? renderDuetFrame : renderInstrumentFrame)(
        label,
        visualMode,
        sprites,
        side,
        degradation.visual,
        rng.fork("visual"),
      );
      out.visual.set(frame, i * frame.length);
      // In a duet only an instrument that is heard is "the sounding one": with absent or misleading audio
      // neither half sounds, so the sample has no box (as localization benchmarks annotate audible sources).
      const audible = scene === "solo" || audioMode === "clean" || audioMode === "hard";
      if (box && audible) out.boxes?.set(box, i * 4);
      if (out.conditions.style) out.conditions.style[i] = style;
    },
  });
  return {
    classes: [...classes],
    sampleRate,
    audioLength,
    imageShape,
    styles: [...AV_INSTRUMENTS.styles],
    splits,
  };
}
