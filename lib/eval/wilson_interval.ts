/**
 * Wilson score intervals of accuracies (a count of correct samples out of a total).
 *
 * @module
 */

/** Options of {@linkcode wilsonInterval}. */
export interface WilsonOptions {
  /** Coverage of the interval, in (0, 1). @default 0.95 */
  level?: number;
}

/** A proportion and its interval, all in [0, 1]. */
export interface ProportionInterval {
  /** The observed proportion `correct / total`. */
  value: number;
  /** Lower end. */
  low: number;
  /** Upper end. */
  high: number;
}

// Coefficients of Acklam's rational approximation of the standard normal quantile.
const A = [
  -39.69683028665376,
  220.9460984245205,
  -275.9285104469687,
  138.357751867269,
  -30.66479806614716,
  2.506628277459239,
] as const;
const B = [
  -54.47609879822406,
  161.5858368580409,
  -155.6989798598866,
  66.80131188771972,
  -13.28068155288572,
] as const;
const C = [
  -0.007784894002430293,
  -0.3223964580411365,
  -2.400758277161838,
  -2.549732539343734,
  4.374664141464968,
  2.938163982698783,
] as const;
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416] as const;

/** The standard normal quantile (Acklam's approximation, relative error < 1.2e-9). */
function normalQuantile(p: number): number {
  const tail = (q: number) =>
    (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
    ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5, r = q * q;
  return (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q /
    (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
}

/**
 * The Wilson score interval of an accuracy (Wilson 1927): unlike the normal approximation p ± z·SE it stays
 * inside [0, 1] and keeps a width at 0 % and 100 %, so it suits the small test splits of the smoke profile
 * and the paper's 104-clip MUSIC test set alike.
 *
 * @param correct Samples classified correctly.
 * @param total Samples evaluated.
 * @param options Coverage.
 * @returns The accuracy and its interval, in [0, 1].
 * @throws {RangeError} If `total` is not an integer >= 1, `correct` not an integer in [0, total], or
 *   `level` not in (0, 1).
 *
 * @example Half of ten samples
 * ```ts
 * import assert from "node:assert/strict";
 * const { low, high } = wilsonInterval(5, 10);
 * assert.equal(low.toFixed(4), "0.2366");
 * assert.equal(high.toFixed(4), "0.7634");
 * ```
 */
export function wilsonInterval(
  correct: number,
  total: number,
  options: WilsonOptions = {},
): ProportionInterval {
  const { level = 0.95 } = options;
  if (!Number.isInteger(total) || total < 1) {
    throw new RangeError(
      `Cannot compute the Wilson interval: total must be an integer >= 1, current value is ${total}`,
    );
  }
  if (!Number.isInteger(correct) || correct < 0 || correct > total) {
    throw new RangeError(
      "Cannot compute the Wilson interval: correct must be an integer in " +
        `[0, ${total}], current value is ${correct}`,
    );
  }
  if (!(level > 0 && level < 1)) {
    throw new RangeError(
      `Cannot compute the Wilson interval: level must be in (0, 1), current value is ${level}`,
    );
  }
  const z = normalQuantile((1 + level) / 2);
  const p = correct / total, z2 = z * z;
  const centre = (p + z2 / (2 * total)) / (1 + z2 / total);
  const half = (z / (1 + z2 / total)) * Math.sqrt((p * (1 - p)) / total + z2 / (4 * total * total));
  return {
    value: p,
    low: correct === 0 ? 0 : Math.max(0, centre - half),
    high: correct === total ? 1 : Math.min(1, centre + half),
  };
}
