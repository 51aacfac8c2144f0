/**
 * Seeded percentile bootstrap intervals of per-sample statistics.
 *
 * @module
 */
import { createRng } from "../engine/random.ts";

/** Options of {@linkcode bootstrapInterval}. */
export interface BootstrapOptions {
  /** Seed of the resampling. @default 0 */
  seed?: number;
  /** Resamples. @default 1000 */
  resamples?: number;
  /** Coverage of the interval. @default 0.95 */
  level?: number;
  /** The statistic of one resample. @default the mean (NaN values skipped) */
  statistic?: (values: readonly number[]) => number;
}

/** The statistic and its percentile bootstrap interval. */
export interface Interval {
  /** The statistic on the original sample. */
  value: number;
  /** Lower end. */
  low: number;
  /** Upper end. */
  high: number;
}

function mean(values: readonly number[]): number {
  const kept = values.filter((v) => !Number.isNaN(v));
  return kept.length === 0 ? NaN : kept.reduce((a, b) => a + b, 0) / kept.length;
}

/**
 * The percentile bootstrap: resample the values with replacement `resamples` times (the project's seeded
 * generator), take the statistic of each, and return the (1 − level)/2 and (1 + level)/2 quantiles.
 *
 * @param values Per-sample values (e.g. cIoU, 0/1 hits).
 * @param options Seed, resamples, level, statistic.
 * @returns The statistic and its interval (all NaN for no values).
 * @throws {RangeError} If `resamples` is not a positive integer or `level` is not in (0, 1).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const { value, low, high } = bootstrapInterval([0, 1, 0, 1, 1, 0, 1, 0], { seed: 1 });
 * assert.equal(value, 0.5);
 * assert.ok(low < 0.5 && high > 0.5);
 * assert.deepEqual(bootstrapInterval([2, 2, 2]), { value: 2, low: 2, high: 2 });
 * ```
 */
export function bootstrapInterval(values: readonly number[], options: BootstrapOptions = {}): Interval {
  const { seed = 0, resamples = 1000, level = 0.95, statistic = mean } = options;
  if (!Number.isSafeInteger(resamples) || resamples < 1) {
    throw new RangeError(
      `Cannot bootstrap: resamples must be a positive integer, current value is ${resamples}`,
    );
  }
  if (!(level > 0 && level < 1)) {
    throw new RangeError(`Cannot bootstrap: level must be in (0, 1), current value is ${level}`);
  }
  if (values.length === 0) return { value: NaN, low: NaN, high: NaN };
  const rng = createRng(seed);
  const stats: number[] = [];
  const draw = new Array<number>(values.length);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < values.length; i++) draw[i] = values[rng.int(values.length)] as number;
    stats.push(statistic(draw));
  }
  const kept = stats.filter((s) => !Number.isNaN(s)).sort((a, b) => a - b);
  const quantile = (q: number) => {
    if (kept.length === 0) return NaN;
    const at = q * (kept.length - 1);
    const low = Math.floor(at);
    const high = Math.min(low + 1, kept.length - 1);
    return (kept[low] as number) + ((kept[high] as number) - (kept[low] as number)) * (at - low);
  };
  return { value: statistic(values), low: quantile((1 - level) / 2), high: quantile((1 + level) / 2) };
}
