/**
 * Peak normalisation of a perturbation, so that a change too small to hear or see can be heard and seen.
 *
 * @module
 */

/** Options of {@linkcode amplify}. */
export interface AmplifyOptions {
  /** The peak |value| of the result. @default 0.5 */
  peak?: number;
}

/** An amplified signal and the factor it was multiplied by. */
export interface Amplified {
  /** `values · factor`; its peak |value| is `peak` (all zeros for a silent input). */
  values: Float32Array;
  /** The gain, `peak / max|values|`; 1 for a silent input. */
  factor: number;
  /** max |values| of the input. */
  inputPeak: number;
}

/**
 * Scales values so that their peak magnitude is `options.peak` (e.g. an audio perturbation of ε = 0.012
 * becomes audible at 0.5, ×41.7), keeping the factor to label it with.
 *
 * @param values The signal (any range, finite).
 * @param options The target peak.
 * @returns The scaled copy and its factor.
 * @throws {RangeError} If `peak` is not positive or a value is not finite.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const { values, factor } = amplify([0.01, -0.02], { peak: 0.5 });
 * assert.equal(factor, 25);
 * assert.deepEqual(Array.from(values), [0.25, -0.5]);
 * ```
 */
export function amplify(values: ArrayLike<number>, options: AmplifyOptions = {}): Amplified {
  const { peak = 0.5 } = options;
  if (!(peak > 0) || !Number.isFinite(peak)) {
    throw new RangeError(`Cannot amplify: peak must be a positive number, current value is ${peak}`);
  }
  let inputPeak = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) {
      throw new RangeError(`Cannot amplify: values must be finite, current value at ${i} is ${v}`);
    }
    inputPeak = Math.max(inputPeak, Math.abs(v));
  }
  const factor = inputPeak === 0 ? 1 : peak / inputPeak;
  const out = Float32Array.from({ length: values.length }, (_, i) => (values[i] as number) * factor);
  return { values: out, factor, inputPeak };
}
