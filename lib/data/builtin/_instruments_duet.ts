/**
 * Duet frames of `av-instruments`, the scenes of the localization study: two instruments of different
 * classes side by side, each stretched to fill most of one half of the frame (left and right, or top and
 * bottom), and only one of them sounding. A box of about 30–45 % of the frame stays clear of the median
 * rule's size trap (a box under 25 % can never reach cIoU 0.5), a centre prior cannot cover one half,
 * and a map that ignores the sound cannot know which half to pick. Both instruments are drawn in one art
 * style (noto) in their pictures' own colours: the study asks whether the sound steers the map, not whether
 * a small CNN can recognise five styles of stretched, recoloured pictures (with five styles and random
 * palettes, a localizer trained for six epochs picked the sounding half in about two frames of three).
 *
 * @module
 */
import type { Rng } from "../../engine/random.ts";
import type { Box } from "../types.ts";
import type { DegradationMode, VisualDegradation } from "./_modes.ts";
import { drawSprite, type Placement } from "./_raster.ts";
import type { IconSprites } from "./_icons.ts";
import { backdrop, finish, type InstrumentFrame, occludeAndBlur } from "./_instruments_visual.ts";

/** The art style of both duet instruments (index into the dataset's styles: noto). */
const DUET_STYLE = 0;

type Rgb = [number, number, number];
const ownColours = (rgb: Rgb): Rgb => rgb;

/** A class drawn uniformly from those not in `excluded`. */
function classBesides(excluded: readonly number[], classes: number, rng: Rng): number {
  const allowed = Array.from({ length: classes }, (_, c) => c).filter((c) => !excluded.includes(c));
  return allowed[rng.int(allowed.length)] ?? 0;
}

/**
 * Where the instrument of half `half` (0: left or top, 1: right or bottom) goes: stretched to 75–95 % of
 * the half's short side and 80–95 % of its long side, at a random offset inside the half.
 */
function halfPlacement(size: number, sideBySide: boolean, half: number, hard: boolean, rng: Rng): Placement {
  const across = rng.range(0.75, 0.95) * (size / 2), along = rng.range(0.8, 0.95) * size;
  const [width, height] = sideBySide ? [across, along] : [along, across];
  const [left, top] = sideBySide ? [(half * size) / 2, 0] : [0, (half * size) / 2];
  const [regionWidth, regionHeight] = sideBySide ? [size / 2, size] : [size, size / 2];
  return {
    centerX: left + width / 2 + rng.range(0, regionWidth - width),
    centerY: top + height / 2 + rng.range(0, regionHeight - height),
    size: Math.max(width, height),
    angle: hard ? rng.range(-0.1, 0.1) : 0,
    flip: rng.chance(0.5),
    opacity: hard ? rng.range(0.7, 1) : 1,
    fit: { width, height },
  };
}

/**
 * Renders one duet frame. Clean: both instruments upright and opaque. Hard: 70–100 % opaque, tilted up
 * to ±6°, 40 % of the time one of them (either) partly covered by clutter, 40 % of the time blurred
 * (σ 0.5–0.9 px), with `hardNoise`. Misleading: two instruments, neither of the label's class (no box).
 * Absent: background and clutter only. Halves, the sounding half and the classes are drawn
 * independently per frame, both instruments in one style and their own colours, so that nothing but the
 * sound tells which one to localize. Every frame
 * then gets the same background, clutter, colour balance and pixel noise as a solo frame.
 *
 * @returns The frame, the boxes of the sounding instrument (undefined unless drawn) and of the silent
 *   one, and the style of the instrument in the sounding half.
 */
export function renderDuetFrame(
  label: number,
  mode: DegradationMode,
  sprites: IconSprites,
  size: number,
  config: VisualDegradation,
  rng: Rng,
): InstrumentFrame {
  const frame = backdrop(sprites, size, rng);
  const classes = sprites.instruments[0]?.length ?? 0;
  if (mode === "absent") {
    finish(frame, mode, config, rng);
    return { frame, box: undefined, style: DUET_STYLE };
  }
  const hard = mode !== "clean";
  const sideBySide = rng.chance(0.5), sounding = rng.int(2);
  const shown = mode === "misleading" ? classBesides([label], classes, rng) : label;
  const silent = classBesides([label, shown], classes, rng);
  let box: Box | undefined, silentBox: Box | undefined;
  const places: Placement[] = [];
  for (let half = 0; half < 2; half++) {
    const drawnClass = half === sounding ? shown : silent;
    const sprite = sprites.instruments[DUET_STYLE]?.[drawnClass];
    if (!sprite) throw new RangeError(`Cannot draw class ${drawnClass}: no picture in style ${DUET_STYLE}`);
    const where = halfPlacement(size, sideBySide, half, hard, rng);
    places.push(where);
    const drawn = drawSprite(frame, size, size, sprite, where, ownColours);
    if (half !== sounding) silentBox = drawn;
    else if (mode !== "misleading") box = drawn;
  }
  occludeAndBlur(frame, size, sprites, hard, () => places[rng.int(2)] as Placement, rng);
  finish(frame, mode, config, rng);
  return { frame, box, style: DUET_STYLE, ...(silentBox ? { silent: silentBox } : {}) };
}
