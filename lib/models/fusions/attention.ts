/**
 * Audio-guided visual attention fusion.
 *
 * @module
 */
import { tf } from "../../engine/tf.ts";
import { denseLayer } from "../_layers.ts";
import type { Fusion, FusionContext } from "./types.ts";

/**
 * Audio-guided attention over visual locations (in the spirit of Tian et al., ECCV 2018). Each location
 * `i` of the visual map gets a score: with `attentionScore: "scaledDot"` (default) the audio embedding is
 * projected to a query `q = W f_a` and `s_i = ⟨m_i, q⟩ / √d`; with `"additive"` it is the AVE model's
 * `s_i = wᵀ tanh(W_v m_i + W_a f_a)` with `hiddenSize` units. The softmax of the scores over locations,
 * α (returned as `attention`, `[batch, h, w]`), pools the map into `f_v' = Σ α_i m_i`; one linear layer
 * classifies `[f_v' ‖ f_a]`. The pooled `visualFeatures` of the model are not used here. With
 * `attendedHead`, a second linear layer classifies `f_v'` alone (returned as `auxiliaryLogits` for the
 * training loss), so that the attention has to pick the location whose content names the class; with
 * `attendedHead: "locations"` it classifies each location `m_i` alone and the auxiliary output is
 * `log Σ α_i softmax(h(m_i))`, the attention-weighted mixture of what each location says.
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
 * const { logits, attention } = fusion.apply({
 *   audio: tf.ones([2, 3]),
 *   visual: tf.ones([2, 2]),
 *   visualMap: tf.ones([2, 2, 2, 2]),
 * });
 * assert.deepEqual(logits.shape, [2, 5]);
 * assert.deepEqual(attention?.shape, [2, 2, 2]);
 * ```
 */
export function createAttentionFusion(context: FusionContext): Fusion {
  const { store, audioDim, visualDim, visualMapShape, numClasses, options } = context;
  const [height, width] = visualMapShape;
  const locationCount = height * width;
  const site = (name: string) => ({ store, module: "fusion" as const, name: `fusion/${name}` });
  const score = options.attentionScore === "additive"
    ? additiveScore(site, audioDim, visualDim, options.hiddenSize)
    : dotScore(site, audioDim, visualDim);
  const classifier = denseLayer(site("classifier"), {
    inFeatures: visualDim + audioDim,
    outFeatures: numClasses,
  });
  const attendedHead = options.attendedHead
    ? denseLayer(site("attended-classifier"), { inFeatures: visualDim, outFeatures: numClasses })
    : null;
  return {
    apply: ({ audio, visualMap }) => {
      const batch = audio.shape[0];
      const locations = tf.reshape<tf.Rank.R3>(visualMap, [batch, locationCount, visualDim]);
      const alpha = tf.softmax(score(locations, audio));
      const weights = tf.reshape(alpha, [batch, locationCount, 1]);
      const attended: tf.Tensor2D = tf.sum(tf.mul(locations, weights), 1);
      return {
        logits: classifier(tf.concat2d([attended, audio], 1)),
        attention: tf.reshape<tf.Rank.R3>(alpha, [batch, height, width]),
        ...(attendedHead
          ? {
            auxiliaryLogits: [
              options.attendedHead === "locations"
                ? locationEvidence(attendedHead, locations, alpha)
                : attendedHead(attended),
            ],
          }
          : {}),
      };
    },
  };
}

/**
 * `log Σ_i α_i softmax(h(m_i))` `[batch, classes]`: the attention-weighted mixture of what each location
 * alone says, as log-probabilities (valid logits for a softmax cross-entropy).
 */
function locationEvidence(
  head: (x: tf.Tensor2D) => tf.Tensor2D,
  locations: tf.Tensor3D,
  alpha: tf.Tensor2D,
): tf.Tensor2D {
  const [batch, count, dim] = locations.shape;
  const perLocation = tf.softmax(head(tf.reshape<tf.Rank.R2>(locations, [batch * count, dim])));
  const classes = perLocation.shape[1];
  const mixed = tf.matMul(
    tf.reshape<tf.Rank.R3>(alpha, [batch, 1, count]),
    tf.reshape<tf.Rank.R3>(perLocation, [batch, count, classes]),
  );
  return tf.log(tf.add(tf.reshape<tf.Rank.R2>(mixed, [batch, classes]), 1e-7));
}

type Site = (name: string) => { store: FusionContext["store"]; module: "fusion"; name: string };
type Score = (locations: tf.Tensor3D, audio: tf.Tensor2D) => tf.Tensor2D;

/** `s_i = ⟨m_i, W f_a⟩ / √d`, `[batch, locations]`. */
function dotScore(site: Site, audioDim: number, visualDim: number): Score {
  const query = denseLayer(site("query"), { inFeatures: audioDim, outFeatures: visualDim });
  const scale = 1 / Math.sqrt(visualDim);
  return (locations, audio) => {
    const [batch, count] = locations.shape;
    const q = tf.reshape<tf.Rank.R3>(query(audio), [batch, visualDim, 1]);
    return tf.mul(tf.reshape<tf.Rank.R2>(tf.matMul(locations, q), [batch, count]), scale);
  };
}

/** `s_i = wᵀ tanh(W_v m_i + W_a f_a)` (AVE's `att_Net`), `[batch, locations]`. */
function additiveScore(site: Site, audioDim: number, visualDim: number, hidden: number): Score {
  const visualProjection = denseLayer(site("attention/visual"), {
    inFeatures: visualDim,
    outFeatures: hidden,
  });
  const audioProjection = denseLayer(site("attention/audio"), { inFeatures: audioDim, outFeatures: hidden });
  const vector = denseLayer(site("attention/score"), { inFeatures: hidden, outFeatures: 1 });
  return (locations, audio) => {
    const [batch, count] = locations.shape;
    const v = tf.reshape<tf.Rank.R3>(
      visualProjection(tf.reshape<tf.Rank.R2>(locations, [batch * count, visualDim])),
      [batch, count, hidden],
    );
    const a = tf.reshape<tf.Rank.R3>(audioProjection(audio), [batch, 1, hidden]);
    const hiddenUnits = tf.reshape<tf.Rank.R2>(tf.tanh(tf.add(v, a)), [batch * count, hidden]);
    return tf.reshape<tf.Rank.R2>(vector(hiddenUnits), [batch, count]);
  };
}
