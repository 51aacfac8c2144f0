/**
 * The fusion registry: every audio-visual fusion shares one interface, (audio features, visual features,
 * visual map) to logits, and is looked up by name in {@linkcode FUSIONS}.
 *
 * @module
 */
import type { FusionFactory, FusionName } from "./types.ts";
import { createConcatFusion } from "./concat.ts";
import { createSumFusion } from "./sum.ts";
import { createFilmFusion } from "./film.ts";
import { createGatedFusion } from "./gated.ts";
import { createAttentionFusion } from "./attention.ts";
import { createLateFusion } from "./late.ts";

/**
 * The fusions, by name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(Object.keys(FUSIONS), ["concat", "sum", "film", "gated", "attention", "late"]);
 * ```
 */
export const FUSIONS: Readonly<Record<FusionName, FusionFactory>> = Object.freeze({
  concat: createConcatFusion,
  sum: createSumFusion,
  film: createFilmFusion,
  gated: createGatedFusion,
  attention: createAttentionFusion,
  late: createLateFusion,
});

/**
 * Whether a string names a fusion.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(isFusionName("film"));
 * assert.ok(!isFusionName("toString"));
 * ```
 */
export function isFusionName(name: string): name is FusionName {
  return Object.hasOwn(FUSIONS, name);
}
