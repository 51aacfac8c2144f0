/**
 * Per-clip frame of `av-instruments`: an instrument picture in one of five art styles, composited at a
 * random position, scale and rotation onto a cluttered background, degraded by the clip's visual mode.
 *
 * The main instrument keeps its picture's own colours 80 % of the time (a real cue: brass is yellow, a
 * violin brown); otherwise it, the distractor instrument and all clutter are recoloured with a random
 * two-colour gradient map of their luminance, so that colour is a hint but never the whole answer. Styles
 * are drawn uniformly for every class, so that the drawing style never gives the class away.
 *
 * @module
 */
import type { Rng } from "../../engine/random.ts";
import type { Box } from "../types.ts";
import type { DegradationMode, VisualDegradation } from "./_modes.ts";
import { drawRange, otherClass } from "./_modes.ts";
import { addNoiseAndClamp, drawSprite, gaussianBlur, type Placement } from "./_raster.ts";
import type { IconSprites } from "./_icons.ts";

type Rgb = [number, number, number];

function hsv(h: number, s: number, v: number): Rgb {
  const i = Math.floor(h * 6), f = h * 6 - i;
  const p = v * (1 - s), q = v * (1 - f * s), t = v * (1 - (1 - f) * s);
  return ([[v, t, p], [q, v, p], [p, v, t], [p, q, v], [t, p, v], [v, p, q]] as Rgb[])[i % 6] as Rgb;
}

function randomColour(
  rng: Rng,
  value: readonly [number, number],
  saturation: readonly [number, number] = [0.1, 1],
): Rgb {
  return hsv(rng.uniform(), rng.range(saturation[0], saturation[1]), rng.range(value[0], value[1]));
}

/**
 * A random gradient map: luminance 0 → a random dark colour (value ≤ 0.2), 1 → a random light colour
 * (value ≥ 0.8), so that neither hue nor saturation of a picture depends on the instrument, while its
 * shape keeps a strong inner contrast.
 */
export function randomPalette(rng: Rng): (rgb: Rgb) => Rgb {
  const dark = randomColour(rng, [0, 0.2]), light = randomColour(rng, [0.8, 1]);
  const out: Rgb = [0, 0, 0];
  return ([r, g, b]) => {
    const y = 0.299 * r + 0.587 * g + 0.114 * b;
    for (let c = 0; c < 3; c++) {
      out[c] = (dark[c] as number) + ((light[c] as number) - (dark[c] as number)) * y;
    }
    return out;
  };
}

/** Probability that the main instrument keeps its picture's own colours instead of a random palette. */
const NATURAL_COLOUR_PROBABILITY = 0.8;

const naturalColours = (rgb: Rgb): Rgb => rgb;

/** An instrument's colours: its picture's own with {@linkcode NATURAL_COLOUR_PROBABILITY}, else a random palette. */
export function instrumentColours(rng: Rng): (rgb: Rgb) => Rgb {
  return rng.chance(NATURAL_COLOUR_PROBABILITY) ? naturalColours : randomPalette(rng);
}

/** Value and saturation ranges of background colours: as varied as the pictures' own colours. */
const BACKGROUND_VALUE = [0.2, 0.8] as const, BACKGROUND_SATURATION = [0, 0.8] as const;

function background(frame: Float32Array, size: number, rng: Rng): void {
  const a = randomColour(rng, BACKGROUND_VALUE, BACKGROUND_SATURATION);
  const b = randomColour(rng, BACKGROUND_VALUE, BACKGROUND_SATURATION);
  const angle = rng.range(0, 2 * Math.PI), cx = Math.cos(angle), cy = Math.sin(angle);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const t = Math.min(1, Math.max(0, 0.5 + ((x / size - 0.5) * cx + (y / size - 0.5) * cy)));
      for (let c = 0; c < 3; c++) {
        frame[(y * size + x) * 3 + c] = (a[c] as number) * (1 - t) + (b[c] as number) * t;
      }
    }
  }
  const blobs = 2 + rng.int(3);
  for (let k = 0; k < blobs; k++) {
    const colour = randomColour(rng, BACKGROUND_VALUE, BACKGROUND_SATURATION), opacity = rng.range(0.15, 0.5);
    const bx = rng.range(0, size),
      by = rng.range(0, size),
      rx = rng.range(2, size / 3),
      ry = rng.range(2, size / 3);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        if (((x + 0.5 - bx) / rx) ** 2 + ((y + 0.5 - by) / ry) ** 2 > 1) continue;
        for (let c = 0; c < 3; c++) {
          const i = (y * size + x) * 3 + c;
          frame[i] = (frame[i] as number) * (1 - opacity) + (colour[c] as number) * opacity;
        }
      }
    }
  }
}

/**
 * A per-frame random colour balance (gain 0.6–1.1 and offset -0.1–0.25 per channel), so that the colour
 * histogram of a frame does not reveal how much of it the instrument covers (which depends on its shape).
 */
function colourJitter(frame: Float32Array, rng: Rng): void {
  const gain = [rng.range(0.6, 1.1), rng.range(0.6, 1.1), rng.range(0.6, 1.1)];
  const offset = [rng.range(-0.1, 0.25), rng.range(-0.1, 0.25), rng.range(-0.1, 0.25)];
  for (let i = 0; i < frame.length; i++) {
    frame[i] = (offset[i % 3] as number) + (gain[i % 3] as number) * (frame[i] as number);
  }
}

/** A placement of relative size in `relative`, centre in `centre` (fractions of the frame), angle ±`tilt`. */
export function placement(
  size: number,
  relative: readonly [number, number],
  opacity: number,
  rng: Rng,
  centre: readonly [number, number] = [0, 1],
  tilt = 0.35,
): Placement {
  const drawn = rng.range(relative[0], relative[1]) * size;
  const margin = drawn * 0.35;
  const low = Math.max(margin, centre[0] * size), high = Math.min(size - margin, centre[1] * size);
  return {
    centerX: rng.range(low, Math.max(low, high)),
    centerY: rng.range(low, Math.max(low, high)),
    size: drawn,
    angle: rng.range(-tilt, tilt),
    flip: rng.chance(0.5),
    opacity,
  };
}

/** A rendered frame with the box of the sounding instrument (undefined if not visible) and its style. */
export interface InstrumentFrame {
  /** `size × size × 3` in [0, 1]. */
  frame: Float32Array;
  /** Box of the target instrument, if drawn. */
  box: Box | undefined;
  /** Box of a duet frame's silent instrument (absent from solo frames). */
  silent?: Box;
  /** Style index of the main drawn instrument (target, or the misleading one; random when absent). */
  style: number;
}

/**
 * Renders one frame. Clean: the instrument at 65–85 % of the frame, its centre within the middle 20 %,
 * upright. Hard and misleading: at 50–70 %, centre within the middle 40 %, 70–100 % opaque, tilted up to
 * ±11°, 40 % of the time partly covered by clutter, 40 % of the time blurred (σ 0.5–0.9 px), with
 * `hardNoise`; misleading draws another class. Absent: background and clutter only. Clean and hard
 * frames get a smaller other instrument with `distractorProbability`. Every frame then gets a random
 * colour balance and pixel noise.
 */
export function renderInstrumentFrame(
  label: number,
  mode: DegradationMode,
  sprites: IconSprites,
  size: number,
  config: VisualDegradation,
  rng: Rng,
): InstrumentFrame {
  const frame = backdrop(sprites, size, rng);
  const styles = sprites.instruments.length, classes = sprites.instruments[0]?.length ?? 0;
  const style = rng.int(styles);
  let box: Box | undefined;
  if (mode !== "absent") {
    if (mode !== "misleading" && rng.chance(config.distractorProbability)) {
      const other = sprites.instruments[rng.int(styles)]?.[otherClass(label, classes, rng)];
      if (other) {
        drawSprite(
          frame,
          size,
          size,
          other,
          placement(size, [0.25, 0.38], rng.range(0.5, 0.8), rng),
          randomPalette(rng),
        );
      }
    }
    const shown = mode === "misleading" ? otherClass(label, classes, rng) : label;
    const sprite = sprites.instruments[style]?.[shown];
    if (!sprite) throw new RangeError(`Cannot draw class ${shown}: no picture in style ${style}`);
    const hard = mode !== "clean";
    const where = hard
      ? placement(size, [0.5, 0.7], rng.range(0.7, 1), rng, [0.3, 0.7], 0.2)
      : placement(size, [0.65, 0.85], 1, rng, [0.4, 0.6], 0);
    const colours = instrumentColours(rng);
    const drawn = drawSprite(frame, size, size, sprite, where, colours);
    if (mode !== "misleading") box = drawn;
    occludeAndBlur(frame, size, sprites, hard, () => where, rng);
  }
  finish(frame, mode, config, rng);
  return { frame, box, style };
}

/** A new frame with the background and 0–2 recoloured clutter objects (the first draws of every frame). */
export function backdrop(sprites: IconSprites, size: number, rng: Rng): Float32Array {
  const frame = new Float32Array(size * size * 3);
  const styles = sprites.instruments.length;
  background(frame, size, rng);
  const clutter = rng.int(3);
  for (let k = 0; k < clutter; k++) {
    const set = sprites.clutter[rng.int(styles)] ?? [];
    drawSprite(
      frame,
      size,
      size,
      rng.pick(set),
      placement(size, [0.2, 0.4], rng.range(0.4, 0.8), rng),
      randomPalette(rng),
    );
  }
  return frame;
}

/** The last draws of every frame, in place: a random colour balance, then the mode's pixel noise. */
export function finish(
  frame: Float32Array,
  mode: DegradationMode,
  config: VisualDegradation,
  rng: Rng,
): void {
  colourJitter(frame, rng);
  const std = mode === "clean" ? drawRange(rng, config.cleanNoise) : drawRange(rng, config.hardNoise);
  addNoiseAndClamp(frame, std, rng.normal);
}

/**
 * The hard modes' damage: with `hard`, 40 % of the time a clutter object (25–40 % of the frame, 60–100 %
 * opaque, recoloured) partly covers the object `near()` picks, then 40 % of the time the frame is blurred
 * (σ 0.5–0.9 px). Draws nothing and uses no randomness without `hard`.
 */
export function occludeAndBlur(
  frame: Float32Array,
  size: number,
  sprites: IconSprites,
  hard: boolean,
  near: () => Placement,
  rng: Rng,
): void {
  if (hard && rng.chance(0.4)) {
    const covered = near();
    const cover = {
      ...placement(size, [0.25, 0.4], rng.range(0.6, 1), rng),
      centerX: covered.centerX + rng.range(-4, 4),
      centerY: covered.centerY + rng.range(-4, 4),
    };
    const style = rng.int(sprites.instruments.length);
    drawSprite(frame, size, size, rng.pick(sprites.clutter[style] ?? []), cover, randomPalette(rng));
  }
  if (hard && rng.chance(0.4)) gaussianBlur(frame, size, size, 3, rng.range(0.5, 0.9));
}
