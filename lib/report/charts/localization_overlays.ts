/**
 * Heat-map overlays of the localization study: per sample, the frame with its box, then each map
 * (clean, and attacked per modality) blended over the frame, as one PNG row embedded in Markdown.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import type { Box } from "../../data/mod.ts";
import { encodePng } from "../../data/mod.ts";
import { frameMap } from "../../localize/mod.ts";
import { escapeMarkdown } from "../../text/escape.ts";

/** One sample of the overlays: its frame, its box (if known) and the maps drawn over it. */
export interface OverlaySample {
  /** Caption under the row, e.g. `violin; clean → violin, joint → guitar`. */
  caption: string;
  /** Row-major `[height, width, channels]` in [0, 1], 3 channels (RGB) or 1 (grey). */
  frame: number[];
  /** `[height, width]` of the frame. */
  frameShape: [number, number];
  /** Box of the sounding object in [0, 1] frame coordinates, if known. */
  box?: Box;
  /** Maps at grid resolution, row-major `[h, w]` each, in panel order (any range; min-max normalised). */
  maps: number[][];
  /** `[h, w]` of every map. */
  mapShape: [number, number];
}

/** Options of {@linkcode overlayMarkdown}. */
export interface OverlayOptions {
  /** Pixels per frame pixel. @default 4 */
  scale?: number;
  /** Share of the heat colour in the blend. @default 0.55 */
  opacity?: number;
}

const RAMP: readonly [number, number, number][] = [
  [0.05, 0.05, 0.35],
  [0.1, 0.45, 0.85],
  [0.2, 0.8, 0.45],
  [0.95, 0.85, 0.15],
  [0.85, 0.1, 0.1],
];
const GAP = 4;

function heat(value: number): [number, number, number] {
  const at = Math.min(0.9999, Math.max(0, value)) * (RAMP.length - 1);
  const i = Math.floor(at), f = at - i;
  const a = RAMP[i] as [number, number, number], b = RAMP[i + 1] as [number, number, number];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/**
 * One overlay row as an RGB image: the frame with its box, then each map over the frame.
 *
 * @param sample The frame, box and maps.
 * @param options Scale and opacity.
 * @returns `{ width, height, data }`, values in [0, 1].
 * @throws {TypeError} If the frame or a map has the wrong number of values.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const image = overlayImage({ caption: "", frame: new Array(12).fill(0.5), frameShape: [2, 2],
 *   box: [0, 0, 0.5, 0.5], maps: [[1, 0, 0, 0]], mapShape: [2, 2] }, { scale: 2 });
 * assert.deepEqual([image.width, image.height], [2 * 4 + 4, 4]);
 * ```
 */
export function overlayImage(
  sample: OverlaySample,
  options: OverlayOptions = {},
): { width: number; height: number; data: Float32Array } {
  const { scale = 4, opacity = 0.55 } = options;
  const [h, w] = sample.frameShape;
  const channels = sample.frame.length / (h * w);
  if (channels !== 1 && channels !== 3) {
    throw new TypeError(
      `Cannot draw the overlay: the frame must have ${h * w} (grey) or ${h * w * 3} (RGB) values, ` +
        `current count is ${sample.frame.length}`,
    );
  }
  const panels = 1 + sample.maps.length;
  const width = panels * w * scale + (panels - 1) * GAP, height = h * scale;
  const data = new Float32Array(width * height * 3).fill(1);
  const heats = sample.maps.map((map) => frameMap(Float32Array.from(map), sample.mapShape, [h, w]));
  for (let p = 0; p < panels; p++) {
    const left = p * (w * scale + GAP);
    const map = p === 0 ? null : heats[p - 1] as Float32Array;
    for (let y = 0; y < h * scale; y++) {
      for (let x = 0; x < w * scale; x++) {
        const source = Math.floor(y / scale) * w + Math.floor(x / scale);
        const colour = map ? heat(map[source] as number) : null;
        const at = (y * width + left + x) * 3;
        for (let c = 0; c < 3; c++) {
          const pixel = sample.frame[source * channels + (channels === 3 ? c : 0)] as number;
          data[at + c] = colour ? (1 - opacity) * pixel + opacity * (colour[c] as number) : pixel;
        }
      }
    }
    if (sample.box) drawBox(data, width, left, sample.box, [w * scale, h * scale]);
  }
  return { width, height, data };
}

/** A white 1-pixel box outline (with a dark edge) in a panel starting at column `left`. */
function drawBox(
  data: Float32Array,
  width: number,
  left: number,
  box: Box,
  [pw, ph]: [number, number],
): void {
  const x0 = Math.round(Math.min(box[0], box[2]) * pw), x1 = Math.round(Math.max(box[0], box[2]) * pw) - 1;
  const y0 = Math.round(Math.min(box[1], box[3]) * ph), y1 = Math.round(Math.max(box[1], box[3]) * ph) - 1;
  const put = (x: number, y: number) => {
    if (x < 0 || y < 0 || x >= pw || y >= ph) return;
    data.fill(1, (y * width + left + x) * 3, (y * width + left + x) * 3 + 3);
  };
  for (let x = x0; x <= x1; x++) [put(x, y0), put(x, y1)];
  for (let y = y0; y <= y1; y++) [put(x0, y), put(x1, y)];
}

/**
 * The overlays as Markdown: a legend line naming the panels, then per sample a PNG (data URI) and its
 * caption. Markdown renderers that refuse data URIs show the alt text instead.
 *
 * @param samples The rows.
 * @param panels Titles of the panels after the frame (one per map).
 * @param options Scale and opacity.
 * @returns Markdown, or "" for no samples.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const md = overlayMarkdown([{ caption: "violin", frame: new Array(12).fill(0), frameShape: [2, 2],
 *   maps: [[0, 1, 0, 0]], mapShape: [2, 2] }], ["clean"]);
 * assert.match(md, /!\[violin\]\(data:image\/png;base64,/);
 * ```
 */
export function overlayMarkdown(
  samples: readonly OverlaySample[],
  panels: readonly string[],
  options: OverlayOptions = {},
): string {
  if (samples.length === 0) return "";
  const lines = [
    `Panels, left to right: frame (box in white), ${panels.map(escapeMarkdown).join(", ")}.`,
    "",
  ];
  for (const sample of samples) {
    const png = encodePng(overlayImage(sample, options));
    const alt = sample.caption.replace(/[\[\]\\]/g, "");
    lines.push(`![${alt}](data:image/png;base64,${Buffer.from(png).toString("base64")})`, "");
    lines.push(escapeMarkdown(sample.caption), "");
  }
  return lines.join("\n").trimEnd();
}
