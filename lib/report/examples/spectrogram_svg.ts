/**
 * A log-mel spectrogram as a standalone SVG figure with axes: time in seconds, frequency in Hz on the
 * mel scale, and a colour bar in dB. The spectrogram itself is an embedded PNG (one pixel per frame and
 * band), so the file stays small; time or bands no frame covers show light grey.
 *
 * @module
 */
import { encodePng } from "../../data/mod.ts";
import { escapeHtml } from "../../text/escape.ts";
import { dataUri } from "./data_uri.ts";
import { hertzToMel } from "../../models/log_mel.ts";
import type { LogMelSpectrogram } from "./log_mel_spectrogram.ts";

/** Options of {@linkcode spectrogramSvg}. */
export interface SpectrogramSvgOptions {
  /** Title above the plot. @default "" */
  title?: string;
  /** `[low, high]` dB of the colour scale (share it to compare spectrograms). @default [max − 80, max] */
  range?: readonly [number, number];
  /** Plot width in pixels (axes and colour bar come on top). @default 240 */
  width?: number;
  /** Plot height in pixels. @default 130 */
  height?: number;
}

/** Viridis, sampled at five stops. */
const RAMP: readonly [number, number, number][] = [
  [0.267, 0.005, 0.329],
  [0.229, 0.322, 0.546],
  [0.128, 0.567, 0.551],
  [0.369, 0.789, 0.383],
  [0.993, 0.906, 0.144],
];

/** The colour of a value in [0, 1]. */
function colour(value: number): [number, number, number] {
  const at = Math.min(0.9999, Math.max(0, value)) * (RAMP.length - 1);
  const i = Math.floor(at), f = at - i;
  const a = RAMP[i] as [number, number, number], b = RAMP[i + 1] as [number, number, number];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/** About `count` round tick values in [low, high]. */
function ticks(low: number, high: number, count: number): number[] {
  const raw = (high - low) / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const out: number[] = [];
  for (let v = Math.ceil(low / step - 1e-9) * step; v <= high + 1e-9; v += step) {
    out.push(Number(v.toFixed(6)));
  }
  return out;
}

const FREQUENCY_TICKS = [0, 125, 250, 500, 1000, 2000, 4000, 8000, 16000, 32000];
const fmt = (v: number) => String(Number(v.toPrecision(4)));

/**
 * Draws a spectrogram with its axes as an SVG document (for an `<img>` or a file).
 *
 * @param spectrogram From {@linkcode logMelSpectrogram}.
 * @param options Title, colour range, size.
 * @returns The SVG markup (text escaped).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { logMelSpectrogram } from "./log_mel_spectrogram.ts";
 * const svg = spectrogramSvg(logMelSpectrogram(new Float32Array(800), 8000), { title: "silence" });
 * assert.match(svg, /^<svg/);
 * assert.match(svg, /time \(s\)/);
 * assert.match(svg, /data:image\/png;base64,/);
 * ```
 */
export function spectrogramSvg(spectrogram: LogMelSpectrogram, options: SpectrogramSvgOptions = {}): string {
  const { values, frames, bands, sampleRate, fftSize, hopSize, duration, edges } = spectrogram;
  let top = -Infinity;
  for (const v of values) top = Math.max(top, v);
  const { title = "", range = [top - 80, top], width = 240, height = 130 } = options;
  const [low, high] = range[1] > range[0] ? range : [range[0] - 1, range[0]];
  const image = new Float32Array(frames * bands * 3);
  for (let b = 0; b < bands; b++) {
    for (let t = 0; t < frames; t++) {
      const rgb = colour(((values[t * bands + b] as number) - low) / (high - low));
      image.set(rgb, ((bands - 1 - b) * frames + t) * 3);
    }
  }
  const png = dataUri(encodePng({ width: frames, height: bands, data: image }), "image/png");
  const left = 46, top0 = title ? 18 : 6;
  const [x0, y0] = [left, top0];
  const span = Math.max(duration, 1 / sampleRate);
  const x = (seconds: number) => x0 + (seconds / span) * width;
  const melLow = hertzToMel(edges[0] as number), melHigh = hertzToMel(edges[edges.length - 1] as number);
  const y = (hz: number) => y0 + height - ((hertzToMel(hz) - melLow) / (melHigh - melLow)) * height;
  // Frame t is centred at (t·hop + N/2) / rate; band b at edges[b + 1], bands equally spaced in mel.
  const [imageLeft, imageRight] = [
    x((fftSize / 2 - hopSize / 2) / sampleRate),
    x(((frames - 1) * hopSize + fftSize / 2 + hopSize / 2) / sampleRate),
  ];
  const bandHeight = height / (bands + 1);
  const parts: string[] = [];
  const text = (tx: number, ty: number, anchor: string, body: string, extra = "") =>
    parts.push(
      `<text x="${tx.toFixed(1)}" y="${ty.toFixed(1)}" text-anchor="${anchor}"${extra}>${body}</text>`,
    );
  parts.push(
    `<rect x="${x0}" y="${y0}" width="${width}" height="${height}" fill="#ddd"/>`,
    `<image href="${png}" x="${imageLeft.toFixed(2)}" y="${(y0 + bandHeight / 2).toFixed(2)}" ` +
      `width="${Math.max(0.5, imageRight - imageLeft).toFixed(2)}" height="${
        (height - bandHeight).toFixed(2)
      }" ` +
      `preserveAspectRatio="none" style="image-rendering:pixelated"/>`,
    `<rect x="${x0}" y="${y0}" width="${width}" height="${height}" fill="none" stroke="#444"/>`,
  );
  if (title) text(x0, 12, "start", escapeHtml(title), ' font-weight="600"');
  for (const t of ticks(0, span, 5)) {
    parts.push(tickLine(x(t), y0 + height, x(t), y0 + height + 3));
    text(x(t), y0 + height + 13, "middle", fmt(t));
  }
  text(x0 + width / 2, y0 + height + 25, "middle", "time (s)");
  // Round frequencies from the top down, each at least 11 px above the next (the low ones crowd on a mel axis).
  let last = -Infinity;
  const inRange = (f: number) => f >= (edges[0] as number) - 1e-6 && f <= (edges.at(-1) as number) + 1e-6;
  for (const hz of FREQUENCY_TICKS.filter(inRange).reverse()) {
    if (y(hz) - last < 11) continue;
    last = y(hz);
    parts.push(tickLine(x0 - 3, y(hz), x0, y(hz)));
    text(x0 - 5, y(hz) + 3, "end", hz >= 1000 ? `${fmt(hz / 1000)}k` : fmt(hz));
  }
  text(11, y0 + height / 2, "middle", "Hz (mel scale)", ` transform="rotate(-90 11 ${y0 + height / 2})"`);
  const barLeft = x0 + width + 10, barWidth = 8;
  const stops = RAMP.map((c, i) => `<stop offset="${i / (RAMP.length - 1)}" stop-color="${rgbText(c)}"/>`);
  parts.push(
    `<defs><linearGradient id="bar" x1="0" y1="1" x2="0" y2="0">${stops.join("")}</linearGradient></defs>`,
    `<rect x="${barLeft}" y="${y0}" width="${barWidth}" height="${height}" fill="url(#bar)" stroke="#444"/>`,
  );
  for (const db of ticks(low, high, 4)) {
    const ty = y0 + height - ((db - low) / (high - low)) * height;
    parts.push(tickLine(barLeft + barWidth, ty, barLeft + barWidth + 3, ty));
    text(barLeft + barWidth + 5, ty + 3, "start", fmt(db));
  }
  text(barLeft + barWidth + 5, y0 + height + 13, "start", "dB");
  const total = [barLeft + barWidth + 36, y0 + height + 30];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${total[0]}" height="${total[1]}" ` +
    `viewBox="0 0 ${total[0]} ${total[1]}" font-family="sans-serif" font-size="10" fill="#222">` +
    `<rect width="100%" height="100%" fill="#fff"/>${parts.join("")}</svg>`;
}

function rgbText([r, g, b]: readonly [number, number, number]): string {
  return `rgb(${Math.round(r * 255)},${Math.round(g * 255)},${Math.round(b * 255)})`;
}

function tickLine(xa: number, ya: number, xb: number, yb: number): string {
  return `<line x1="${xa.toFixed(1)}" y1="${ya.toFixed(1)}" x2="${xb.toFixed(1)}" y2="${
    yb.toFixed(1)
  }" stroke="#444"/>`;
}
