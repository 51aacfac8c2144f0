/**
 * Image decoding (JPEG and PNG, pure JavaScript: no ffmpeg needed for frame folders), PNG encoding, and
 * the paper's frame preprocessing (resize the shorter side, then centre crop at test time or random crop
 * and flip at training time).
 *
 * @module
 */
import jpeg from "jpeg-js";
import { convertIndexedToRgb, decode as decodePngBytes, encode as encodePngBytes } from "fast-png";
import type { Rng } from "../../engine/random.ts";
import { assertFinite } from "../assert_finite.ts";
import { DataFormatError } from "../errors.ts";
import { cropRgb, type ResizeFilter, resizeRgb, type RgbImage, roundHalfEven } from "./_resize.ts";

export type { ResizeFilter, RgbImage };

function isJpeg(bytes: Uint8Array): boolean {
  return bytes[0] === 0xff && bytes[1] === 0xd8;
}

function isPng(bytes: Uint8Array): boolean {
  return bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
}

function fromBytes(width: number, height: number, data: ArrayLike<number>, channels: number, max: number) {
  const out = new Float32Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < 3; c++) {
      // Gray (+ alpha) images repeat the gray value; alpha is dropped, as PIL's convert("RGB") does.
      const source = channels >= 3 ? c : 0;
      out[p * 3 + c] = (data[p * channels + source] as number) / max;
    }
  }
  return { width, height, data: out };
}

function decodePng(bytes: Uint8Array, path: string): RgbImage {
  const png = decodePngBytes(bytes);
  if (png.palette) {
    const rgb = convertIndexedToRgb(png);
    return fromBytes(png.width, png.height, rgb, rgb.length / (png.width * png.height), 255);
  }
  if (png.depth !== 8 && png.depth !== 16) {
    throw new DataFormatError(path, `Cannot decode PNG: unsupported bit depth ${png.depth}`);
  }
  return fromBytes(png.width, png.height, png.data, png.channels, png.depth === 8 ? 255 : 65535);
}

/**
 * Decodes a JPEG (jpeg-js) or PNG (fast-png) file to RGB values in [0, 1].
 *
 * @param bytes The file's bytes.
 * @param path The file name, used in error messages.
 * @returns The image, row-major `[height, width, 3]`.
 * @throws {DataFormatError} If the bytes are neither JPEG nor PNG, or are corrupt or truncated.
 *
 * @example Round trip through encodePng
 * ```ts
 * import assert from "node:assert/strict";
 * const image = { width: 2, height: 1, data: new Float32Array([1, 0, 0, 0, 0, 1]) };
 * const decoded = decodeImage(encodePng(image), "two.png");
 * assert.deepEqual([...decoded.data], [1, 0, 0, 0, 0, 1]);
 * ```
 */
export function decodeImage(bytes: Uint8Array, path: string): RgbImage {
  const kind = isJpeg(bytes) ? "JPEG" : isPng(bytes) ? "PNG" : undefined;
  if (!kind) throw new DataFormatError(path, "Cannot decode image: the file is neither JPEG nor PNG");
  let image: RgbImage;
  try {
    if (kind === "PNG") image = decodePng(bytes, path);
    else {
      const jpegImage = jpeg.decode(bytes, {
        useTArray: true,
        formatAsRGBA: false,
        maxMemoryUsageInMB: 1024,
      });
      image = fromBytes(jpegImage.width, jpegImage.height, jpegImage.data, 3, 255);
    }
  } catch (error) {
    if (error instanceof DataFormatError) throw error;
    throw new DataFormatError(path, `Cannot decode ${kind}: ${(error as Error).message}`, { cause: error });
  }
  assertFinite(image.data, path, { action: `decode ${kind}`, unit: "pixel values" });
  return image;
}

/**
 * Reads and decodes an image file (see {@linkcode decodeImage}).
 *
 * @param path The file.
 * @returns The image.
 * @throws {DataFormatError} If the file is missing or cannot be decoded.
 *
 * @example
 * ```ts ignore
 * const frame = await readImage("frames/violin/violin_0000.mp4/000041.jpg");
 * ```
 */
export async function readImage(path: string): Promise<RgbImage> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    throw new DataFormatError(path, `Cannot read image: ${(error as Error).message}`, { cause: error });
  }
  return decodeImage(bytes, path);
}

/**
 * Encodes an RGB image as an 8-bit PNG.
 *
 * @param image Values in [0, 1] (clipped).
 * @returns The PNG file's bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const png = encodePng({ width: 1, height: 1, data: new Float32Array([0.5, 0.5, 0.5]) });
 * assert.equal(png[1], 0x50);
 * ```
 */
export function encodePng(image: RgbImage): Uint8Array {
  const data = new Uint8Array(image.width * image.height * 3);
  for (let i = 0; i < data.length; i++) {
    data[i] = Math.round(Math.min(1, Math.max(0, image.data[i] as number)) * 255);
  }
  return encodePngBytes({ width: image.width, height: image.height, data, channels: 3, depth: 8 });
}

/** Options of {@linkcode prepareFrame}. */
export interface PrepareFrameOptions {
  /** Side of the square output frame. @default 224 */
  imageSize?: number;
  /** Training-time processing: resize to ⌊1.1 × imageSize⌋, random crop, random flip. @default false */
  augment?: boolean;
  /** Randomness for the crop and flip; required when `augment` is true. */
  rng?: Rng;
  /** Interpolation (the paper used PIL bicubic). @default "bicubic" */
  filter?: ResizeFilter;
}

/**
 * The paper's frame preprocessing (torchvision `Resize` of the shorter side, then `CenterCrop` at test
 * time, or `Resize(⌊1.1·size⌋)` + `RandomCrop` + `RandomHorizontalFlip` at training time). Resizing is
 * PIL-style antialiased bicubic by default; ImageNet normalisation is left to the model.
 *
 * @param image The decoded frame.
 * @param options Output size and augmentation.
 * @returns `imageSize * imageSize * 3` values in [0, 1], row-major `[height, width, 3]`.
 * @throws {TypeError} If `augment` is true without an `rng`.
 * @throws {RangeError} If `imageSize` is not a positive integer.
 *
 * @example Centre crop of a wide frame
 * ```ts
 * import assert from "node:assert/strict";
 * const image = { width: 4, height: 2, data: new Float32Array(4 * 2 * 3).fill(0.25) };
 * const frame = prepareFrame(image, { imageSize: 2 });
 * assert.equal(frame.length, 12);
 * assert.ok(Math.abs((frame[0] as number) - 0.25) < 1e-6);
 * ```
 */
export function prepareFrame(image: RgbImage, options: PrepareFrameOptions = {}): Float32Array {
  const { imageSize = 224, augment = false, rng, filter = "bicubic" } = options;
  if (!Number.isInteger(imageSize) || imageSize < 1) {
    throw new RangeError(
      `Cannot prepare frame: imageSize must be a positive integer, current value is ${imageSize}`,
    );
  }
  if (augment && !rng) throw new TypeError("Cannot prepare frame: augment needs an rng");
  const shorter = augment ? Math.floor(imageSize * 1.1) : imageSize;
  const { width, height } = image;
  const [outWidth, outHeight] = width <= height
    ? [shorter, Math.floor((shorter * height) / width)]
    : [Math.floor((shorter * width) / height), shorter];
  const resized = Math.min(width, height) === shorter ? image : resizeRgb(image, outWidth, outHeight, filter);
  if (augment && rng) {
    const left = rng.int(resized.width - imageSize + 1);
    const top = rng.int(resized.height - imageSize + 1);
    return cropRgb(resized, left, top, imageSize, imageSize, rng.chance(0.5));
  }
  const left = roundHalfEven((resized.width - imageSize) / 2);
  const top = roundHalfEven((resized.height - imageSize) / 2);
  return cropRgb(resized, left, top, imageSize, imageSize);
}
