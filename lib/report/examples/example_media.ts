/**
 * The media of the adversarial examples, rendered from their data: per sample and setting, WAV files
 * (clean, adversarial, the perturbation amplified), log-mel spectrograms with axes (SVG) and frame PNGs.
 * The page, the notebooks and the files under `examples/` all draw on this one rendering.
 *
 * @module
 */
import type { Budget } from "../../attacks/mod.ts";
import { encodePng, encodeWav } from "../../data/mod.ts";
import { SETTING_LABELS, visualBudgetText } from "../labels.ts";
import { amplify } from "./amplify.ts";
import { framePanels } from "./frame_panels.ts";
import { frameImage } from "./frame_image.ts";
import { logMelSpectrogram, type LogMelSpectrogramOptions } from "./log_mel_spectrogram.ts";
import { unpackFloats } from "./packed_floats.ts";
import { spectrogramSvg } from "./spectrogram_svg.ts";
import type { ExamplePrediction, ExampleSet, ExampleSetting } from "./types.ts";
import { slug } from "./_slug.ts";

/** Options of {@linkcode exampleMedia}. */
export interface ExampleMediaOptions {
  /** Peak of the amplified audio perturbation (full scale is 1). @default 0.5 */
  audioPeak?: number;
  /** Peak deviation from mid-grey of the amplified frame perturbation. @default 0.5 */
  framePeak?: number;
  /** Smallest displayed side of a frame, in pixels. @default 140 */
  frameSize?: number;
  /** Settings of the log-mel spectrograms. @default 40 bands, 25 ms frames, 75% overlap */
  spectrogram?: LogMelSpectrogramOptions;
  /** dB span of the spectrograms' colour scales. @default 80 */
  dynamicRange?: number;
}

/** One rendered file. */
export interface ExampleMedia {
  /** File name in the sample's folder, e.g. `audio-adversarial.wav`. */
  file: string;
  /** Media type. */
  mime: "audio/wav" | "image/png" | "image/svg+xml";
  /** The file's bytes. */
  bytes: Uint8Array;
  /** Caption, plain text. */
  caption: string;
  /** `[width, height]` of an image, in pixels. */
  size?: [number, number];
}

/** One row of a sample: clean, or one attacked setting. */
export interface ExampleRow {
  /** `clean` or the attacked modalities. */
  setting: "clean" | ExampleSetting;
  /** Heading, e.g. `A-attack (ε_a = 0.012)`. */
  title: string;
  /** The model's prediction on the row's inputs. */
  prediction: ExamplePrediction;
  /** Audio files first, then images. */
  media: ExampleMedia[];
  /** Amplification of the perturbations shown, per modality. */
  factors: { audio?: number; frame?: number };
}

/** The rendered media of one sample. */
export interface ExampleView {
  /** Folder of its files relative to the examples folder: `<dataset>/<k>-<id>`. */
  folder: string;
  /** Sample id. */
  id: string;
  /** True class name. */
  label: string;
  /** Clean first, then each attacked setting. */
  rows: ExampleRow[];
}

/** The budget of a row title, e.g. `L∞, ε_a = 0.006, ε_v = 0.006 normalised = 0.77/255 per pixel`. */
function budgetText(budget: Budget, std: readonly number[] | undefined): string {
  const norm = budget.norm === "linf" ? "L∞" : "L2";
  const parts = [
    ...(budget.audio > 0 ? [`ε_a = ${budget.audio}`] : []),
    ...(budget.visual > 0 ? [visualBudgetText(budget.visual, budget.visualUnits, std)] : []),
  ];
  return `${norm}, ${parts.join(", ")}`;
}

function wav(samples: Float32Array, sampleRate: number): Uint8Array {
  return encodeWav([samples], sampleRate, { format: "pcm16" });
}

/**
 * Renders the media of every sample of a set: per row (clean, then each setting) the audio the model
 * heard as 16-bit WAV at the dataset's rate, the audio perturbation amplified to `audioPeak` (factor in
 * its caption), log-mel spectrograms of clean and adversarial audio on one colour scale per sample and
 * of the perturbation on its own, and the frame, the adversarial frame and its amplified perturbation.
 * Only what a setting changed is shown in its row.
 *
 * @param set The examples of one dataset.
 * @param options Amplification, frame size, spectrogram settings.
 * @returns One view per sample.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { packFloats } from "./packed_floats.ts";
 * const p = { predicted: 0, confidence: 0.9, trueConfidence: 0.9 };
 * const views = exampleMedia({ dataset: "d", model: "av-concat", attack: "pgd", classes: ["a", "b"],
 *   sampleRate: 8000, frameShape: [2, 2, 1], selection: "first", samples: [{ id: "s", index: 0, label: 0,
 *   audio: packFloats(new Float32Array(800)), frame: packFloats([0, 1, 1, 0]), clean: p, attacks: [] }] });
 * assert.deepEqual(views[0]?.rows[0]?.media.map((m) => m.file), ["clean.wav", "clean-mel.svg", "clean-frame.png"]);
 * ```
 */
export function exampleMedia(set: ExampleSet, options: ExampleMediaOptions = {}): ExampleView[] {
  const { audioPeak = 0.5, framePeak = 0.5, frameSize = 140, spectrogram = {}, dynamicRange = 80 } = options;
  const { sampleRate, frameShape } = set;
  const mel = (samples: Float32Array) => logMelSpectrogram(samples, sampleRate, spectrogram);
  const png = (
    image: { width: number; height: number; data: Float32Array },
    file: string,
    caption: string,
  ) => ({
    file,
    mime: "image/png" as const,
    bytes: encodePng(image),
    caption,
    size: [image.width, image.height] as [number, number],
  });
  const svg = (markup: string, file: string, caption: string) => ({
    file,
    mime: "image/svg+xml" as const,
    bytes: new TextEncoder().encode(markup),
    caption,
  });
  return set.samples.map((sample, k) => {
    const label = set.classes[sample.label] ?? String(sample.label);
    const clean = unpackFloats(sample.audio);
    const frame = unpackFloats(sample.frame);
    const adversarial = sample.attacks.map((a) => (a.audio === null ? null : unpackFloats(a.audio)));
    const cleanMel = mel(clean);
    const adversarialMels = adversarial.map((audio) => (audio === null ? null : mel(audio)));
    let top = -Infinity;
    for (const s of [cleanMel, ...adversarialMels]) for (const v of s?.values ?? []) top = Math.max(top, v);
    const range: [number, number] = [top - dynamicRange, top];
    const rows: ExampleRow[] = [{
      setting: "clean",
      title: "clean",
      prediction: sample.clean,
      factors: {},
      media: [
        { file: "clean.wav", mime: "audio/wav", bytes: wav(clean, sampleRate), caption: "clean audio" },
        svg(
          spectrogramSvg(cleanMel, { title: "clean", range }),
          "clean-mel.svg",
          "log-mel spectrogram, clean",
        ),
        png(frameImage(frame, frameShape, { minSize: frameSize }), "clean-frame.png", "clean frame"),
      ],
    }];
    sample.attacks.forEach((attack, a) => {
      const name = attack.setting;
      const media: ExampleMedia[] = [];
      const factors: ExampleRow["factors"] = {};
      const audio = adversarial[a], audioMel = adversarialMels[a];
      if (audio && audioMel) {
        const delta = audio.map((v, i) => v - (clean[i] as number));
        const loud = amplify(delta, { peak: audioPeak });
        factors.audio = loud.factor;
        const times = `×${formatFactor(loud.factor)}`;
        media.push(
          {
            file: `${name}-adversarial.wav`,
            mime: "audio/wav",
            bytes: wav(audio, sampleRate),
            caption: "adversarial audio",
          },
          {
            file: `${name}-perturbation.wav`,
            mime: "audio/wav",
            bytes: wav(loud.values, sampleRate),
            caption: `perturbation ${times} (peak ${formatFactor(loud.inputPeak)} → ${audioPeak})`,
          },
          svg(
            spectrogramSvg(audioMel, { title: "adversarial", range }),
            `${name}-adversarial-mel.svg`,
            "log-mel spectrogram, adversarial (same colour scale as clean)",
          ),
          svg(
            spectrogramSvg(mel(delta), { title: "perturbation" }),
            `${name}-perturbation-mel.svg`,
            "log-mel spectrogram of the perturbation (own colour scale)",
          ),
        );
      }
      if (attack.frame !== null) {
        const panels = framePanels(frame, unpackFloats(attack.frame), frameShape, {
          minSize: frameSize,
          peak: framePeak,
        });
        factors.frame = panels.factor;
        media.push(
          png(panels.adversarial, `${name}-adversarial-frame.png`, "adversarial frame"),
          png(
            panels.perturbation,
            `${name}-perturbation-frame.png`,
            `perturbation ×${formatFactor(panels.factor)} around grey (max change ${
              formatFactor(panels.maxChange)
            })`,
          ),
        );
      }
      rows.push({
        setting: attack.setting,
        title: `${SETTING_LABELS[attack.setting]} (${budgetText(attack.budget, set.visualStd)})`,
        prediction: {
          predicted: attack.predicted,
          confidence: attack.confidence,
          trueConfidence: attack.trueConfidence,
        },
        factors,
        media,
      });
    });
    const folder = `${slug(set.dataset)}/${String(k + 1).padStart(2, "0")}-${slug(sample.id)}`;
    return { folder, id: sample.id, label, rows };
  });
}

/** A factor or level with three significant digits. */
function formatFactor(value: number): string {
  return String(Number(value.toPrecision(3)));
}
