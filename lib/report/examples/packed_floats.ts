/**
 * Float arrays packed into JSON-safe strings, so that a cached cell can carry waveforms and frames
 * compactly (5.3 characters per value instead of ~20 as JSON numbers) and bit-exactly.
 *
 * @module
 */
import { Buffer } from "node:buffer";

/** Base64 of little-endian float32 values (see {@linkcode packFloats}). */
export type PackedFloats = string;

/**
 * Packs values as base64 of little-endian float32, bit-exact for float32 input.
 *
 * @param values The values (rounded to float32).
 * @returns The packed string.
 *
 * @example Round trip
 * ```ts
 * import assert from "node:assert/strict";
 * const packed = packFloats(new Float32Array([0.5, -1, 3]));
 * assert.deepEqual(Array.from(unpackFloats(packed)), [0.5, -1, 3]);
 * ```
 */
export function packFloats(values: ArrayLike<number>): PackedFloats {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i] as number, true);
  return Buffer.from(bytes).toString("base64");
}

/**
 * Unpacks a string written by {@linkcode packFloats}.
 *
 * @param packed The packed string.
 * @returns A fresh array.
 * @throws {SyntaxError} If the decoded byte count is not a multiple of 4.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(unpackFloats(packFloats([1, 2])).length, 2);
 * ```
 */
export function unpackFloats(packed: PackedFloats): Float32Array {
  const bytes = Buffer.from(packed, "base64");
  if (bytes.byteLength % 4 !== 0) {
    throw new SyntaxError(
      `Cannot unpack floats: the byte count must be a multiple of 4, current value is ${bytes.byteLength}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values = new Float32Array(bytes.byteLength / 4);
  for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(i * 4, true);
  return values;
}
