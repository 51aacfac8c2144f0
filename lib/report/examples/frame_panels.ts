/**
 * The images of an attacked frame: clean, adversarial, and the perturbation amplified around mid-grey.
 *
 * @module
 */
import type { RgbImage } from "../../data/mod.ts";
import { amplify } from "./amplify.ts";
import { frameImage, type FrameImageOptions } from "./frame_image.ts";

/** Options of {@linkcode framePanels}. */
export interface FramePanelsOptions extends FrameImageOptions {
  /** Peak deviation from mid-grey (0.5) of the amplified perturbation. @default 0.5 */
  peak?: number;
}

/** The three panels of an attacked frame. */
export interface FramePanels {
  /** The clean frame. */
  clean: RgbImage;
  /** The adversarial frame. */
  adversarial: RgbImage;
  /** `0.5 + factor · (adversarial − clean)`, per channel: mid-grey where nothing changed. */
  perturbation: RgbImage;
  /** The amplification of the perturbation panel (1 when nothing changed). */
  factor: number;
  /** max |adversarial − clean| over pixels and channels. */
  maxChange: number;
}

/**
 * Clean and adversarial frame with the perturbation amplified so that its peak reaches `peak` around
 * mid-grey (labelled with its factor where shown).
 *
 * @param clean Row-major `[height, width, channels]` in [0, 1].
 * @param adversarial The same shape.
 * @param shape `[height, width, channels]`, 1 or 3 channels.
 * @param options Display size and the perturbation's peak.
 * @returns The panels (same size each) and the factor.
 * @throws {TypeError} If a frame does not match the shape.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const panels = framePanels([0.5, 0.5], [0.51, 0.49], [1, 2, 1], { minSize: 1 });
 * assert.ok(Math.abs(panels.factor - 50) < 1e-3);
 * assert.ok(Math.abs((panels.perturbation.data[0] as number) - 1) < 1e-3);
 * ```
 */
export function framePanels(
  clean: ArrayLike<number>,
  adversarial: ArrayLike<number>,
  shape: readonly [number, number, number],
  options: FramePanelsOptions = {},
): FramePanels {
  const { peak = 0.5, ...display } = options;
  if (adversarial.length !== clean.length) {
    throw new TypeError(
      `Cannot draw the frame panels: the adversarial frame must have ${clean.length} values, current count ` +
        `is ${adversarial.length}`,
    );
  }
  const delta = Float32Array.from(
    { length: clean.length },
    (_, i) => (adversarial[i] as number) - (clean[i] as number),
  );
  const amplified = amplify(delta, { peak });
  const shown = amplified.values.map((v) => 0.5 + v);
  return {
    clean: frameImage(clean, shape, display),
    adversarial: frameImage(adversarial, shape, display),
    perturbation: frameImage(shown, shape, display),
    factor: amplified.factor,
    maxChange: amplified.inputPeak,
  };
}
