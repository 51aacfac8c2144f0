/**
 * Sound-source localization metrics, as the shared evaluator of LVS / EZ-VSL / SLAVC computes them:
 * consensus IoU of a median-thresholded map, the pointing game, and the AUC over cIoU thresholds.
 *
 * @module
 */
import type { Box } from "../data/types.ts";
import { argmax, boxMask, checkBox, checkMap, minMaxNormalize, resizeBilinear } from "./_grid.ts";

/**
 * How a map is binarised.
 * - `"median"`: the evaluators' "relative prediction": threshold = the sorted values at index ⌊n/2⌋,
 *   keep `m ≥ threshold` (about half the frame is predicted).
 * - `"oracleArea"`: the mask area equals the box area: threshold = the k-th largest value, k = box pixels
 *   (ties may add pixels); an empty box keeps nothing.
 */
export type MaskRule = "median" | "oracleArea";

/** Options of {@linkcode ciou}. */
export interface CiouOptions {
  /** `[height, width]` of the frame the map is upsampled to (bilinear, half-pixel centres). @default the map's shape */
  frameShape?: readonly [number, number];
  /** How the map is binarised. @default "median" */
  mask?: MaskRule;
}

/**
 * The map upsampled to the frame, min-max normalised, as the evaluators score it.
 *
 * @param map Row-major `[h, w]` scores (any range).
 * @param shape `[h, w]`.
 * @param frameShape `[height, width]` of the frame.
 * @returns `[height, width]` values in [0, 1] (all 0 for a constant map).
 * @throws {TypeError} If `map` does not have `h·w` values.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const up = frameMap(new Float32Array([0, 2]), [1, 2], [1, 4]);
 * assert.deepEqual(Array.from(up), [0, 0.25, 0.75, 1]);
 * ```
 */
export function frameMap(
  map: Float32Array,
  shape: readonly [number, number],
  frameShape: readonly [number, number],
): Float32Array {
  checkMap("the frame map", map, shape);
  return minMaxNormalize(resizeBilinear(map, shape, frameShape));
}

/**
 * Per-sample consensus IoU of a localization map against one box:
 * `cIoU = Σ(I·G) / (ΣG + Σ I·[G = 0])`, with I the binarised map at frame resolution and G the box mask
 * (rows `round(y0·H)` to `round(y1·H) − 1`, columns likewise). With a binary G this is the ordinary IoU.
 * A map already at frame resolution is used as is. An empty box scores 0.
 *
 * @param map Row-major `[h, w]` scores (higher = more likely the source).
 * @param shape `[h, w]` of `map`.
 * @param box `[x0, y0, x1, y1]` in [0, 1] frame coordinates.
 * @param options Frame size and mask rule.
 * @returns cIoU in [0, 1].
 * @throws {TypeError} If `map` does not have `h·w` values or the box is not four finite numbers.
 * @throws {RangeError} If a shape is not two positive integers.
 *
 * @example A map that peaks on the left half, box on the left half
 * ```ts
 * import assert from "node:assert/strict";
 * const map = new Float32Array([1, 0, 1, 0]);
 * assert.equal(ciou(map, [2, 2], [0, 0, 0.5, 1]), 1);
 * assert.equal(ciou(map, [2, 2], [0.5, 0, 1, 1]), 0);
 * ```
 */
export function ciou(
  map: Float32Array,
  shape: readonly [number, number],
  box: Box,
  options: CiouOptions = {},
): number {
  const { frameShape = shape, mask = "median" } = options;
  checkMap("cIoU", map, shape);
  checkMap("cIoU", new Float32Array(frameShape[0] * frameShape[1]), frameShape);
  checkBox("cIoU", box);
  const values = frameMap(map, shape, frameShape);
  const truth = boxMask(box, frameShape);
  const boxArea = truth.reduce((total, g) => total + g, 0);
  const sorted = values.slice().sort();
  let threshold: number;
  if (mask === "median") threshold = sorted[Math.floor(sorted.length / 2)] as number;
  else threshold = boxArea === 0 ? Infinity : sorted[sorted.length - boxArea] as number;
  let overlap = 0;
  let outside = 0;
  values.forEach((v, i) => {
    if (v < threshold) return;
    if (truth[i] === 1) overlap++;
    else outside++;
  });
  const denominator = boxArea + outside;
  return denominator === 0 ? 0 : overlap / denominator;
}

/**
 * The pointing game (Zhang et al., 2016): a hit when the map's maximum (the first one in row-major order,
 * as `argmax` picks it) has its cell centre inside the box.
 *
 * @param map Row-major `[h, w]` scores.
 * @param shape `[h, w]`.
 * @param box `[x0, y0, x1, y1]` in [0, 1].
 * @returns Whether the peak is inside the box.
 * @throws {TypeError} If `map` does not have `h·w` values or the box is not four finite numbers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const map = new Float32Array([0, 0, 0, 5]);
 * assert.equal(pointingGame(map, [2, 2], [0.5, 0.5, 1, 1]), true);
 * assert.equal(pointingGame(map, [2, 2], [0, 0, 0.5, 0.5]), false);
 * ```
 */
export function pointingGame(map: Float32Array, shape: readonly [number, number], box: Box): boolean {
  checkMap("the pointing game", map, shape);
  checkBox("the pointing game", box);
  const [h, w] = shape;
  const peak = argmax(map);
  const x = ((peak % w) + 0.5) / w;
  const y = (Math.floor(peak / w) + 0.5) / h;
  return x >= Math.min(box[0], box[2]) && x <= Math.max(box[0], box[2]) &&
    y >= Math.min(box[1], box[3]) && y <= Math.max(box[1], box[3]);
}

/**
 * The evaluators' AUC: the trapezoid area (sklearn `auc`) of the share of samples with cIoU ≥ t over
 * t = 0.05·i, i = 0…20. It is a discretised mean cIoU; its floor (every cIoU 0) is 0.025.
 *
 * @param cious Per-sample cIoU values.
 * @returns The area in [0.025, 1], or NaN for no samples.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(localizationAuc([1, 1]), 1);
 * assert.ok(Math.abs(localizationAuc([0]) - 0.025) < 1e-12);
 * ```
 */
export function localizationAuc(cious: readonly number[]): number {
  if (cious.length === 0) return NaN;
  const ts = Array.from({ length: 21 }, (_, i) => 0.05 * i);
  const shares = ts.map((t) => cious.filter((c) => c >= t).length / cious.length);
  let area = 0;
  for (let i = 1; i < ts.length; i++) {
    area += ((ts[i] as number) - (ts[i - 1] as number)) *
      ((shares[i] as number) + (shares[i - 1] as number)) / 2;
  }
  return area;
}

/**
 * AP50: the share of samples with cIoU ≥ 0.5 (the column papers label "cIoU").
 *
 * @param cious Per-sample cIoU values.
 * @returns The share in [0, 1], or NaN for no samples.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(ap50([0.5, 0.2, 0.9, 0.1]), 0.5);
 * ```
 */
export function ap50(cious: readonly number[]): number {
  return cious.length === 0 ? NaN : cious.filter((c) => c >= 0.5).length / cious.length;
}

/**
 * The share of the frame a box covers, at frame resolution (the pixels of its mask).
 *
 * @param box `[x0, y0, x1, y1]` in [0, 1].
 * @param frameShape `[height, width]`.
 * @returns Box pixels / frame pixels.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(boxAreaFraction([0, 0, 0.5, 0.5], [40, 40]), 0.25);
 * ```
 */
export function boxAreaFraction(box: Box, frameShape: readonly [number, number]): number {
  checkBox("the box area", box);
  const truth = boxMask(box, frameShape);
  return truth.reduce((total, g) => total + g, 0) / truth.length;
}
