/**
 * The one finiteness check of decoded data: every decoder (WAV, images, ffmpeg's audio and frames, HDF5
 * features) calls it at its boundary, so that a NaN or an infinity in a file never reaches a model.
 *
 * @module
 */
import { DataFormatError } from "./errors.ts";

/** Options of {@linkcode assertFinite}. */
export interface AssertFiniteOptions {
  /** What the caller was doing, after "Cannot" in the message. @default "read data" */
  action?: string;
  /** What the values are, e.g. `samples` or `pixel values`. @default "values" */
  unit?: string;
}

/**
 * Throws unless every value is finite, counting the values that are not.
 *
 * @param values Decoded values.
 * @param path The file they come from, named in the error (`path` of the error).
 * @param options Wording of the message.
 * @throws {DataFormatError} If any value is NaN or ±Infinity; the message says how many of how many.
 *
 * @example A float WAV holding NaN samples
 * ```ts
 * import assert from "node:assert/strict";
 * import { DataFormatError } from "./errors.ts";
 * assertFinite(new Float32Array([0, 0.5, -1]), "ok.wav");
 * assert.throws(
 *   () => assertFinite(new Float32Array([0, NaN, Infinity]), "bad.wav", { action: "read WAV", unit: "samples" }),
 *   (e: unknown) => e instanceof DataFormatError && e.path === "bad.wav" &&
 *     e.message === "Cannot read WAV: 2 of 3 samples are not finite (NaN or ±Infinity): bad.wav",
 * );
 * ```
 */
export function assertFinite(
  values: ArrayLike<number>,
  path: string,
  options: AssertFiniteOptions = {},
): void {
  const { action = "read data", unit = "values" } = options;
  let bad = 0;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) bad++;
  }
  if (bad === 0) return;
  throw new DataFormatError(
    path,
    `Cannot ${action}: ${bad} of ${values.length} ${unit} ${
      bad === 1 ? "is" : "are"
    } not finite (NaN or ±Infinity)`,
  );
}
