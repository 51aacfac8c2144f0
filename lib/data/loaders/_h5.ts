/**
 * Opening HDF5 files with h5wasm, with checks that name the file: existence, HDF5 signature (checked
 * before h5wasm sees the file), dataset key, shape and dtype. Every HDF5 failure (open, dataset lookup,
 * read) becomes a DataFormatError naming the file. The HDF5 library's own error printing (`HDF5-DIAG`
 * blocks on stderr) is replaced by h5wasm's throwing handler, whose text is condensed into the message.
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

let throwing = false;

/** Readies h5wasm, with HDF5 errors thrown as exceptions instead of printed to stderr. */
async function readyQuietly(): Promise<void> {
  const h5 = await h5wasm.ready;
  if (!throwing) {
    h5.activate_throwing_error_handler();
    throwing = true;
  }
}

/**
 * The gist of an h5wasm error: the innermost HDF5 error description of an `HDF5-DIAG` trace (e.g.
 * `truncated file: eof = 1000, …`), else the message itself.
 */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const details = [...message.matchAll(/#\d+: .* in [\w.]+\(\): (.*)$/gm)].map((m) => m[1] ?? "");
  const inner = details[details.length - 1]?.trim();
  return inner || message.split("\n")[0]?.trim() || "unknown HDF5 error";
}

/** Runs an h5wasm call, turning any failure into a DataFormatError naming `path`. */
export function h5Call<T>(path: string, what: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (error instanceof DataFormatError) throw error;
    throw new DataFormatError(path, `Cannot ${what}: ${reasonOf(error)}`, { cause: error });
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
  await readyQuietly();
  return h5Call(path, "open HDF5 file", () => new h5wasm.File(absolute, "r"));
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
  const what = `read HDF5 dataset '${key}'`;
  const dataset = h5Call(path, what, () => file.get(key));
  if (!(dataset instanceof h5wasm.Dataset)) {
    const keys = h5Call(path, what, () => file.keys());
    throw new DataFormatError(path, `Cannot ${what}: no such dataset (keys: ${keys.join(", ")})`);
  }
  const actual = h5Call(path, what, () => dataset.shape) ?? [];
  const wanted = `[${shape.map((d) => d ?? "N").join(", ")}]`;
  if (actual.length !== shape.length || shape.some((d, i) => d !== null && d !== actual[i])) {
    throw new DataFormatError(
      path,
      `Cannot read HDF5 dataset '${key}': the shape must be ${wanted}, current value is [${
        actual.join(", ")
      }]`,
    );
  }
  const { type, size } = h5Call(path, what, () => dataset.metadata);
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

/**
 * Runs an h5wasm read (`dataset.value`, `dataset.slice(…)`) and converts its numbers to float32; a failed
 * read or anything but numbers is a DataFormatError naming `path`.
 */
export function readFloat32(path: string, what: string, read: () => unknown): Float32Array {
  const data = h5Call(path, `read ${what}`, read);
  if (data instanceof Float32Array) return data;
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) return Float32Array.from(data, Number);
  if (
    data instanceof Float64Array || data instanceof Int32Array || data instanceof Uint32Array ||
    data instanceof Int16Array || data instanceof Uint16Array || data instanceof Int8Array ||
    data instanceof Uint8Array
  ) return Float32Array.from(data);
  throw new DataFormatError(path, `Cannot read ${what}: expected numbers, got ${typeof data}`);
}
