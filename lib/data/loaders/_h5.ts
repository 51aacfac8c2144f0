/**
 * Opening HDF5 files with h5wasm, with checks that name the file: existence, HDF5 signature (checked
 * before h5wasm sees the file, so the HDF5 library prints no diagnostics), dataset key, shape and dtype.
 *
 * @module
 */
import h5wasm, { type Dataset, type File } from "h5wasm/node";
import { resolve } from "node:path";
import { DataFormatError } from "../errors.ts";

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** Element kind of a dataset, from its h5wasm metadata (type 0 = integer, 1 = float). */
export type H5Kind = "int" | "float";

async function hasSignature(path: string): Promise<boolean> {
  const file = await Deno.open(path, { read: true });
  try {
    // The superblock sits at 0 or, after a user block, at 512, 1024, 2048, ...
    for (let offset = 0; offset <= 1 << 20; offset = offset === 0 ? 512 : offset * 2) {
      const head = new Uint8Array(8);
      await file.seek(offset, Deno.SeekMode.Start);
      if ((await file.read(head)) !== 8) return false;
      if (SIGNATURE.every((b, i) => head[i] === b)) return true;
    }
    return false;
  } finally {
    file.close();
  }
}

/** Opens an HDF5 file read-only. */
export async function openH5(path: string): Promise<File> {
  const absolute = resolve(path);
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(absolute);
  } catch (error) {
    throw new DataFormatError(path, `Cannot open HDF5 file: ${(error as Error).message}`, { cause: error });
  }
  if (!info.isFile || !(await hasSignature(absolute))) {
    throw new DataFormatError(path, "Cannot open HDF5 file: the file is not in HDF5 format");
  }
  await h5wasm.ready;
  try {
    return new h5wasm.File(absolute, "r");
  } catch (error) {
    throw new DataFormatError(path, `Cannot open HDF5 file: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The dataset `key` of `file`, checked against `shape` (null = any extent) and the allowed element kinds.
 */
export function checkedDataset(
  file: File,
  path: string,
  key: string,
  shape: readonly (number | null)[],
  kinds: readonly H5Kind[],
): Dataset {
  const dataset = file.get(key);
  if (!(dataset instanceof h5wasm.Dataset)) {
    throw new DataFormatError(
      path,
      `Cannot read HDF5 dataset '${key}': no such dataset (keys: ${file.keys().join(", ")})`,
    );
  }
  const actual = dataset.shape ?? [];
  const wanted = `[${shape.map((d) => d ?? "N").join(", ")}]`;
  if (actual.length !== shape.length || shape.some((d, i) => d !== null && d !== actual[i])) {
    throw new DataFormatError(
      path,
      `Cannot read HDF5 dataset '${key}': the shape must be ${wanted}, current value is [${
        actual.join(", ")
      }]`,
    );
  }
  const { type, size } = dataset.metadata;
  const kind: H5Kind | undefined = type === 0 ? "int" : type === 1 ? "float" : undefined;
  if (!kind || !kinds.includes(kind) || (kind === "float" && size !== 4 && size !== 8)) {
    throw new DataFormatError(
      path,
      `Cannot read HDF5 dataset '${key}': the element type must be ${
        kinds.join(" or ")
      } (float32/float64), current value is '${String(dataset.dtype)}'`,
    );
  }
  return dataset;
}

/** Converts h5wasm's output of a numeric read to float32, failing on anything else. */
export function toFloat32(data: unknown, path: string, what: string): Float32Array {
  if (data instanceof Float32Array) return data;
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) return Float32Array.from(data, Number);
  if (
    data instanceof Float64Array || data instanceof Int32Array || data instanceof Uint32Array ||
    data instanceof Int16Array || data instanceof Uint16Array || data instanceof Int8Array ||
    data instanceof Uint8Array
  ) return Float32Array.from(data);
  throw new DataFormatError(path, `Cannot read ${what}: expected numbers, got ${typeof data}`);
}
