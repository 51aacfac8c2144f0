/**
 * A small seeded random number generator (SplitMix32 for seeding, xoshiro128** for the stream).
 * All randomness in avrobust comes from an {@linkcode Rng}: never `Math.random` or `tf.util.shuffle`.
 *
 * @example Same seed, same numbers
 * ```ts
 * import assert from "node:assert/strict";
 * const a = createRng(7), b = createRng(7);
 * assert.equal(a.uniform(), b.uniform());
 * assert.ok(a.int(10) < 10);
 * ```
 *
 * @module
 */

/** A seeded random stream. Methods advance the stream; {@linkcode Rng.fork} derives an independent child. */
export interface Rng {
  /** Uniform float in [0, 1). */
  uniform(): number;
  /** Uniform float in [low, high). */
  range(low: number, high: number): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal sample (Box-Muller). */
  normal(): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** Fisher-Yates shuffle in place; returns the same array. */
  shuffle<T>(items: T[]): T[];
  /** An independent stream derived from this one and a label (stable for the same label). */
  fork(label: string | number): Rng;
  /** The seed this stream was created from. */
  readonly seed: number;
}

function splitMix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** 32-bit FNV-1a hash of a string, used to derive fork seeds from labels. */
export function hashString32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * Creates a seeded random stream.
 *
 * @param seed Any integer; the same seed always gives the same stream.
 * @returns A new {@linkcode Rng}.
 * @throws {TypeError} If `seed` is not a finite integer.
 */
export function createRng(seed: number): Rng {
  if (!Number.isInteger(seed)) {
    throw new TypeError(`Cannot create a random stream: seed must be an integer, current value is ${seed}`);
  }
  const init = splitMix32(seed);
  let a = init(), b = init(), c = init(), d = init();
  if ((a | b | c | d) === 0) a = 1;
  const next = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  let spare: number | undefined;
  const rng: Rng = {
    seed,
    uniform: () => next() / 4294967296,
    range: (low, high) => low + (high - low) * (next() / 4294967296),
    int: (n) => Math.floor((next() / 4294967296) * n),
    normal: () => {
      if (spare !== undefined) {
        const value = spare;
        spare = undefined;
        return value;
      }
      let u = 0;
      while (u === 0) u = next() / 4294967296;
      const v = next() / 4294967296;
      const radius = Math.sqrt(-2 * Math.log(u));
      spare = radius * Math.sin(2 * Math.PI * v);
      return radius * Math.cos(2 * Math.PI * v);
    },
    chance: (p) => next() / 4294967296 < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError("Cannot pick from an empty array");
      return items[Math.floor((next() / 4294967296) * items.length)] as T;
    },
    shuffle: <T>(items: T[]): T[] => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor((next() / 4294967296) * (i + 1));
        const tmp = items[i] as T;
        items[i] = items[j] as T;
        items[j] = tmp;
      }
      return items;
    },
    fork: (label) => createRng((hashString32(`${seed}:${label}`) ^ Math.imul(seed, 0x27d4eb2d)) | 0),
  };
  return rng;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
