/**
 * Target classes for targeted attacks.
 *
 * @module
 */
import type { Rng } from "../engine/random.ts";
import type { TargetMode } from "./types.ts";

/** Inputs of {@linkcode chooseTargets}. */
export interface TargetInputs {
  /** Int32 true labels. */
  labels: Int32Array;
  /** Number of classes. */
  numClasses: number;
  /** Clean logits `[batch, numClasses]` row-major; needed for `"leastLikely"`. */
  cleanLogits?: Float32Array;
  /** `batch.targets`; needed for `"given"`. */
  given?: Int32Array;
  /** Randomness; needed for `"random"`. */
  rng?: Rng;
}

/**
 * Picks one target class per sample, or null for `"none"`.
 *
 * @param mode The targeting mode.
 * @param inputs Labels and whatever the mode needs.
 * @returns Target classes, or null when untargeted.
 * @throws {TypeError} If the mode needs an input that is missing or of the wrong length.
 * @throws {RangeError} If a given target is not a class index.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(chooseTargets("next", { labels: new Int32Array([0, 2]), numClasses: 3 }), [1, 0]);
 * ```
 */
export function chooseTargets(mode: TargetMode, inputs: TargetInputs): number[] | null {
  const { labels, numClasses } = inputs;
  const n = labels.length;
  switch (mode) {
    case "none":
      return null;
    case "next":
      return Array.from(labels, (y) => (y + 1) % numClasses);
    case "random": {
      const { rng } = inputs;
      if (!rng) throw new TypeError("Cannot choose random targets: a random stream is required");
      return Array.from(labels, (y) => (y + 1 + rng.int(numClasses - 1)) % numClasses);
    }
    case "leastLikely": {
      const { cleanLogits } = inputs;
      if (!cleanLogits || cleanLogits.length !== n * numClasses) {
        throw new TypeError(
          `Cannot choose least-likely targets: clean logits of ${n} x ${numClasses} values are required`,
        );
      }
      return Array.from({ length: n }, (_, i) => {
        let best = 0;
        for (let k = 1; k < numClasses; k++) {
          if ((cleanLogits[i * numClasses + k] ?? 0) < (cleanLogits[i * numClasses + best] ?? 0)) best = k;
        }
        return best;
      });
    }
    case "given": {
      const { given } = inputs;
      if (!given || given.length !== n) {
        throw new TypeError(
          `Cannot use given targets: batch.targets must hold ${n} class indices, current value is ${
            given ? given.length : "missing"
          }`,
        );
      }
      for (const t of given) {
        if (!Number.isInteger(t) || t < 0 || t >= numClasses) {
          throw new RangeError(
            `Cannot use given targets: each must be in [0, ${numClasses}), current value is ${t}`,
          );
        }
      }
      return Array.from(given);
    }
    default: {
      const unknown: never = mode;
      throw new RangeError(`Cannot choose targets: unknown mode '${unknown}'`);
    }
  }
}
