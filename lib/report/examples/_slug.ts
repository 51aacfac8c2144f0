/**
 * File-name-safe names for the example files.
 *
 * @module
 */

/**
 * A name reduced to `[A-Za-z0-9._-]` (other runs become `-`), at most `max` characters, never empty or
 * dot-only.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(slug("violin/clip 01.wav"), "violin-clip-01.wav");
 * assert.equal(slug("../.."), "x");
 * ```
 */
export function slug(name: string, max = 48): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[-.]+|[-.]+$/g, "").slice(0, max);
  return cleaned === "" ? "x" : cleaned;
}
