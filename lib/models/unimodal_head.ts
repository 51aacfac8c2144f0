/**
 * The classifier of the unimodal baselines.
 *
 * @module
 */
import type { tf } from "../engine/tf.ts";
import { denseLayer } from "./_layers.ts";
import type { ParameterStore } from "./parameter_store.ts";

/**
 * The unimodal baselines' classifier: one linear layer on the embedding of the only modality, initialised
 * like the paper's concat classifier (weights N(0, (1e-4)²)).
 *
 * @param store Where the parameters go (module `fusion`, names `fusion/classifier/*`).
 * @param inFeatures Embedding size.
 * @param numClasses Number of classes.
 * @returns A function from `[batch, inFeatures]` to logits `[batch, numClasses]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRng, tf, useBackend } from "../engine/mod.ts";
 * import { ParameterStore } from "./parameter_store.ts";
 * await useBackend("cpu");
 * const head = createUnimodalHead(new ParameterStore(createRng(1)), 3, 4);
 * assert.deepEqual(head(tf.ones([2, 3])).shape, [2, 4]);
 * ```
 */
export function createUnimodalHead(
  store: ParameterStore,
  inFeatures: number,
  numClasses: number,
): (features: tf.Tensor2D) => tf.Tensor2D {
  return denseLayer(
    { store, module: "fusion", name: "fusion/classifier" },
    { inFeatures, outFeatures: numClasses, weightStd: 1e-4 },
  );
}
