/**
 * Private helpers of the localization metrics: checks, bilinear upsampling, min-max normalisation and
 * the box mask, on plain row-major arrays.
 *
 * @module
 */
import type { Box } from "../data/types.ts";

/** Throws unless `map` has `h·w` entries, `h, w ≥ 1`, and the box is four finite numbers. */
export function checkMap(what: string, map: Float32Array, shape: readonly [number, number]): void {
  const [h, w] = shape;
  if (!Number.isSafeInteger(h) || !Number.isSafeInteger(w) || h < 1 || w < 1) {
    throw new RangeError(
      `Cannot compute ${what}: shape must be two positive integers, current value is [${shape}]`,
    );
  }
  if (map.length !== h * w) {
    throw new TypeError(
      `Cannot compute ${what}: the map must have ${h}x${w} = ${
        h * w
      } values, current length is ${map.length}`,
    );
  }
}

/** Throws unless the box is four finite numbers. */
export function checkBox(what: string, box: Box): void {
  if (box.length !== 4 || !box.every(Number.isFinite)) {
    throw new TypeError(
      `Cannot compute ${what}: box must be [x0, y0, x1, y1] in [0, 1], current value is [${box}]`,
    );
  }
}

/**
 * Bilinear resize with half-pixel centres (OpenCV's `INTER_LINEAR`, tf's `halfPixelCenters`), as the
 * localization evaluators upsample a 7×7 map to the frame. Same shape: a copy.
 */
export function resizeBilinear(
  map: Float32Array,
  shape: readonly [number, number],
  to: readonly [number, number],
): Float32Array {
  const [h, w] = shape;
  const [outH, outW] = to;
  if (h === outH && w === outW) return map.slice();
  const out = new Float32Array(outH * outW);
  const source = (i: number, inSize: number, outSize: number): [number, number, number] => {
    const x = Math.min(Math.max((i + 0.5) * (inSize / outSize) - 0.5, 0), inSize - 1);
    const low = Math.floor(x);
    return [low, Math.min(low + 1, inSize - 1), x - low];
  };
  for (let r = 0; r < outH; r++) {
    const [r0, r1, fr] = source(r, h, outH);
    for (let c = 0; c < outW; c++) {
      const [c0, c1, fc] = source(c, w, outW);
      const at = (y: number, x: number) => map[y * w + x] as number;
      const top = at(r0, c0) * (1 - fc) + at(r0, c1) * fc;
      const bottom = at(r1, c0) * (1 - fc) + at(r1, c1) * fc;
      out[r * outW + c] = top * (1 - fr) + bottom * fr;
    }
  }
  return out;
}

/** (m − min) / (max − min); a constant map becomes all zeros. */
export function minMaxNormalize(map: Float32Array): Float32Array {
  let low = Infinity;
  let high = -Infinity;
  for (const v of map) {
    if (v < low) low = v;
    if (v > high) high = v;
  }
  const range = high - low;
  return map.map((v) => (range > 0 ? (v - low) / range : 0));
}

/** Pixel range `[start, end)` a box side covers on an axis of `size` pixels (rounded, clamped). */
export function boxSpan(from: number, to: number, size: number): [number, number] {
  const clamp = (v: number) => Math.min(Math.max(Math.round(v * size), 0), size);
  return [clamp(Math.min(from, to)), clamp(Math.max(from, to))];
}

/**
 * The binary box mask at `[h, w]`: pixel rows `round(y0·h) … round(y1·h) − 1` and columns likewise, as
 * the evaluators fill `gt[ymin:ymax, xmin:xmax] = 1` from pixel boxes.
 */
export function boxMask(box: Box, shape: readonly [number, number]): Uint8Array {
  const [h, w] = shape;
  const [c0, c1] = boxSpan(box[0], box[2], w);
  const [r0, r1] = boxSpan(box[1], box[3], h);
  const mask = new Uint8Array(h * w);
  for (let r = r0; r < r1; r++) mask.fill(1, r * w + c0, r * w + c1);
  return mask;
}

/** Row-major index of the first maximum. */
export function argmax(map: Float32Array): number {
  let best = 0;
  for (let i = 1; i < map.length; i++) if ((map[i] as number) > (map[best] as number)) best = i;
  return best;
}
