/**
 * Audio-guided visual attention fusion.
 *
 * @module
 */
import { tf } from "../../engine/tf.ts";
import { denseLayer } from "../_layers.ts";
import type { Fusion, FusionContext } from "./types.ts";

/**
 * Audio-guided attention over visual locations (in the spirit of Tian et al., ECCV 2018): the audio
 * embedding is projected to a query `q = W f_a`; each location `i` of the visual map scores
 * `s_i = ⟨m_i, q⟩ / √d`; the softmax of the scores over locations pools the map into
 * `f_v' = Σ α_i m_i`; one linear layer classifies `[f_v' ‖ f_a]`. The pooled `visualFeatures` of the
 * model are not used here.
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
 * const fusion = createAttentionFusion({
 *   store: new ParameterStore(createRng(1)),
 *   audioDim: 3,
 *   visualDim: 2,
 *   visualMapShape: [2, 2, 2],
 *   numClasses: 5,
 *   options: { hiddenSize: 4, conditioning: "audio" },
 * });
 * const { logits } = fusion.apply({
 *   audio: tf.ones([2, 3]),
 *   visual: tf.ones([2, 2]),
 *   visualMap: tf.ones([2, 2, 2, 2]),
 * });
 * assert.deepEqual(logits.shape, [2, 5]);
 * ```
 */
export function createAttentionFusion(context: FusionContext): Fusion {
  const { store, audioDim, visualDim, visualMapShape, numClasses } = context;
  const [height, width] = visualMapShape;
  const site = (name: string) => ({ store, module: "fusion" as const, name: `fusion/${name}` });
  const query = denseLayer(site("query"), { inFeatures: audioDim, outFeatures: visualDim });
  const classifier = denseLayer(site("classifier"), {
    inFeatures: visualDim + audioDim,
    outFeatures: numClasses,
  });
  const scale = 1 / Math.sqrt(visualDim);
  return {
    apply: ({ audio, visualMap }) => {
      const batch = audio.shape[0];
      const locations = tf.reshape(visualMap, [batch, height * width, visualDim]);
      const q = tf.reshape(query(audio), [batch, visualDim, 1]);
      const scores = tf.mul(tf.reshape(tf.matMul(locations, q), [batch, height * width]), scale);
      const weights = tf.reshape(tf.softmax(scores), [batch, height * width, 1]);
      const attended: tf.Tensor2D = tf.sum(tf.mul(locations, weights), 1);
      return { logits: classifier(tf.concat2d([attended, audio], 1)) };
    },
  };
}
