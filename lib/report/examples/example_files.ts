/**
 * The adversarial examples as files of the report folder: `examples/<dataset>/<k>-<sample>/` holds each
 * sample's WAVs, spectrogram SVGs and frame PNGs; `examples/index.html` shows them all (linking the
 * files) and `examples/index.json` lists them with the predictions and amplification factors.
 *
 * @module
 */
import { escapeHtml } from "../../text/escape.ts";
import type { ReportFile } from "../types.ts";
import { exampleMedia } from "./example_media.ts";
import { examplesHtml, type ExamplesHtmlOptions } from "./examples_html.ts";
import type { ExampleSet } from "./types.ts";

/** Options of {@linkcode exampleFiles}: the rendering options of {@linkcode examplesHtml} (not `sources`). */
export type ExampleFilesOptions = Omit<ExamplesHtmlOptions, "sources">;

/**
 * The files of the examples, paths relative to the report folder (all under `examples/`). None when no
 * set has a sample.
 *
 * @param sets The examples, one set per dataset.
 * @param options Amplification, sizes.
 * @returns The WAV, SVG and PNG files, `examples/index.html` and `examples/index.json`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { packFloats } from "./packed_floats.ts";
 * const p = { predicted: 1, confidence: 0.6, trueConfidence: 0.6 };
 * const files = exampleFiles([{ dataset: "d", model: "av-concat", attack: "pgd", classes: ["a", "b"],
 *   sampleRate: 8000, frameShape: [2, 2, 1], selection: "first", samples: [{ id: "s/1", index: 0, label: 1,
 *   audio: packFloats(new Float32Array(800)), frame: packFloats([0, 1, 1, 0]), clean: p, attacks: [] }] }]);
 * assert.deepEqual(files.map((f) => f.path), [
 *   "examples/d/01-s-1/clean.wav", "examples/d/01-s-1/clean-mel.svg", "examples/d/01-s-1/clean-frame.png",
 *   "examples/index.json", "examples/index.html",
 * ]);
 * ```
 */
export function exampleFiles(sets: readonly ExampleSet[], options: ExampleFilesOptions = {}): ReportFile[] {
  if (sets.every((set) => set.samples.length === 0)) return [];
  const files: ReportFile[] = [];
  const index = sets.map((set) => ({
    dataset: set.dataset,
    model: set.model,
    attack: set.attack,
    selection: set.selection,
    sampleRate: set.sampleRate,
    frameShape: set.frameShape,
    samples: exampleMedia(set, options).map((view, k) => {
      for (const media of view.rows.flatMap((row) => row.media)) {
        files.push({ path: `examples/${view.folder}/${media.file}`, data: media.bytes });
      }
      return {
        id: view.id,
        index: set.samples[k]?.index ?? k,
        label: view.label,
        folder: view.folder,
        rows: view.rows.map((row) => ({
          setting: row.setting,
          title: row.title,
          predicted: set.classes[row.prediction.predicted] ?? String(row.prediction.predicted),
          confidence: row.prediction.confidence,
          trueConfidence: row.prediction.trueConfidence,
          factors: row.factors,
          files: row.media.map((media) => ({ file: media.file, caption: media.caption })),
        })),
      };
    }),
  }));
  files.push({ path: "examples/index.json", data: JSON.stringify({ sets: index }, null, 1) + "\n" });
  const page = [
    "<!DOCTYPE html>",
    '<html lang="en">',
    '<head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Adversarial examples</title>',
    "<style>body { font: 15px/1.5 system-ui, sans-serif; max-width: 72rem; margin: 2rem auto; padding: 0 1rem; }",
    "table { border-collapse: collapse; } th, td { border: 1px solid #ccc; padding: 0.2rem 0.5rem; }</style>",
    "</head>",
    "<body>",
    `<h1>Adversarial examples</h1>`,
    `<p><a href="../index.html">Back to the report</a>. Files of each sample: ${
      escapeHtml("<dataset>/<k>-<sample>/")
    }; index.json lists them.</p>`,
    examplesHtml(sets, { ...options, sources: "files" }),
    "</body>",
    "</html>",
    "",
  ];
  files.push({ path: "examples/index.html", data: page.join("\n") });
  return files;
}
