/**
 * Bytes as a `data:` URI, for media embedded in a self-contained page or a notebook output.
 *
 * @module
 */
import { Buffer } from "node:buffer";

/**
 * A base64 `data:` URI.
 *
 * @param bytes The file's bytes.
 * @param mime Its media type, e.g. `audio/wav`, `image/png`, `image/svg+xml`.
 * @returns `data:<mime>;base64,<bytes>`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(dataUri(new TextEncoder().encode("RIFF"), "audio/wav"), "data:audio/wav;base64,UklGRg==");
 * ```
 */
export function dataUri(bytes: Uint8Array, mime: string): string {
  return `data:${mime};base64,${Buffer.from(bytes).toString("base64")}`;
}
