/**
 * How far an attack moves a localization map: the peak's displacement, the map's mass inside the box,
 * and the rank correlation of the clean and attacked maps.
 *
 * @module
 */
import type { Box } from "../data/types.ts";
import { argmax, boxMask, checkBox, checkMap } from "./_grid.ts";
import { frameMap } from "./metrics.ts";

/**
 * Distance in frame pixels between the peaks (first maxima) of two maps of the same grid, each peak at
 * its cell centre.
 *
 * @param clean Row-major `[h, w]` map.
 * @param attacked Row-major `[h, w]` map.
 * @param shape `[h, w]`.
 * @param frameShape `[height, width]` of the frame, for pixel units. @default the map's shape
 * @returns The Euclidean distance in pixels.
 * @throws {TypeError} If a map does not have `h·w` values.
 *
 * @example One cell to the right on a 2×2 grid over a 40×40 frame
 * ```ts
 * import assert from "node:assert/strict";
 * const d = peakDisplacement(new Float32Array([1, 0, 0, 0]), new Float32Array([0, 1, 0, 0]), [2, 2], [40, 40]);
 * assert.equal(d, 20);
 * ```
 */
export function peakDisplacement(
  clean: Float32Array,
  attacked: Float32Array,
  shape: readonly [number, number],
  frameShape: readonly [number, number] = shape,
): number {
  checkMap("the peak displacement", clean, shape);
  checkMap("the peak displacement", attacked, shape);
  const [h, w] = shape;
  const [a, b] = [argmax(clean), argmax(attacked)];
  const dx = ((a % w) - (b % w)) * (frameShape[1] / w);
  const dy = (Math.floor(a / w) - Math.floor(b / w)) * (frameShape[0] / h);
  return Math.hypot(dx, dy);
}

/**
 * The share of the map's mass inside the box, on the map as the metrics score it (upsampled to the
 * frame and min-max normalised, so any score range works): Σ_G m / Σ m. A constant map gives the box's
 * area fraction.
 *
 * @param map Row-major `[h, w]` scores.
 * @param shape `[h, w]`.
 * @param box `[x0, y0, x1, y1]` in [0, 1].
 * @param frameShape `[height, width]` of the frame. @default the map's shape
 * @returns The share in [0, 1].
 * @throws {TypeError} If `map` does not have `h·w` values or the box is not four finite numbers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(massInBox(new Float32Array([0, 1, 0, 1]), [2, 2], [0.5, 0, 1, 1]), 1);
 * assert.equal(massInBox(new Float32Array([2, 2, 2, 2]), [2, 2], [0, 0, 0.5, 1]), 0.5);
 * ```
 */
export function massInBox(
  map: Float32Array,
  shape: readonly [number, number],
  box: Box,
  frameShape: readonly [number, number] = shape,
): number {
  checkMap("the mass in the box", map, shape);
  checkBox("the mass in the box", box);
  const values = frameMap(map, shape, frameShape);
  const truth = boxMask(box, frameShape);
  let total = 0;
  let inside = 0;
  values.forEach((v, i) => {
    total += v;
    if (truth[i] === 1) inside += v;
  });
  if (total > 0) return inside / total;
  return truth.reduce((sum, g) => sum + g, 0) / truth.length;
}

function ranks(values: Float32Array): Float64Array {
  const order = Array.from(values.keys()).sort((i, j) => (values[i] as number) - (values[j] as number));
  const out = new Float64Array(values.length);
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && values[order[end + 1] as number] === values[order[start] as number]) {
      end++;
    }
    const rank = (start + end) / 2;
    for (let k = start; k <= end; k++) out[order[k] as number] = rank;
    start = end + 1;
  }
  return out;
}

/**
 * Spearman's rank correlation of two maps over their locations (ties get average ranks). A constant
 * map has no ranks to correlate: the result is NaN.
 *
 * @param a First map.
 * @param b Second map, same length.
 * @returns ρ in [−1, 1], or NaN.
 * @throws {TypeError} If the lengths differ.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(rankCorrelation(new Float32Array([1, 2, 3]), new Float32Array([10, 20, 30])), 1);
 * assert.equal(rankCorrelation(new Float32Array([1, 2, 3]), new Float32Array([3, 2, 1])), -1);
 * ```
 */
export function rankCorrelation(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) {
    throw new TypeError(
      `Cannot compute the rank correlation: the maps differ in length, current lengths are ${a.length} and ${b.length}`,
    );
  }
  const [ra, rb] = [ranks(a), ranks(b)];
  const mean = (a.length - 1) / 2;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < a.length; i++) {
    const x = (ra[i] as number) - mean;
    const y = (rb[i] as number) - mean;
    num += x * y;
    da += x * x;
    db += y * y;
  }
  return da === 0 || db === 0 ? NaN : num / Math.sqrt(da * db);
}
