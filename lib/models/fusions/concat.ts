/**
 * Concatenation fusion, the paper's classifier.
 *
 * @module
 */
import { tf } from "../../engine/tf.ts";
import { denseLayer } from "../_layers.ts";
import type { Fusion, FusionContext } from "./types.ts";

/**
 * Concatenation fusion (the paper's `Classifier_Concat`): one linear layer on `[f_v ‖ f_a]`, visual first.
 * Weights are drawn from N(0, (1e-4)²) as in the released code; the bias keeps PyTorch's default init.
 *
 * @param context Sizes and the parameter store.
 * @returns The fusion head.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRng, tf, useBackend } from "../../engine/mod.ts";
 * import { ParameterStore } from "../parameter_store.ts";
 * await useBackend("cpu");
 * const fusion = createConcatFusion({
 *   store: new ParameterStore(createRng(1)),
 *   audioDim: 3,
 *   visualDim: 2,
 *   visualMapShape: [1, 1, 2],
 *   numClasses: 5,
 *   options: { hiddenSize: 4, conditioning: "audio" },
 * });
 * const { logits } = fusion.apply({
 *   audio: tf.ones([2, 3]),
 *   visual: tf.ones([2, 2]),
 *   visualMap: tf.ones([2, 1, 1, 2]),
 * });
 * assert.deepEqual(logits.shape, [2, 5]);
 * ```
 */
export function createConcatFusion(context: FusionContext): Fusion {
  const { store, audioDim, visualDim, numClasses } = context;
  const classifier = denseLayer(
    { store, module: "fusion", name: "fusion/classifier" },
    { inFeatures: visualDim + audioDim, outFeatures: numClasses, weightStd: 1e-4 },
  );
  return { apply: ({ audio, visual }) => ({ logits: classifier(tf.concat([visual, audio], 1)) }) };
}
