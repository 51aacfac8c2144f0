/**
 * Disposal of forward-pass outputs.
 *
 * @module
 */
import type { AvOutput } from "./types.ts";

/**
 * Disposes every tensor of an {@linkcode AvOutput} (logits, features, map, auxiliary logits).
 *
 * @param output What `model.apply` returned.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tf, useBackend } from "../engine/mod.ts";
 * await useBackend("cpu");
 * const before = tf.memory().numTensors;
 * disposeOutput({
 *   logits: tf.zeros([1, 2]),
 *   audioFeatures: tf.zeros([1, 3]),
 *   visualFeatures: null,
 *   visualMap: null,
 * });
 * assert.equal(tf.memory().numTensors, before);
 * ```
 */
export function disposeOutput(output: AvOutput): void {
  const { logits, audioFeatures, visualFeatures, visualMap, auxiliaryLogits, attention } = output;
  for (
    const tensor of [logits, audioFeatures, visualFeatures, visualMap, attention, ...(auxiliaryLogits ?? [])]
  ) {
    tensor?.dispose();
  }
}
