/**
 * Functional layers on tf ops and {@linkcode ParameterStore} variables. Convolutions pad symmetrically
 * with zeros, like PyTorch (the conv's own explicit padding, or "same" where that is the identical one).
 * Audio runs as rank-4 `[batch, 1, length, channels]` so that every layer is a 2-D op.
 *
 * @module
 */
import { tf } from "../engine/tf.ts";
import type { ParameterStore } from "./parameter_store.ts";
import type { ModuleName } from "./types.ts";

/** Batch-norm epsilon, PyTorch's. */
export const BATCH_NORM_EPSILON = 1e-5;
/** Batch-norm running-average momentum, PyTorch's (weight of the new batch). */
export const BATCH_NORM_MOMENTUM = 0.1;

/** Where a layer's variables go. */
export interface LayerSite {
  store: ParameterStore;
  module: ModuleName;
  name: string;
}

/** Options of {@linkcode conv2dLayer}. */
export interface ConvLayerOptions {
  inChannels: number;
  outChannels: number;
  kernel: readonly [number, number];
  stride: readonly [number, number];
  padding: readonly [number, number];
  bias: boolean;
  /** Fan for He initialisation: "in" (k·k·C_in) or "out" (k·k·C_out, torchvision's ResNet). */
  fanMode: "in" | "out";
}

/** A 2-D convolution with explicit symmetric zero padding. */
export function conv2dLayer(site: LayerSite, options: ConvLayerOptions): (x: tf.Tensor4D) => tf.Tensor4D {
  const { inChannels, outChannels, kernel, stride, padding, bias, fanMode } = options;
  const [kh, kw] = kernel;
  const fanIn = kh * kw * inChannels;
  const fan = fanMode === "in" ? fanIn : kh * kw * outChannels;
  const { store, module, name } = site;
  const weight = store.add(`${name}/kernel`, module, [kh, kw, inChannels, outChannels], {
    kind: "heNormal",
    fan,
  });
  const offset = bias
    ? store.add(`${name}/bias`, module, [outChannels], { kind: "uniform", bound: 1 / Math.sqrt(fanIn) })
    : null;
  const [sh, sw] = stride;
  const [ph, pw] = padding;
  const sameIsSymmetric = sh === 1 && sw === 1 && 2 * ph === kh - 1 && 2 * pw === kw - 1;
  // The conv pads implicitly (no padded copy of the input, and no crop of its gradient).
  const pad: Parameters<typeof tf.conv2d>[3] = sameIsSymmetric
    ? "same"
    : ph > 0 || pw > 0
    ? [[0, 0], [ph, ph], [pw, pw], [0, 0]]
    : "valid";
  return (x) => {
    const y = tf.conv2d(x, weight as tf.Tensor4D, [sh, sw], pad);
    return offset ? tf.add(y, offset) : y;
  };
}

function tensorArgument(value: tf.Tensor | tf.GradSaveFunc | undefined): tf.Tensor {
  if (!(value instanceof tf.Tensor)) throw new TypeError("Cannot run batch norm: expected a tensor argument");
  return value;
}

/** Column sums of `[rows, columns]` as `[1, columns]`: a matMul with a row of ones, much faster on wasm. */
function columnSums(x: tf.Tensor): tf.Tensor2D {
  return tf.matMul(tf.ones([1, x.shape[0] as number]), x as tf.Tensor2D);
}

/**
 * Batch normalisation over all axes but the last. Training mode normalises with the batch statistics
 * (biased variance), updates the running averages (unbiased variance, PyTorch's convention) and has a
 * hand-written gradient (reductions as matMuls, which are several times faster than `tf.mean` on wasm);
 * eval mode is the affine map of the running statistics.
 */
export function batchNormLayer(
  site: LayerSite,
  channels: number,
): (x: tf.Tensor4D, training: boolean) => tf.Tensor4D {
  const { store, module, name } = site;
  const gamma = store.add(`${name}/gamma`, module, [channels], { kind: "constant", value: 1 });
  const beta = store.add(`${name}/beta`, module, [channels], { kind: "constant", value: 0 });
  const runningMean = store.add(
    `${name}/runningMean`,
    module,
    [channels],
    { kind: "constant", value: 0 },
    false,
  );
  const runningVar = store.add(
    `${name}/runningVar`,
    module,
    [channels],
    { kind: "constant", value: 1 },
    false,
  );
  const normalize = tf.customGrad((...args) => {
    const x = tensorArgument(args[0]);
    const scale = tensorArgument(args[1]);
    const shift = tensorArgument(args[2]);
    const save = args[3];
    const count = x.size / channels;
    const rows = tf.reshape<tf.Rank.R2>(x, [count, channels]);
    const mean = tf.div(columnSums(rows), count);
    const centered = tf.sub(rows, mean);
    const variance = tf.div(columnSums(tf.square(centered)), count);
    const inverseStd = tf.rsqrt(tf.add(variance, BATCH_NORM_EPSILON));
    const factor = tf.mul(scale, inverseStd);
    if (typeof save === "function") save([centered, inverseStd, factor]);
    const unbiased = tf.mul(variance, count / Math.max(count - 1, 1));
    const blend = (running: tf.Variable, batch: tf.Tensor) =>
      running.assign(
        tf.add(
          tf.mul(running, 1 - BATCH_NORM_MOMENTUM),
          tf.mul(tf.reshape(batch, [channels]), BATCH_NORM_MOMENTUM),
        ),
      );
    blend(runningMean, mean);
    blend(runningVar, unbiased);
    return {
      value: tf.reshape(tf.add(tf.mul(centered, factor), shift), x.shape),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const c = tensorArgument(saved[0]);
        const invStd = tensorArgument(saved[1]);
        const k = tensorArgument(saved[2]);
        const dyRows = tf.reshape<tf.Rank.R2>(dy, [count, channels]);
        const dySum = columnSums(dyRows);
        const dyCenteredSum = columnSums(tf.mul(dyRows, c));
        // dx = k·(dy - mean(dy) - x̂·mean(dy·x̂)), with x̂ = c·invStd.
        const centeredCoefficient = tf.mul(k, tf.mul(tf.square(invStd), tf.div(dyCenteredSum, count)));
        const dx = tf.sub(
          tf.sub(tf.mul(dyRows, k), tf.mul(c, centeredCoefficient)),
          tf.mul(k, tf.div(dySum, count)),
        );
        return [
          tf.reshape(dx, x.shape),
          tf.reshape(tf.mul(dyCenteredSum, invStd), [channels]),
          tf.reshape(dySum, [channels]),
        ];
      },
    };
  });
  return (x, training) => {
    if (training) return normalize(x, gamma, beta) as tf.Tensor4D;
    const scale = tf.mul(gamma, tf.rsqrt(tf.add(runningVar, BATCH_NORM_EPSILON)));
    const shift = tf.sub(beta, tf.mul(runningMean, scale));
    return tf.add(tf.mul(x, scale), shift);
  };
}

/** Options of {@linkcode denseLayer}. */
export interface DenseLayerOptions {
  inFeatures: number;
  outFeatures: number;
  /** Weight init: N(0, std²) if given, else PyTorch's default U(±1/√in). Bias: U(±1/√in). */
  weightStd?: number;
}

/** A fully connected layer `x W + b`, `W: [in, out]`. */
export function denseLayer(site: LayerSite, options: DenseLayerOptions): (x: tf.Tensor2D) => tf.Tensor2D {
  const { inFeatures, outFeatures, weightStd } = options;
  const { store, module, name } = site;
  const bound = 1 / Math.sqrt(inFeatures);
  const weight = store.add(
    `${name}/kernel`,
    module,
    [inFeatures, outFeatures],
    weightStd === undefined ? { kind: "uniform", bound } : { kind: "normal", std: weightStd },
  );
  const bias = store.add(`${name}/bias`, module, [outFeatures], { kind: "uniform", bound });
  return (x) => tf.add(tf.matMul(x, weight as tf.Tensor2D), bias);
}

/**
 * Max pool along the width axis of `[batch, 1, length, channels]` with window = stride (floor mode), as
 * an element-wise maximum of strided views: its gradient is far cheaper on wasm than `tf.max`'s.
 */
export function maxPoolWidth(x: tf.Tensor4D, size: number): tf.Tensor4D {
  if (size <= 1) return x;
  const [batch, , length, channels] = x.shape;
  const kept = Math.floor(length / size);
  const cropped = kept * size === length ? x : tf.slice(x, [0, 0, 0, 0], [batch, 1, kept * size, channels]);
  const windows = tf.reshape<tf.Rank.R3>(cropped, [batch, kept, size * channels]);
  let result = tf.slice(windows, [0, 0, 0], [batch, kept, channels]);
  for (let i = 1; i < size; i++) {
    result = tf.maximum(result, tf.slice(windows, [0, 0, i * channels], [batch, kept, channels]));
  }
  return tf.reshape<tf.Rank.R4>(result, [batch, 1, kept, channels]);
}

/** PyTorch's `MaxPool2d(3, 2, padding=1)`: pads with -∞, then a valid 3×3 stride-2 pool. */
export function maxPool3x3Stride2(x: tf.Tensor4D): tf.Tensor4D {
  const padded = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], Number.NEGATIVE_INFINITY);
  return tf.maxPool(padded, 3, 2, "valid");
}

/** Output length of a PyTorch conv: floor((n + 2p - k) / s) + 1. */
export function convOutputSize(size: number, kernel: number, stride: number, padding: number): number {
  return Math.floor((size + 2 * padding - kernel) / stride) + 1;
}
