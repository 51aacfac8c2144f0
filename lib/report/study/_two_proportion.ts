/**
 * The two-proportion z-test behind "beyond noise" (part of {@linkcode compareRuns}).
 *
 * @module
 */
import type { CellCount } from "./_run_cells.ts";

/** erfc(x), Numerical Recipes' Chebyshev fit (fractional error below 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x), t = 1 / (1 + 0.5 * z);
  const coefficients = [
    -1.26551223,
    1.00002368,
    0.37409196,
    0.09678418,
    -0.18628806,
    0.27886807,
    -1.13520398,
    1.48851587,
    -0.82215223,
    0.17087277,
  ];
  const poly = coefficients.reduceRight((sum, c) => c + t * sum, 0);
  const r = t * Math.exp(-z * z + poly);
  return x >= 0 ? r : 2 - r;
}

/** Two-sided p-value of the pooled two-proportion z-test of `a` against `b` (NaN for an empty side). */
export function twoProportionPValue(a: CellCount, b: CellCount): number {
  if (a.total <= 0 || b.total <= 0) return Number.NaN;
  const pooled = (a.correct + b.correct) / (a.total + b.total);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.total + 1 / b.total));
  const difference = b.correct / b.total - a.correct / a.total;
  if (se === 0) return difference === 0 ? 1 : 0;
  return Math.min(1, erfc(Math.abs(difference / se) / Math.SQRT2));
}
