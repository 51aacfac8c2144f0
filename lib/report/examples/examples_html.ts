/**
 * The adversarial examples as HTML: per dataset and sample, players for the clean, adversarial and
 * amplified-perturbation audio, spectrograms with axes, frames side by side and the predictions clean
 * against attacked. The report page and the notebooks embed it (media as data URIs); `examples/index.html`
 * links the written files instead.
 *
 * @module
 */
import { escapeHtml } from "../../text/escape.ts";
import { dataUri } from "./data_uri.ts";
import {
  type ExampleMedia,
  exampleMedia,
  type ExampleMediaOptions,
  type ExampleRow,
} from "./example_media.ts";
import type { ExampleSet } from "./types.ts";
import { slug } from "./_slug.ts";

/** Options of {@linkcode examplesHtml}. */
export interface ExamplesHtmlOptions extends ExampleMediaOptions {
  /**
   * `inline`: media as `data:` URIs (a self-contained page or a notebook output); `files`: links relative
   * to `examples/index.html`, where {@linkcode exampleFiles} writes them. @default "inline"
   */
  sources?: "inline" | "files";
}

const STYLE = `
.avx figure { margin: 0 0 0.6rem; overflow: visible; }
.avx figcaption { font-weight: 400; font-size: 0.8rem; color: #444; max-width: 20rem; margin: 0.2rem 0 0; }
.avx audio { display: block; width: 16rem; }
.avx img { display: block; }
.avx .avx-row { border-top: 1px solid #ddd; padding-top: 0.4rem; margin-top: 0.4rem; }
.avx .avx-media { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 0 1rem; }
.avx .avx-title { font-weight: 600; margin-bottom: 0.3rem; }
.avx .avx-fooled { color: #b00020; }
`;

const percent = (p: number) => `${(100 * p).toFixed(1)}%`;

/** The intro paragraph: what is shown and how it was amplified. */
function intro(options: ExamplesHtmlOptions): string {
  const { audioPeak = 0.5, framePeak = 0.5, dynamicRange = 80 } = options;
  return "<p>The model's inputs before and after the attack, per attacked modality (A: the waveform, V: the " +
    "frame, AV: both, at the study's budgets). Play the clean and the adversarial audio as the model heard " +
    `them (16-bit WAV at the dataset's rate); the perturbation (adversarial − clean) is played amplified to a ` +
    `peak of ${audioPeak}, its factor in the caption. Spectrograms: log-mel power (HTK mel bands, Hann ` +
    `frames of about 25 ms, 75% overlap) in dB over ${dynamicRange} dB, clean and adversarial on one colour ` +
    "scale per sample, the perturbation on its own. Frame perturbations are amplified around mid-grey " +
    `(peak deviation ${framePeak}). Predictions are the model's softmax on each input.</p>`;
}

function figure(media: ExampleMedia, src: string): string {
  const caption = `<figcaption>${escapeHtml(media.caption)}</figcaption>`;
  if (media.mime === "audio/wav") {
    return `<figure><audio controls preload="metadata" src="${escapeHtml(src)}"></audio>${caption}</figure>`;
  }
  const size = media.size ? ` width="${media.size[0]}" height="${media.size[1]}"` : "";
  return `<figure><img src="${escapeHtml(src)}"${size} alt="${
    escapeHtml(media.caption)
  }">${caption}</figure>`;
}

/** The audio players of a row stacked in one column (nothing for a row without audio). */
function audioColumn(figures: readonly string[]): string {
  return figures.length === 0 ? "" : `<div>${figures.join("")}</div>`;
}

function predictionCells(row: ExampleRow, classes: readonly string[], label: number): string {
  const { predicted, confidence, trueConfidence } = row.prediction;
  const name = escapeHtml(classes[predicted] ?? String(predicted));
  const right = predicted === label;
  const mark = right ? "✓" : `<span class="avx-fooled">✗${row.setting === "clean" ? "" : " fooled"}</span>`;
  return `<td>${name} ${mark}</td><td>${percent(confidence)}</td><td>${percent(trueConfidence)}</td>`;
}

/**
 * The examples as an HTML fragment (a scoped `<style>`, an intro, then one `<section>` per dataset with an
 * anchor `adversarial-examples-<dataset>`); every label is escaped.
 *
 * @param sets The examples, one set per dataset (the `attack` stage's `examples`).
 * @param options Where the media live (inline or as files), amplification, sizes.
 * @returns The fragment, or "" when no set has a sample.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { packFloats } from "./packed_floats.ts";
 * const p = { predicted: 0, confidence: 0.9, trueConfidence: 0.9 };
 * const html = examplesHtml([{ dataset: "d", model: "av-concat", attack: "pgd", classes: ["<a>", "b"],
 *   sampleRate: 8000, frameShape: [2, 2, 1], selection: "first", samples: [{ id: "s", index: 0, label: 0,
 *   audio: packFloats(new Float32Array(800)), frame: packFloats([0, 1, 1, 0]), clean: p, attacks: [] }] }]);
 * assert.match(html, /<audio controls preload="metadata" src="data:audio\/wav;base64,UklGR/);
 * assert.match(html, /&lt;a&gt;/);
 * assert.equal(examplesHtml([]), "");
 * ```
 */
export function examplesHtml(sets: readonly ExampleSet[], options: ExamplesHtmlOptions = {}): string {
  const { sources = "inline", ...mediaOptions } = options;
  if (sets.every((set) => set.samples.length === 0)) return "";
  const parts = [`<div class="avx">`, `<style>${STYLE}</style>`, intro(options)];
  for (const set of sets) {
    if (set.samples.length === 0) continue;
    parts.push(
      `<section id="adversarial-examples-${escapeHtml(slug(set.dataset))}">`,
      `<h3>${escapeHtml(set.dataset)}: ${escapeHtml(set.model)} under ${escapeHtml(set.attack)}</h3>`,
      `<p>${escapeHtml(set.selection)}. Audio at ${set.sampleRate} Hz, frames ${
        set.frameShape.join(" × ")
      }.</p>`,
    );
    exampleMedia(set, mediaOptions).forEach((view, k) => {
      const sample = set.samples[k];
      if (!sample) return;
      const rows = view.rows.map((row) =>
        `<tr><td>${escapeHtml(row.title)}</td>${predictionCells(row, set.classes, sample.label)}</tr>`
      );
      parts.push(
        `<article class="avx-sample">`,
        `<h4>Sample ${k + 1}: ${escapeHtml(view.id)} (true class: ${escapeHtml(view.label)})</h4>`,
        "<table><thead><tr><th>input</th><th>predicted</th><th>confidence</th><th>p(true class)</th></tr>" +
          `</thead><tbody>${rows.join("")}</tbody></table>`,
      );
      const show = (media: ExampleMedia) =>
        figure(
          media,
          sources === "inline" ? dataUri(media.bytes, media.mime) : `${view.folder}/${media.file}`,
        );
      for (const row of view.rows) {
        const predicted = set.classes[row.prediction.predicted] ?? String(row.prediction.predicted);
        parts.push(
          `<div class="avx-row"><div class="avx-title">${escapeHtml(row.title)} → ${escapeHtml(predicted)} ` +
            `(${percent(row.prediction.confidence)})</div>`,
          `<div class="avx-media">${audioColumn(row.media.filter((m) => m.mime === "audio/wav").map(show))}`,
          ...row.media.filter((m) => m.mime !== "audio/wav").map(show),
          "</div></div>",
        );
      }
      parts.push("</article>");
    });
    parts.push("</section>");
  }
  parts.push("</div>");
  return parts.join("\n");
}
