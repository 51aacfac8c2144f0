/**
 * Separable, antialiased image resampling in the manner of PIL's `Image.resize` (the filter support
 * widens with the down-scaling factor), plus crop and flip, on RGB float images.
 *
 * @module
 */

/** An RGB image, row-major `[height, width, 3]`, values in [0, 1]. */
export interface RgbImage {
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** `height * width * 3` values in [0, 1]. */
  data: Float32Array;
}

/** Interpolation kernels: PIL's bicubic (a = -0.5) and bilinear (triangle). */
export type ResizeFilter = "bicubic" | "bilinear";

const FILTERS: Record<ResizeFilter, { support: number; weight: (x: number) => number }> = {
  bilinear: { support: 1, weight: (x) => Math.max(0, 1 - Math.abs(x)) },
  bicubic: {
    support: 2,
    weight: (x) => {
      const a = -0.5, t = Math.abs(x);
      if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
      if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
      return 0;
    },
  },
};

interface AxisWeights {
  starts: Int32Array;
  counts: Int32Array;
  weights: Float32Array;
  stride: number;
}

function axisWeights(inSize: number, outSize: number, filter: ResizeFilter): AxisWeights {
  const { support, weight } = FILTERS[filter];
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const radius = support * filterScale;
  const stride = Math.ceil(radius) * 2 + 1;
  const starts = new Int32Array(outSize), counts = new Int32Array(outSize);
  const weights = new Float32Array(outSize * stride);
  for (let i = 0; i < outSize; i++) {
    const centre = (i + 0.5) * scale;
    const lo = Math.max(0, Math.floor(centre - radius + 0.5));
    const hi = Math.min(inSize, Math.floor(centre + radius + 0.5));
    let total = 0;
    for (let j = lo; j < hi; j++) {
      const w = weight((j - centre + 0.5) / filterScale);
      weights[i * stride + j - lo] = w;
      total += w;
    }
    if (total !== 0) {
      for (let j = 0; j < hi - lo; j++) weights[i * stride + j] = weights[i * stride + j]! / total;
    }
    starts[i] = lo;
    counts[i] = hi - lo;
  }
  return { starts, counts, weights, stride };
}

/** Resizes to `width` × `height` (values clipped to [0, 1] afterwards, as 8-bit PIL output would be). */
export function resizeRgb(image: RgbImage, width: number, height: number, filter: ResizeFilter): RgbImage {
  if (image.width === width && image.height === height) return { width, height, data: image.data.slice() };
  const horizontal = axisWeights(image.width, width, filter);
  const vertical = axisWeights(image.height, height, filter);
  const temp = new Float32Array(image.height * width * 3);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < width; x++) {
      const start = horizontal.starts[x]!, count = horizontal.counts[x]!, base = x * horizontal.stride;
      let r = 0, g = 0, b = 0;
      for (let k = 0; k < count; k++) {
        const w = horizontal.weights[base + k]!, o = (y * image.width + start + k) * 3;
        r += w * image.data[o]!;
        g += w * image.data[o + 1]!;
        b += w * image.data[o + 2]!;
      }
      const t = (y * width + x) * 3;
      temp[t] = r;
      temp[t + 1] = g;
      temp[t + 2] = b;
    }
  }
  const data = new Float32Array(height * width * 3);
  for (let y = 0; y < height; y++) {
    const start = vertical.starts[y]!, count = vertical.counts[y]!, base = y * vertical.stride;
    for (let x = 0; x < width; x++) {
      let r = 0, g = 0, b = 0;
      for (let k = 0; k < count; k++) {
        const w = vertical.weights[base + k]!, o = ((start + k) * width + x) * 3;
        r += w * temp[o]!;
        g += w * temp[o + 1]!;
        b += w * temp[o + 2]!;
      }
      const t = (y * width + x) * 3;
      data[t] = Math.min(1, Math.max(0, r));
      data[t + 1] = Math.min(1, Math.max(0, g));
      data[t + 2] = Math.min(1, Math.max(0, b));
    }
  }
  return { width, height, data };
}

/** Copies the `width` × `height` window whose top-left corner is (`left`, `top`), optionally mirrored. */
export function cropRgb(
  image: RgbImage,
  left: number,
  top: number,
  width: number,
  height: number,
  flip = false,
): Float32Array {
  const out = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sx = left + (flip ? width - 1 - x : x);
      const s = ((top + y) * image.width + sx) * 3, t = (y * width + x) * 3;
      out[t] = image.data[s]!;
      out[t + 1] = image.data[s + 1]!;
      out[t + 2] = image.data[s + 2]!;
    }
  }
  return out;
}

/** Python's round(): halves go to the even neighbour (torchvision's centre crop uses it). */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x), diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
