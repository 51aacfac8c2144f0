/**
 * Small image operations on float frames (row-major `[height, width, channels]`, values in [0, 1]) used
 * by the built-in datasets: blur, DCT energy removal, and drawing transformed RGBA sprites.
 *
 * @module
 */
import type { Box } from "../types.ts";

/** Separable Gaussian blur in place (edges clamped). */
export function gaussianBlur(
  image: Float32Array,
  width: number,
  height: number,
  channels: number,
  sigma: number,
): void {
  if (sigma <= 0) return;
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let k = -radius; k <= radius; k++) {
    sum += kernel[k + radius] = Math.exp(-(k * k) / (2 * sigma * sigma));
  }
  for (let k = 0; k < kernel.length; k++) kernel[k] = (kernel[k] as number) / sum;
  const temp = new Float32Array(image.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        let acc = 0;
        for (let k = -radius; k <= radius; k++) {
          const xx = Math.min(width - 1, Math.max(0, x + k));
          acc += (kernel[k + radius] as number) * (image[(y * width + xx) * channels + c] as number);
        }
        temp[(y * width + x) * channels + c] = acc;
      }
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        let acc = 0;
        for (let k = -radius; k <= radius; k++) {
          const yy = Math.min(height - 1, Math.max(0, y + k));
          acc += (kernel[k + radius] as number) * (temp[(yy * width + x) * channels + c] as number);
        }
        image[(y * width + x) * channels + c] = acc;
      }
    }
  }
}

const dctCache = new Map<number, Float32Array>();

/** Orthonormal DCT-II basis `basis[k * n + i]`. */
function dctBasis(n: number): Float32Array {
  let basis = dctCache.get(n);
  if (!basis) {
    basis = new Float32Array(n * n);
    for (let k = 0; k < n; k++) {
      const scale = Math.sqrt((k === 0 ? 1 : 2) / n);
      for (let i = 0; i < n; i++) basis[k * n + i] = scale * Math.cos((Math.PI * (i + 0.5) * k) / n);
    }
    dctCache.set(n, basis);
  }
  return basis;
}

/**
 * Energy removal on a square one-channel image, in place: keeps only the `keep × keep` lowest-frequency
 * 2-D DCT coefficients (a fixed-basis stand-in for AV-MNIST's PCA energy removal).
 */
export function dctLowPass(image: Float32Array, size: number, keep: number): void {
  const basis = dctBasis(size);
  const coefficients = new Float32Array(keep * keep);
  for (let u = 0; u < keep; u++) {
    for (let v = 0; v < keep; v++) {
      let acc = 0;
      for (let y = 0; y < size; y++) {
        const by = basis[u * size + y] as number;
        for (let x = 0; x < size; x++) {
          acc += by * (basis[v * size + x] as number) * (image[y * size + x] as number);
        }
      }
      coefficients[u * keep + v] = acc;
    }
  }
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let acc = 0;
      for (let u = 0; u < keep; u++) {
        const by = basis[u * size + y] as number;
        for (let v = 0; v < keep; v++) {
          acc += (coefficients[u * keep + v] as number) * by * (basis[v * size + x] as number);
        }
      }
      image[y * size + x] = acc;
    }
  }
}

/** An RGBA sprite with premultiplied alpha in [0, 1], plus a half-size copy chain for minification. */
export interface Sprite {
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** Premultiplied RGBA, row-major. */
  rgba: Float32Array;
  /** The next smaller level (half size), if any. */
  smaller?: Sprite;
}

/** Builds a sprite (and its half-size chain down to 8 px) from premultiplied RGBA bytes. */
export function makeSprite(width: number, height: number, rgba: Float32Array): Sprite {
  const sprite: Sprite = { width, height, rgba };
  if (width >= 16 && height >= 16) {
    const w = Math.floor(width / 2), h = Math.floor(height / 2);
    const half = new Float32Array(w * h * 4);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let c = 0; c < 4; c++) {
          const at = (yy: number, xx: number) => rgba[(yy * width + xx) * 4 + c] as number;
          half[(y * w + x) * 4 + c] =
            (at(2 * y, 2 * x) + at(2 * y, 2 * x + 1) + at(2 * y + 1, 2 * x) + at(2 * y + 1, 2 * x + 1)) / 4;
        }
      }
    }
    sprite.smaller = makeSprite(w, h, half);
  }
  return sprite;
}

/** Where and how to draw a sprite. */
export interface Placement {
  /** Centre in frame pixels. */
  centerX: number;
  /** Centre in frame pixels. */
  centerY: number;
  /** Length of the sprite's longer side in frame pixels. */
  size: number;
  /** Rotation in radians. */
  angle: number;
  /** Mirror horizontally. */
  flip: boolean;
  /** Overall opacity in [0, 1]. */
  opacity: number;
  /**
   * Stretch the sprite to exactly this rectangle (frame pixels, before rotation) instead of scaling it
   * uniformly so that its longer side is `size`. @default uniform scaling
   */
  fit?: { width: number; height: number };
}

/**
 * Draws `sprite` onto an RGB frame with bilinear sampling from the mip level nearest to the drawn size
 * (scaled uniformly, or stretched to `placement.fit`);
 * `recolour` maps the sprite's un-premultiplied colour to the drawn colour. Returns the box (in [0, 1]
 * frame coordinates) of the pixels the sprite covers with alpha > 0.25, or undefined if none.
 */
export function drawSprite(
  frame: Float32Array,
  frameWidth: number,
  frameHeight: number,
  sprite: Sprite,
  placement: Placement,
  recolour: (rgb: [number, number, number]) => [number, number, number],
): Box | undefined {
  const { fit } = placement;
  let level = sprite;
  const fits = (next: Sprite) =>
    fit
      ? next.width >= fit.width * 1.5 && next.height >= fit.height * 1.5
      : Math.max(next.width, next.height) >= placement.size * 1.5;
  while (level.smaller && fits(level.smaller)) level = level.smaller;
  const levelScale = (placement.size / Math.max(sprite.width, sprite.height)) * (sprite.width / level.width);
  const scaleX = fit ? fit.width / level.width : levelScale,
    scaleY = fit ? fit.height / level.height : levelScale;
  const cos = Math.cos(placement.angle), sin = Math.sin(placement.angle);
  const reach = fit ? Math.hypot(fit.width, fit.height) / 2 + 1 : placement.size * 0.75;
  const x0 = Math.max(0, Math.floor(placement.centerX - reach)),
    x1 = Math.min(frameWidth - 1, Math.ceil(placement.centerX + reach));
  const y0 = Math.max(0, Math.floor(placement.centerY - reach)),
    y1 = Math.min(frameHeight - 1, Math.ceil(placement.centerY + reach));
  let bx0 = Infinity, by0 = Infinity, bx1 = -Infinity, by1 = -Infinity;
  const rgb: [number, number, number] = [0, 0, 0];
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const dx = x + 0.5 - placement.centerX, dy = y + 0.5 - placement.centerY;
      let u = (cos * dx + sin * dy) / scaleX, v = (-sin * dx + cos * dy) / scaleY;
      if (placement.flip) u = -u;
      u += level.width / 2 - 0.5;
      v += level.height / 2 - 0.5;
      if (u < -1 || v < -1 || u > level.width || v > level.height) continue;
      const iu = Math.floor(u), iv = Math.floor(v), fu = u - iu, fv = v - iv;
      const sample = (c: number) => {
        const at = (yy: number, xx: number) =>
          xx < 0 || yy < 0 || xx >= level.width || yy >= level.height
            ? 0
            : (level.rgba[(yy * level.width + xx) * 4 + c] as number);
        return (at(iv, iu) * (1 - fu) + at(iv, iu + 1) * fu) * (1 - fv) +
          (at(iv + 1, iu) * (1 - fu) + at(iv + 1, iu + 1) * fu) * fv;
      };
      const alpha = sample(3);
      if (alpha <= 1e-3) continue;
      rgb[0] = Math.min(1, sample(0) / alpha),
        rgb[1] = Math.min(1, sample(1) / alpha),
        rgb[2] = Math.min(1, sample(2) / alpha);
      const colour = recolour(rgb);
      const a = alpha * placement.opacity;
      for (let c = 0; c < 3; c++) {
        const index = (y * frameWidth + x) * 3 + c;
        frame[index] = (frame[index] as number) * (1 - a) + (colour[c] as number) * a;
      }
      if (alpha > 0.25) {
        bx0 = Math.min(bx0, x),
          by0 = Math.min(by0, y),
          bx1 = Math.max(bx1, x + 1),
          by1 = Math.max(by1, y + 1);
      }
    }
  }
  if (bx1 < 0) return undefined;
  return [bx0 / frameWidth, by0 / frameHeight, bx1 / frameWidth, by1 / frameHeight];
}

/** Adds Gaussian noise of standard deviation `std` and clamps to [0, 1], in place. */
export function addNoiseAndClamp(frame: Float32Array, std: number, normal: () => number): void {
  for (let i = 0; i < frame.length; i++) {
    const value = (frame[i] as number) + (std > 0 ? std * normal() : 0);
    frame[i] = value < 0 ? 0 : value > 1 ? 1 : value;
  }
}
