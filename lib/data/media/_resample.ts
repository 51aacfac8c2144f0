/**
 * Band-limited resampling with a Kaiser-windowed sinc (polyphase table when the rate ratio is a small
 * fraction, on-the-fly kernel otherwise).
 *
 * @module
 */

/** Zero crossings of the sinc on each side, at the lower of the two rates. */
const ZERO_CROSSINGS = 16;
/** Pass band as a fraction of the lower Nyquist frequency (the rest is the transition band). */
const ROLLOFF = 0.945;
/** Kaiser window shape (about 80 dB stop-band attenuation). */
const KAISER_BETA = 8.0;
/** Largest number of phases kept in a precomputed table. */
const MAX_PHASES = 4096;

function besselI0(x: number): number {
  let sum = 1, term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

function greatestCommonDivisor(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * Resamples a mono waveform from `fromRate` to `toRate` (integer rates in Hz).
 * The kernel is a sinc low-passed at 0.945 × the lower Nyquist frequency, windowed by a Kaiser window
 * (β = 8) over 16 zero crossings on each side; samples outside the signal count as zero.
 */
export function resampleAudio(samples: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (fromRate === toRate) return samples.slice();
  const ratio = toRate / fromRate;
  const outLength = Math.max(0, Math.round(samples.length * ratio));
  const out = new Float32Array(outLength);
  const cutoff = Math.min(1, ratio) * ROLLOFF;
  const halfWidth = ZERO_CROSSINGS / Math.min(1, ratio) / ROLLOFF;
  const taps = Math.ceil(halfWidth);
  const norm = besselI0(KAISER_BETA);
  const kernel = (offset: number): number => {
    const u = offset / halfWidth;
    if (u <= -1 || u >= 1) return 0;
    const x = Math.PI * cutoff * offset;
    const sinc = x === 0 ? 1 : Math.sin(x) / x;
    return cutoff * sinc * besselI0(KAISER_BETA * Math.sqrt(1 - u * u)) / norm;
  };
  const divisor = greatestCommonDivisor(fromRate, toRate);
  const up = toRate / divisor, down = fromRate / divisor;
  const width = 2 * taps + 1;
  let table: Float32Array | undefined;
  if (up <= MAX_PHASES) {
    table = new Float32Array(up * width);
    for (let phase = 0; phase < up; phase++) {
      const fraction = phase / up;
      for (let j = -taps; j <= taps; j++) table[phase * width + j + taps] = kernel(fraction - j);
    }
  }
  for (let i = 0; i < outLength; i++) {
    const numerator = i * down;
    const base = Math.floor(numerator / up);
    const phase = numerator - base * up;
    let sum = 0;
    for (let j = -taps; j <= taps; j++) {
      const index = base + j;
      if (index < 0 || index >= samples.length) continue;
      const weight = table ? (table[phase * width + j + taps] as number) : kernel(phase / up - j);
      sum += weight * (samples[index] as number);
    }
    out[i] = sum;
  }
  return out;
}
