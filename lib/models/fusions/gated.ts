/**
 * Gated fusion.
 *
 * @module
 */
import { tf } from "../../engine/tf.ts";
import { denseLayer } from "../_layers.ts";
import type { Fusion, FusionContext } from "./types.ts";

/**
 * Gated fusion (as in OGM-GE's `GatedFusion`): both embeddings are projected to `options.hiddenSize`; the
 * conditioning modality's projection (audio by default) passes through a sigmoid and gates the other's,
 * `f = σ(W_a f_a) ⊙ (W_v f_v)`, and one linear layer classifies `f`.
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
 * const fusion = createGatedFusion({
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
export function createGatedFusion(context: FusionContext): Fusion {
  const { store, audioDim, visualDim, numClasses, options } = context;
  const width = options.hiddenSize;
  const site = (name: string) => ({ store, module: "fusion" as const, name: `fusion/${name}` });
  const projectAudio = denseLayer(site("audioProjection"), { inFeatures: audioDim, outFeatures: width });
  const projectVisual = denseLayer(site("visualProjection"), { inFeatures: visualDim, outFeatures: width });
  const classifier = denseLayer(site("classifier"), { inFeatures: width, outFeatures: numClasses });
  const byAudio = options.conditioning === "audio";
  return {
    apply: ({ audio, visual }) => {
      const a = projectAudio(audio);
      const v = projectVisual(visual);
      const gated: tf.Tensor2D = byAudio ? tf.mul(tf.sigmoid(a), v) : tf.mul(tf.sigmoid(v), a);
      return { logits: classifier(gated) };
    },
  };
}
