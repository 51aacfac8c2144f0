/**
 * Models: the paper's audio encoder (ANet) and a ResNet visual encoder, the fusion registry, unimodal
 * baselines, and the {@linkcode createModel} factory with `small` and `paper` presets. Every model is
 * differentiable end to end from the raw waveform and the raw frame.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tf, useBackend } from "../engine/mod.ts";
 * import { createModel, disposeOutput } from "./mod.ts";
 * await useBackend("cpu");
 * const model = createModel({
 *   kind: "av",
 *   fusion: "gated",
 *   numClasses: 4,
 *   audioLength: 256,
 *   imageShape: [8, 8, 1],
 *   audio: { frontEnd: { kind: "waveform" }, stride: 2, widths: [4] },
 * });
 * const out = model.apply(tf.zeros([1, 256]), tf.zeros([1, 8, 8, 1]));
 * assert.deepEqual(out.logits.shape, [1, 4]);
 * disposeOutput(out);
 * model.dispose();
 * ```
 *
 * @module
 */
export * from "./audio_encoder.ts";
export * from "./config.ts";
export * from "./create_model.ts";
export * from "./dispose_output.ts";
export * from "./fusions/mod.ts";
export * from "./log_mel.ts";
export * from "./parameter_store.ts";
export * from "./toy_models.ts";
export * from "./types.ts";
export * from "./unimodal_head.ts";
export * from "./visual_encoder.ts";
export * from "./safetensors.ts";
export * from "./torchvision_resnet18.ts";
