/**
 * Signal helpers of the display spectrograms: an in-place radix-2 FFT (the HTK mel scale is
 * lib/models' `hertzToMel`/`melToHertz`, the front end's own).
 *
 * @module
 */

/**
 * Transforms `re` + i·`im` in place (forward, no scaling). The length must be a power of two.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const re = new Float64Array([1, 1, 1, 1]), im = new Float64Array(4);
 * fft(re, im);
 * assert.deepEqual(Array.from(re), [4, 0, 0, 0]);
 * ```
 */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j] as number, re[i] as number];
      [im[i], im[j]] = [im[j] as number, im[i] as number];
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const angle = (-2 * Math.PI) / size;
    const [stepRe, stepIm] = [Math.cos(angle), Math.sin(angle)];
    for (let start = 0; start < n; start += size) {
      let [wRe, wIm] = [1, 0];
      for (let k = 0; k < size / 2; k++) {
        const a = start + k, b = a + size / 2;
        const tRe = (re[b] as number) * wRe - (im[b] as number) * wIm;
        const tIm = (re[b] as number) * wIm + (im[b] as number) * wRe;
        re[b] = (re[a] as number) - tRe;
        im[b] = (im[a] as number) - tIm;
        re[a] = (re[a] as number) + tRe;
        im[a] = (im[a] as number) + tIm;
        [wRe, wIm] = [wRe * stepRe - wIm * stepIm, wRe * stepIm + wIm * stepRe];
      }
    }
  }
}
