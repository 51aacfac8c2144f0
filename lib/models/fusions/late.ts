/**
 * Late fusion.
 *
 * @module
 */
import { tf } from "../../engine/tf.ts";
import { denseLayer } from "../_layers.ts";
import type { Fusion, FusionContext } from "./types.ts";

/**
 * Late fusion: a linear classifier per modality, and the logits are their average,
 * `z = (W_a f_a + W_v f_v) / 2`. The unimodal logits come back as `auxiliaryLogits`, so that a trainer
 * can add a cross-entropy loss per modality (each head then learns to classify on its own, the usual
 * meaning of late fusion; trained on `z` alone it would be the same function class as `concat`).
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
 * const fusion = createLateFusion({
 *   store: new ParameterStore(createRng(1)),
 *   audioDim: 3,
 *   visualDim: 2,
 *   visualMapShape: [1, 1, 2],
 *   numClasses: 5,
 *   options: { hiddenSize: 4, conditioning: "audio" },
 * });
 * const out = fusion.apply({
 *   audio: tf.ones([2, 3]),
 *   visual: tf.ones([2, 2]),
 *   visualMap: tf.ones([2, 1, 1, 2]),
 * });
 * assert.deepEqual(out.logits.shape, [2, 5]);
 * assert.equal(out.auxiliaryLogits?.length, 2);
 * ```
 */
export function createLateFusion(context: FusionContext): Fusion {
  const { store, audioDim, visualDim, numClasses } = context;
  const site = (name: string) => ({ store, module: "fusion" as const, name: `fusion/${name}` });
  const audioHead = denseLayer(site("audioClassifier"), { inFeatures: audioDim, outFeatures: numClasses });
  const visualHead = denseLayer(site("visualClassifier"), { inFeatures: visualDim, outFeatures: numClasses });
  return {
    apply: ({ audio, visual }) => {
      const a = audioHead(audio);
      const v = visualHead(visual);
      return { logits: tf.mul(tf.add(a, v), 0.5), auxiliaryLogits: [a, v] };
    },
  };
}
