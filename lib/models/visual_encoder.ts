/**
 * The visual encoder: a ResNet of basic blocks (ResNet-18's layout for the paper's setting).
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import { batchNormLayer, conv2dLayer, convOutputSize, maxPool3x3Stride2 } from "./_layers.ts";
import type { ParameterStore } from "./parameter_store.ts";

/** Settings of the visual encoder. */
export type VisualEncoderConfig = {
  /** Channels of the stem conv. ResNet-18: 64. */
  stemWidth: number;
  /** Stem conv kernel size (padding `floor(k / 2)`). ResNet-18: 7. */
  stemKernel: number;
  /** Stem conv stride. ResNet-18: 2. */
  stemStride: number;
  /** Whether a 3×3 stride-2 max pool follows the stem. ResNet-18: true. */
  stemMaxPool: boolean;
  /** Channels per stage. ResNet-18: `[64, 128, 256, 512]`. */
  widths: number[];
  /** Basic blocks per stage. ResNet-18: `[2, 2, 2, 2]`. */
  blocks: number[];
  /** Stride of each stage's first block. ResNet-18: `[1, 2, 2, 2]`. */
  strides: number[];
  /** Per-channel mean subtracted from the `[0, 1]` frame inside the model. */
  mean: number[];
  /** Per-channel std the frame is divided by inside the model. */
  std: number[];
};

/** What the visual encoder returns. */
export interface VisualEncoding {
  /** `[batch, outputDim]`, the global average of the map. */
  features: tf.Tensor2D;
  /** `[batch, h, w, outputDim]`, the last stage's map. */
  map: tf.Tensor4D;
}

/** A built visual encoder. */
export interface VisualEncoder {
  /** Embedding size (the last width). */
  readonly outputDim: number;
  /** `[h, w, outputDim]` of the map. */
  readonly mapShape: readonly [number, number, number];
  /** Raw `[batch, h, w, c]` frames in [0, 1] to features and map; runs inside the caller's `tf.tidy`. */
  apply(frames: tf.Tensor4D, training: boolean): VisualEncoding;
}

type Norm = (x: tf.Tensor4D, training: boolean) => tf.Tensor4D;
type Conv = (x: tf.Tensor4D) => tf.Tensor4D;

/**
 * Builds a ResNet of basic blocks: normalisation `(x - mean) / std`, stem conv + batch norm + relu
 * (+ max pool), stages of basic blocks (two 3×3 convs, a 1×1 conv + batch norm shortcut where the shape
 * changes), and a global average pool. Convs have no bias and torchvision's He-normal (fan-out) weights;
 * the ResNet-18 settings give 11,176,512 parameters, as torchvision's `resnet18` without `fc`.
 *
 * @param store Where the parameters go (module `visual`).
 * @param config The settings.
 * @param imageShape `[height, width, channels]` of the frames.
 * @returns The encoder.
 * @throws {RangeError} If a setting is inconsistent or the frame is too small for the strides.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRng, tf, useBackend } from "../engine/mod.ts";
 * import { ParameterStore } from "./parameter_store.ts";
 * await useBackend("cpu");
 * const config = {
 *   stemWidth: 4,
 *   stemKernel: 3,
 *   stemStride: 1,
 *   stemMaxPool: false,
 *   widths: [4, 8],
 *   blocks: [1, 1],
 *   strides: [1, 2],
 *   mean: [0.5],
 *   std: [0.5],
 * };
 * const encoder = createVisualEncoder(new ParameterStore(createRng(1)), config, [8, 8, 1]);
 * const { features, map } = encoder.apply(tf.zeros([2, 8, 8, 1]), false);
 * assert.deepEqual(features.shape, [2, 8]);
 * assert.deepEqual(map.shape, [2, 4, 4, 8]);
 * ```
 */
export function createVisualEncoder(
  store: ParameterStore,
  config: VisualEncoderConfig,
  imageShape: readonly [number, number, number],
): VisualEncoder {
  const { stemWidth, stemKernel, stemStride, stemMaxPool, widths, blocks, strides, mean, std } = config;
  const fail = (message: string) => new RangeError(`Cannot build the visual encoder: ${message}`);
  const [height, width, channels] = imageShape;
  if (mean.length !== channels || std.length !== channels || std.some((s) => !(s > 0))) {
    throw fail(`mean and std need ${channels} entries (std > 0), current values are [${mean}] and [${std}]`);
  }
  if (widths.length === 0 || blocks.length !== widths.length || strides.length !== widths.length) {
    throw fail(
      `widths, blocks and strides need one entry per stage, current lengths are ` +
        `${widths.length}, ${blocks.length}, ${strides.length}`,
    );
  }
  const site = (name: string) => ({ store, module: "visual" as const, name: `visual/${name}` });
  const conv = (
    name: string,
    inChannels: number,
    outChannels: number,
    kernel: number,
    stride: number,
  ): Conv =>
    conv2dLayer(site(name), {
      inChannels,
      outChannels,
      kernel: [kernel, kernel],
      stride: [stride, stride],
      padding: [Math.floor(kernel / 2), Math.floor(kernel / 2)],
      bias: false,
      fanMode: "out",
    });
  const norm = (name: string, size: number): Norm => batchNormLayer(site(name), size);

  const stemConv = conv("stem/conv", channels, stemWidth, stemKernel, stemStride);
  const stemNorm = norm("stem/norm", stemWidth);
  let h = convOutputSize(height, stemKernel, stemStride, Math.floor(stemKernel / 2));
  let w = convOutputSize(width, stemKernel, stemStride, Math.floor(stemKernel / 2));
  if (stemMaxPool) [h, w] = [convOutputSize(h, 3, 2, 1), convOutputSize(w, 3, 2, 1)];
  let inChannels = stemWidth;
  const units: Array<(x: tf.Tensor4D, training: boolean) => tf.Tensor4D> = [];
  widths.forEach((outChannels, s) => {
    for (let b = 0; b < (blocks[s] as number); b++) {
      const stride = b === 0 ? strides[s] as number : 1;
      const name = `stage${s}/block${b}`;
      const conv1 = conv(`${name}/conv1`, inChannels, outChannels, 3, stride);
      const norm1 = norm(`${name}/norm1`, outChannels);
      const conv2 = conv(`${name}/conv2`, outChannels, outChannels, 3, 1);
      const norm2 = norm(`${name}/norm2`, outChannels);
      const shortcut = stride !== 1 || inChannels !== outChannels
        ? {
          conv: conv(`${name}/shortcut/conv`, inChannels, outChannels, 1, stride),
          norm: norm(`${name}/shortcut/norm`, outChannels),
        }
        : null;
      units.push((x, training) => {
        const y = norm2(conv2(tf.relu(norm1(conv1(x), training))), training);
        return tf.relu(tf.add(y, shortcut ? shortcut.norm(shortcut.conv(x), training) : x));
      });
      inChannels = outChannels;
      [h, w] = [convOutputSize(h, 3, stride, 1), convOutputSize(w, 3, stride, 1)];
    }
  });
  if (!(h >= 1 && w >= 1)) {
    throw fail(`the frame ${height}x${width} is too small for these strides`);
  }

  return {
    outputDim: inChannels,
    mapShape: [h, w, inChannels],
    apply(frames, training) {
      const normalized = tf.div(tf.sub(frames, tf.tensor1d(mean)), tf.tensor1d(std)) as tf.Tensor4D;
      let x = tf.relu(stemNorm(stemConv(normalized), training));
      if (stemMaxPool) x = maxPool3x3Stride2(x);
      for (const unit of units) x = unit(x, training);
      return { features: tf.mean(x, [1, 2]) as tf.Tensor2D, map: x };
    },
  };
}
