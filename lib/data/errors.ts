/**
 * Errors raised for bad input data.
 *
 * @module
 */

/**
 * A data file that cannot be used: unreadable, truncated, wrong shape, unknown label, missing track.
 * The message names the file and what is wrong; `path` holds the file for callers that collect skips.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const error = new DataFormatError("clips/a.wav", "Cannot read WAV: the file is truncated");
 * assert.match(error.message, /clips\/a\.wav/);
 * ```
 */
export class DataFormatError extends Error {
  /** The offending file (or `file:line` for a CSV row). */
  readonly path: string;
  constructor(path: string, message: string, options?: ErrorOptions) {
    super(`${message}: ${path}`, options);
    this.name = "DataFormatError";
    this.path = path;
  }
}
