/**
 * Adversarial examples you can hear and see: the data an `examples` cell stores (clean and attacked
 * inputs with the model's predictions, floats packed as base64) and its rendering, shared by the report
 * page, the notebooks and the files under `examples/`: 16-bit WAVs, amplified perturbations, log-mel
 * spectrograms with axes, frame panels.
 *
 * @example A tone's spectrogram as an SVG figure
 * ```ts
 * import assert from "node:assert/strict";
 * import { logMelSpectrogram, spectrogramSvg } from "./mod.ts";
 * const tone = Float32Array.from({ length: 4000 }, (_, i) => Math.sin(i / 3));
 * assert.match(spectrogramSvg(logMelSpectrogram(tone, 8000), { title: "tone" }), /Hz \(mel scale\)/);
 * ```
 *
 * @module
 */
export * from "./amplify.ts";
export * from "./data_uri.ts";
export * from "./example_files.ts";
export * from "./example_media.ts";
export * from "./examples_html.ts";
export * from "./frame_image.ts";
export * from "./frame_panels.ts";
export * from "./log_mel_spectrogram.ts";
export * from "./packed_floats.ts";
export * from "./spectrogram_svg.ts";
export * from "./types.ts";
