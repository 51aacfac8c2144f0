/**
 * A reader of the safetensors format (8-byte little-endian header length, a JSON header of
 * name → dtype, shape and byte offsets, then the raw little-endian data), for float32 tensors.
 *
 * @module
 */
import { DataFormatError } from "../data/errors.ts";

/** One float32 tensor of a safetensors file. */
export interface SafeTensor {
  /** Its shape, outermost first (PyTorch's order). */
  shape: number[];
  /** Row-major values. */
  data: Float32Array;
}

interface HeaderEntry {
  dtype?: unknown;
  shape?: unknown;
  data_offsets?: unknown;
}

/**
 * Parses a safetensors file: every tensor must be `F32`, lie inside the data section and have as many
 * bytes as its shape says.
 *
 * @param bytes The file's bytes.
 * @param path The file, for error messages.
 * @returns The tensors by name (`__metadata__` skipped).
 * @throws {DataFormatError} Naming the file and the problem: truncated file, a header that is not JSON, an
 *   unsupported dtype, offsets outside the file, a size that does not match the shape.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const header = new TextEncoder().encode(JSON.stringify({ w: { dtype: "F32", shape: [2], data_offsets: [0, 8] } }));
 * const bytes = new Uint8Array(8 + header.length + 8);
 * new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
 * bytes.set(header, 8);
 * new DataView(bytes.buffer).setFloat32(8 + header.length + 4, 1.5, true);
 * assert.deepEqual(Array.from(readSafetensors(bytes, "w.safetensors").get("w")?.data ?? []), [0, 1.5]);
 * ```
 */
export function readSafetensors(bytes: Uint8Array, path: string): Map<string, SafeTensor> {
  const fail = (problem: string) => new DataFormatError(path, `Cannot read safetensors: ${problem}`);
  if (bytes.length < 8) {
    throw fail(`the file has ${bytes.length} bytes, fewer than the 8 of the header length`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (!(headerLength > 0 && 8 + headerLength <= bytes.length)) {
    throw fail(
      `the header length ${headerLength} does not fit the file's ${bytes.length} bytes (truncated?)`,
    );
  }
  let header: Record<string, HeaderEntry>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch (error) {
    throw fail(`the header is not JSON (${(error as Error).message})`);
  }
  if (header === null || typeof header !== "object" || Array.isArray(header)) {
    throw fail("the header is not a JSON object");
  }
  const dataStart = 8 + headerLength;
  const tensors = new Map<string, SafeTensor>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    const { dtype, shape, data_offsets: offsets } = entry ?? {};
    if (dtype !== "F32") {
      throw fail(`tensor '${name}' has dtype ${JSON.stringify(dtype)}; only F32 is supported (save float32)`);
    }
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw fail(`tensor '${name}' has no valid shape`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o))) {
      throw fail(`tensor '${name}' has no valid data_offsets`);
    }
    const [begin, end] = offsets as [number, number];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (end - begin !== count * 4) {
      throw fail(
        `tensor '${name}' of shape [${shape}] needs ${count * 4} bytes, its offsets span ${end - begin}`,
      );
    }
    if (begin < 0 || dataStart + end > bytes.length) {
      throw fail(
        `tensor '${name}' ends at byte ${dataStart + end}, past the file's ${bytes.length} (truncated?)`,
      );
    }
    const data = new Float32Array(count);
    const source = new DataView(bytes.buffer, bytes.byteOffset + dataStart + begin, count * 4);
    for (let i = 0; i < count; i++) data[i] = source.getFloat32(i * 4, true);
    tensors.set(name, { shape: shape as number[], data });
  }
  return tensors;
}
