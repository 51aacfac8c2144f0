/**
 * The model factory.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import { createRng } from "../engine/random.ts";
import { createAudioEncoder } from "./audio_encoder.ts";
import { type ModelConfig, type ModelConfigInput, resolveModelConfig } from "./config.ts";
import { FUSIONS } from "./fusions/registry.ts";
import type { FusionOutput } from "./fusions/types.ts";
import { ParameterStore } from "./parameter_store.ts";
import type { ApplyOptions, AvModel, AvOutput, Modality } from "./types.ts";
import { createUnimodalHead } from "./unimodal_head.ts";
import { createVisualEncoder, type VisualEncoder } from "./visual_encoder.ts";

/** An {@linkcode AvModel} built by {@linkcode createModel}, with its typed config. */
export interface BuiltModel extends AvModel {
  /** The resolved config. */
  readonly config: ModelConfig;
  /** Number of trainable parameters per module. */
  readonly parameterCounts: Readonly<Record<"audio" | "visual" | "fusion", number>>;
}

function checkInput(name: string, tensor: tf.Tensor, shape: readonly number[]): void {
  const ok = tensor.rank === shape.length + 1 && shape.every((size, i) => tensor.shape[i + 1] === size);
  if (!ok) {
    throw new TypeError(
      `Cannot run the model: ${name} must have shape [batch, ${shape.join(", ")}], current shape is ` +
        `[${tensor.shape.join(", ")}]`,
    );
  }
}

/**
 * Builds a model from a config (preset defaults fill what is missing; see {@linkcode resolveModelConfig}).
 * Parameters are initialised from `config.seed` only, so the same config gives the same model.
 * `apply` checks input shapes, normalises the frame, and returns tensors owned by the caller; it can be
 * called inside `tf.grad` for gradients with respect to the raw inputs.
 *
 * @param input The config.
 * @returns The model; call `dispose()` when done.
 * @throws {RangeError} If the config is invalid (see {@linkcode resolveModelConfig}).
 *
 * @example A small audio-visual model
 * ```ts
 * import assert from "node:assert/strict";
 * import { tf, useBackend } from "../engine/mod.ts";
 * await useBackend("cpu");
 * const model = createModel({
 *   kind: "av",
 *   fusion: "concat",
 *   numClasses: 3,
 *   audioLength: 256,
 *   imageShape: [8, 8, 1],
 *   audio: { frontEnd: { kind: "waveform" }, stride: 2, widths: [4] },
 *   visual: { widths: [4], blocks: [1], strides: [2], stemWidth: 4, stemStride: 1 },
 * });
 * const out = model.apply(tf.zeros([2, 256]), tf.zeros([2, 8, 8, 1]));
 * assert.deepEqual(out.logits.shape, [2, 3]);
 * assert.deepEqual(out.visualMap?.shape, [2, 4, 4, 4]);
 * tf.dispose(Object.values(out));
 * model.dispose();
 * ```
 */
export function createModel(input: ModelConfigInput | ModelConfig): BuiltModel {
  const config = resolveModelConfig(input);
  const { kind, numClasses, audioLength, imageShape } = config;
  const store = new ParameterStore(createRng(config.seed));
  const audio = kind === "visual"
    ? null
    : createAudioEncoder(store, config.audio, audioLength, config.sampleRate);
  let visual: VisualEncoder | null;
  try {
    visual = kind === "audio" ? null : createVisualEncoder(store, config.visual, imageShape);
  } catch (error) {
    audio?.dispose();
    store.dispose();
    throw error;
  }
  const fusion = kind === "av" && config.fusion !== "none" && audio && visual
    ? FUSIONS[config.fusion]({
      store,
      audioDim: audio.outputDim,
      visualDim: visual.outputDim,
      visualMapShape: visual.mapShape,
      numClasses,
      options: config.fusionOptions,
    })
    : null;
  const head = fusion ? null : createUnimodalHead(store, (audio ?? visual)?.outputDim ?? 0, numClasses);
  const modalities: Modality[] = kind === "av" ? ["audio", "visual"] : [kind];
  const parameterCounts = { audio: 0, visual: 0, fusion: 0 };
  for (const module of ["audio", "visual", "fusion"] as const) {
    parameterCounts[module] = store.trainable[module].reduce((total, v) => total + v.size, 0);
  }

  function forward(audioIn: tf.Tensor2D, visualIn: tf.Tensor4D, options: ApplyOptions): AvOutput {
    const training = options.training ?? false;
    const given = options.encoded;
    const audioFeatures = audio ? given?.audio?.features ?? audio.apply(audioIn, training) : null;
    const visualGiven = given?.visual;
    const encoded = visual
      ? visualGiven?.map
        ? { features: visualGiven.features, map: visualGiven.map }
        : visual.apply(visualIn, training)
      : null;
    let result: FusionOutput;
    if (fusion && audioFeatures && encoded) {
      result = fusion.apply({ audio: audioFeatures, visual: encoded.features, visualMap: encoded.map });
    } else {
      const features = audioFeatures ?? encoded?.features;
      if (!head || !features) throw new Error("Cannot run the model: it has no classifier");
      result = { logits: head(features) };
    }
    return {
      logits: result.logits,
      audioFeatures,
      visualFeatures: encoded?.features ?? null,
      visualMap: encoded?.map ?? null,
      ...(options.auxiliary && result.auxiliaryLogits ? { auxiliaryLogits: result.auxiliaryLogits } : {}),
      ...(result.attention ? { attention: result.attention } : {}),
    };
  }

  return {
    config,
    modalities,
    bounds: { audio: [-1, 1], visual: [0, 1] },
    visualNormalization: { mean: config.visual.mean, std: config.visual.std },
    trainable: store.trainable,
    variables: store.variables,
    parameterCounts,
    apply(audioIn, visualIn, options = {}) {
      if (audio) checkInput("audio", audioIn, [audioLength]);
      if (visual) checkInput("visual", visualIn, imageShape);
      if (audio && visual && audioIn.shape[0] !== visualIn.shape[0]) {
        throw new TypeError(
          `Cannot run the model: audio and visual batch sizes differ, current values are ` +
            `${audioIn.shape[0]} and ${visualIn.shape[0]}`,
        );
      }
      let output: AvOutput | undefined;
      tf.tidy(() => {
        output = forward(audioIn, visualIn, options);
        const { logits, audioFeatures, visualFeatures, visualMap, auxiliaryLogits, attention } = output;
        // Encodings passed in stay the caller's: the output gets its own handles on them.
        const own = <T extends tf.Tensor | null>(t: T): T => {
          const passed = options.encoded;
          const isPassed = t !== null && !!passed &&
            (t === passed.audio?.features || t === passed.visual?.features || t === passed.visual?.map);
          return (isPassed ? tf.clone(t) : t) as T;
        };
        output = {
          ...output,
          audioFeatures: own(audioFeatures),
          visualFeatures: own(visualFeatures),
          visualMap: own(visualMap),
        };
        for (const t of [logits, output.audioFeatures, output.visualFeatures, output.visualMap, attention]) {
          if (t) tf.keep(t);
        }
        for (const t of auxiliaryLogits ?? []) tf.keep(t);
      });
      if (!output) throw new Error("Cannot run the model: the forward pass returned nothing");
      return output;
    },
    encode(modality, input, encodeOptions = {}) {
      const training = encodeOptions.training ?? false;
      if (modality === "audio" && audio) {
        checkInput("audio", input, [audioLength]);
        return { features: tf.tidy(() => audio.apply(input as tf.Tensor2D, training)), map: null };
      }
      if (modality === "visual" && visual) {
        checkInput("visual", input, imageShape);
        const [features, map] = tf.tidy(() => {
          const out = visual.apply(input as tf.Tensor4D, training);
          return [out.features, out.map];
        }) as [tf.Tensor2D, tf.Tensor4D];
        return { features, map };
      }
      throw new TypeError(
        `Cannot encode: the model does not read ${modality}, it reads ${modalities.join(", ")}`,
      );
    },
    dispose() {
      audio?.dispose();
      store.dispose();
    },
  };
}
