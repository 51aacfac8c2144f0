/**
 * The audio encoder: the paper's ANet, a 1-D CNN on the raw waveform (or on log-mel frames).
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import { batchNormLayer, conv2dLayer, convOutputSize, maxPoolWidth } from "./_layers.ts";
import { createLogMel, type LogMelConfig } from "./log_mel.ts";
import type { ParameterStore } from "./parameter_store.ts";

/** Settings of the audio encoder. */
export type AudioEncoderConfig = {
  /** Raw waveform (the paper) or a differentiable log-mel spectrogram. */
  frontEnd: { kind: "waveform" } | LogMelConfig;
  /** Channels of each block; the paper's ANet is `[64, 128, 256, 512]`. */
  widths: number[];
  /** `[conv, batch norm, relu]` units per block. @default 2 */
  convsPerBlock: number;
  /** Conv kernel size (padding `floor(k / 2)`). @default 3 */
  kernelSize: number;
  /** Conv stride. @default 2 */
  stride: number;
  /** Max-pool window and stride after each block; 1 for none. @default 2 */
  poolSize: number;
};

interface Unit {
  conv: (x: tf.Tensor4D) => tf.Tensor4D;
  norm: (x: tf.Tensor4D, training: boolean) => tf.Tensor4D;
}

/** A built audio encoder. */
export interface AudioEncoder {
  /** Embedding size (the last width). */
  readonly outputDim: number;
  /** Sequence length after each block (before the global max pool). */
  readonly lengths: readonly number[];
  /** `[batch, samples]` waveform to `[batch, outputDim]`; runs inside the caller's `tf.tidy`. */
  apply(waveform: tf.Tensor2D, training: boolean): tf.Tensor2D;
  /** Frees the front end's constants (variables belong to the store). */
  dispose(): void;
}

/**
 * Builds the audio encoder: blocks of (`[conv1d k s, batch norm, relu]` × `convsPerBlock`, then max pool),
 * then a global max pool over time. Convs have a bias (as PyTorch's `Conv1d`) and He-normal weights.
 * With the paper's settings and 65535 samples the embedding is 512-d and has 1,566,528 parameters.
 *
 * @param store Where the parameters go (module `audio`).
 * @param config The settings.
 * @param audioLength Samples per waveform.
 * @param sampleRate Sample rate in Hz (used by the log-mel front end).
 * @returns The encoder.
 * @throws {RangeError} If the waveform is too short for the blocks, or a setting is out of range.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRng, tf, useBackend } from "../engine/mod.ts";
 * import { ParameterStore } from "./parameter_store.ts";
 * await useBackend("cpu");
 * const config = {
 *   frontEnd: { kind: "waveform" } as const,
 *   widths: [4, 8],
 *   convsPerBlock: 2,
 *   kernelSize: 3,
 *   stride: 2,
 *   poolSize: 2,
 * };
 * const encoder = createAudioEncoder(new ParameterStore(createRng(1)), config, 256, 8000);
 * assert.deepEqual(encoder.lengths, [32, 4]);
 * assert.deepEqual(encoder.apply(tf.zeros([2, 256]), false).shape, [2, 8]);
 * ```
 */
export function createAudioEncoder(
  store: ParameterStore,
  config: AudioEncoderConfig,
  audioLength: number,
  sampleRate: number,
): AudioEncoder {
  const { frontEnd, widths, convsPerBlock, kernelSize, stride, poolSize } = config;
  const fail = (message: string) => new RangeError(`Cannot build the audio encoder: ${message}`);
  for (const [name, value] of Object.entries({ convsPerBlock, kernelSize, stride, poolSize })) {
    if (!Number.isInteger(value) || value < 1) {
      throw fail(`${name} must be an integer >= 1, current value is ${value}`);
    }
  }
  if (widths.length === 0 || widths.some((w) => !Number.isInteger(w) || w < 1)) {
    throw fail(`widths must be a non-empty list of positive integers, current value is [${widths}]`);
  }
  const logMel = frontEnd.kind === "logMel" ? createLogMel(frontEnd, audioLength, sampleRate) : null;
  let channels = frontEnd.kind === "logMel" ? frontEnd.melBins : 1;
  let length = logMel ? logMel.frames : audioLength;
  const padding = Math.floor(kernelSize / 2);
  const lengths: number[] = [];
  const blocks: Unit[][] = [];
  widths.forEach((width, b) => {
    const block: Unit[] = [];
    for (let c = 0; c < convsPerBlock; c++) {
      const name = `audio/block${b}/conv${c}`;
      block.push({
        conv: conv2dLayer({ store, module: "audio", name }, {
          inChannels: channels,
          outChannels: width,
          kernel: [1, kernelSize],
          stride: [1, stride],
          padding: [0, padding],
          bias: true,
          fanMode: "in",
        }),
        norm: batchNormLayer({ store, module: "audio", name: `audio/block${b}/norm${c}` }, width),
      });
      channels = width;
      length = convOutputSize(length, kernelSize, stride, padding);
    }
    length = Math.floor(length / poolSize);
    if (length < 1) {
      logMel?.dispose();
      throw fail(
        `the input (${audioLength} samples) is too short for ${widths.length} blocks; ` +
          `block ${b} has length 0`,
      );
    }
    lengths.push(length);
    blocks.push(block);
  });

  return {
    outputDim: channels,
    lengths,
    apply(waveform, training) {
      const batch = waveform.shape[0];
      let x: tf.Tensor4D = logMel ? logMel.apply(waveform) : tf.reshape(waveform, [batch, 1, audioLength, 1]);
      for (const block of blocks) {
        for (const { conv, norm } of block) x = tf.relu(norm(conv(x), training));
        x = maxPoolWidth(x, poolSize);
      }
      return tf.max(x, [1, 2]) as tf.Tensor2D;
    },
    dispose() {
      logMel?.dispose();
    },
  };
}
