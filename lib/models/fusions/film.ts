/**
 * FiLM fusion.
 *
 * @module
 */
import { tf } from "../../engine/tf.ts";
import { denseLayer } from "../_layers.ts";
import type { Fusion, FusionContext } from "./types.ts";

/**
 * FiLM fusion (Perez et al. 2018, as used for audio-visual models by OGM-GE): the conditioning modality
 * (`options.conditioning`, audio by default) predicts a per-channel scale γ and shift β of the other
 * modality's embedding, `f = γ ⊙ f_other + β`, and one linear layer classifies `f`.
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
 * const fusion = createFilmFusion({
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
export function createFilmFusion(context: FusionContext): Fusion {
  const { store, audioDim, visualDim, numClasses, options } = context;
  const byAudio = options.conditioning === "audio";
  const conditionDim = byAudio ? audioDim : visualDim;
  const targetDim = byAudio ? visualDim : audioDim;
  const site = (name: string) => ({ store, module: "fusion" as const, name: `fusion/${name}` });
  const film = denseLayer(site("film"), { inFeatures: conditionDim, outFeatures: 2 * targetDim });
  const classifier = denseLayer(site("classifier"), { inFeatures: targetDim, outFeatures: numClasses });
  return {
    apply: ({ audio, visual }) => {
      const parameters = film(byAudio ? audio : visual);
      const scale = tf.slice(parameters, [0, 0], [-1, targetDim]);
      const shift = tf.slice(parameters, [0, targetDim], [-1, targetDim]);
      return { logits: classifier(tf.add(tf.mul(scale, byAudio ? visual : audio), shift)) };
    },
  };
}
