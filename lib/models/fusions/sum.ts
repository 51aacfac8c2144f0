/**
 * Sum fusion.
 *
 * @module
 */
import { tf } from "../../engine/tf.ts";
import { denseLayer } from "../_layers.ts";
import type { Fusion, FusionContext } from "./types.ts";

/**
 * Sum fusion: the two embeddings are added element-wise, `f = f_v + f_a`, and one linear layer classifies
 * `f`. Both modalities must share one feature space. When their sizes differ, each is first projected
 * linearly to `options.hiddenSize`. (Summing per-modality *logits*, as OGM-GE's "sum" does, is the same
 * function class as `concat`; see `late` for logit averaging.)
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
 * const fusion = createSumFusion({
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
export function createSumFusion(context: FusionContext): Fusion {
  const { store, audioDim, visualDim, numClasses, options } = context;
  const site = (name: string) => ({ store, module: "fusion" as const, name: `fusion/${name}` });
  const same = audioDim === visualDim;
  const width = same ? audioDim : options.hiddenSize;
  const projectAudio = same
    ? null
    : denseLayer(site("audioProjection"), { inFeatures: audioDim, outFeatures: width });
  const projectVisual = same
    ? null
    : denseLayer(site("visualProjection"), { inFeatures: visualDim, outFeatures: width });
  const classifier = denseLayer(site("classifier"), { inFeatures: width, outFeatures: numClasses });
  return {
    apply: ({ audio, visual }) => {
      const a = projectAudio ? projectAudio(audio) : audio;
      const v = projectVisual ? projectVisual(visual) : visual;
      return { logits: classifier(tf.add(a, v)) };
    },
  };
}
