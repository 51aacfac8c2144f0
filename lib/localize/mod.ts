/**
 * Sound-source localization, measured clean and under attack: the metrics of the localization
 * literature (cIoU with the evaluators' median threshold, AP50, AUC, the pointing game, the oracle-area
 * variant), map-shift measures (peak displacement, mass in the box, rank correlation) and seeded
 * bootstrap intervals.
 *
 * @example Score a map against a box
 * ```ts
 * import assert from "node:assert/strict";
 * import { ciou, localizationAuc, pointingGame } from "./mod.ts";
 * const map = new Float32Array([1, 0, 1, 0]);
 * const box = [0, 0, 0.5, 1] as const;
 * assert.equal(ciou(map, [2, 2], box, { frameShape: [40, 40] }), 1);
 * assert.equal(pointingGame(map, [2, 2], box), true);
 * assert.equal(localizationAuc([1]), 1);
 * ```
 *
 * @module
 */
export * from "./bootstrap.ts";
export * from "./map_shift.ts";
export * from "./metrics.ts";
export * from "./localizers.ts";
export * from "./smooth_map.ts";
export * from "./map_attack.ts";
