/**
 * A frame as an RGB image for display: grey frames become RGB, small frames are scaled up.
 *
 * @module
 */
import type { RgbImage } from "../../data/mod.ts";

/** Options of {@linkcode frameImage}. */
export interface FrameImageOptions {
  /** Scale up by the smallest whole factor that makes the shorter side at least this many pixels (nearest neighbour). @default 140 */
  minSize?: number;
}

/**
 * A frame as an RGB image (values clipped to [0, 1]), scaled up by a whole factor so that small frames
 * (28 × 28 digits) stay crisp and visible.
 *
 * @param frame Row-major `[height, width, channels]`, 1 (grey) or 3 (RGB) channels.
 * @param shape `[height, width, channels]`.
 * @param options The smallest displayed side.
 * @returns `{ width, height, data }` with 3 channels.
 * @throws {TypeError} If the frame's length does not match the shape or the channels are not 1 or 3.
 *
 * @example A 2 × 2 grey frame scaled to 4 × 4
 * ```ts
 * import assert from "node:assert/strict";
 * const image = frameImage(new Float32Array([0, 1, 1, 0]), [2, 2, 1], { minSize: 4 });
 * assert.deepEqual([image.width, image.height, image.data.length], [4, 4, 48]);
 * ```
 */
export function frameImage(
  frame: ArrayLike<number>,
  shape: readonly [number, number, number],
  options: FrameImageOptions = {},
): RgbImage {
  const { minSize = 140 } = options;
  const [h, w, channels] = shape;
  if ((channels !== 1 && channels !== 3) || frame.length !== h * w * channels) {
    throw new TypeError(
      `Cannot draw the frame: it must have shape [${h}, ${w}, 1 or 3], current value count is ${frame.length}`,
    );
  }
  const scale = Math.max(1, Math.ceil(minSize / Math.min(h, w)));
  const width = w * scale, height = h * scale;
  const data = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const source = (Math.floor(y / scale) * w + Math.floor(x / scale)) * channels;
      for (let c = 0; c < 3; c++) {
        const v = frame[source + (channels === 3 ? c : 0)] as number;
        data[(y * width + x) * 3 + c] = Math.min(1, Math.max(0, v));
      }
    }
  }
  return { width, height, data };
}
