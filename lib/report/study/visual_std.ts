/**
 * The per-channel std of a study model's visual normalisation, from its config: what turns a normalised
 * visual budget into pixels (ε_v · std) in the tables, charts and notes.
 *
 * @module
 */
import { type ModelConfigInput, resolveModelConfig } from "../../models/mod.ts";

/**
 * The std a model of this config normalises its frames with, per channel, as `resolveModelConfig` fills
 * it: the `paper` preset's ImageNet std on 3-channel frames, else 0.5 per channel, unless `visual.std`
 * is given.
 *
 * @param model The model config (preset and visual encoder settings; the rest is ignored).
 * @param channels Channels of the frames (the dataset's `imageShape[2]`).
 * @returns One std per channel.
 * @throws {RangeError} If `channels` is not a positive integer or the preset is unknown.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(visualStdOf({ preset: "small" }, 1), [0.5]);
 * assert.deepEqual(visualStdOf({ preset: "paper" }, 3), [0.229, 0.224, 0.225]);
 * ```
 */
export function visualStdOf(model: Pick<ModelConfigInput, "preset" | "visual">, channels: number): number[] {
  const config = resolveModelConfig({
    ...(model.preset !== undefined ? { preset: model.preset } : {}),
    ...(model.visual !== undefined ? { visual: model.visual } : {}),
    kind: "visual",
    numClasses: 2,
    imageShape: [1, 1, channels],
  });
  return [...config.visual.std];
}
