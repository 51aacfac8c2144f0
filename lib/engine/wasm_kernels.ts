/**
 * Kernel completions for the TensorFlow.js 4.22 wasm backend. As shipped it lacks
 * `Conv2DBackpropFilter`, computes `MaxPoolGrad` wrongly, runs `Conv2D` (stride 1), `Conv2DBackpropInput`, transposed
 * `BatchMatMul`, leading-axis `Sum` (every bias gradient), last-axis `Reverse`, `Slice` (it copies the
 * whole input first), `Tile` (tf's `where` broadcasts with it), 2×2 `MaxPool`, a bias `Add` and `Sqrt`
 * slowly. {@linkcode registerWasmKernels}
 * fixes them; `useBackend("wasm")` calls it for you. (Sharing memory on `Identity`, which tf runs on every
 * tensor a gradient saves, was tried and dropped: faster for the audio-visual models, 10-20% slower for the
 * reference CNNs of `deno task bench`.)
 *
 * @module
 */
import { tf } from "./tf.ts";
import { captureShipped } from "./_kernel_util.ts";
import { conv2d } from "./_conv2d.ts";
import { conv2dBackpropFilter } from "./_conv2d_backprop_filter.ts";
import { conv2dBackpropInput } from "./_conv2d_backprop_input.ts";
import { maxPoolGrad } from "./_max_pool_grad.ts";
import { batchMatMul } from "./_batch_mat_mul.ts";
import { sum } from "./_sum.ts";
import { reverse } from "./_reverse.ts";
import { slice } from "./_slice.ts";
import { tile } from "./_tile.ts";
import { add, sqrt } from "./_elementwise.ts";
import { maxPool } from "./_max_pool.ts";

/** Which kernels the project registers on wasm, and why. */
export const WASM_KERNEL_COMPLETIONS: Readonly<Record<string, "missing" | "wrong" | "slow">> = Object.freeze({
  Conv2D: "slow",
  Conv2DBackpropFilter: "missing",
  MaxPoolGrad: "wrong",
  Conv2DBackpropInput: "slow",
  BatchMatMul: "slow",
  Sum: "slow",
  Reverse: "slow",
  Slice: "slow",
  Tile: "slow",
  Add: "slow",
  Sqrt: "slow",
  MaxPool: "slow",
});

const IMPLEMENTATIONS: Record<keyof typeof WASM_KERNEL_COMPLETIONS, unknown> = {
  Conv2D: conv2d,
  Conv2DBackpropFilter: conv2dBackpropFilter,
  MaxPoolGrad: maxPoolGrad,
  Conv2DBackpropInput: conv2dBackpropInput,
  BatchMatMul: batchMatMul,
  Sum: sum,
  Reverse: reverse,
  Slice: slice,
  Tile: tile,
  Add: add,
  Sqrt: sqrt,
  MaxPool: maxPool,
};

/** Kernels that the completions call as shipped (captured before anything is replaced). */
const BUILDING_BLOCKS = ["Conv2D", "Transpose", "Reshape", "Slice", "PadV2", "Reverse"];

let registered = false;

/**
 * Registers the project's kernel completions for the wasm backend. Idempotent. Call it before the wasm
 * backend is first initialised, so that the shipped kernels' setup functions still run.
 *
 * @returns The names of the kernels registered or replaced.
 *
 * @example Registering twice is harmless
 * ```ts
 * import assert from "node:assert/strict";
 * import "@tensorflow/tfjs-backend-wasm";
 * const names = registerWasmKernels();
 * assert.deepEqual(registerWasmKernels(), names);
 * ```
 */
export function registerWasmKernels(): string[] {
  const names = Object.keys(WASM_KERNEL_COMPLETIONS);
  if (registered) return names;
  for (const name of [...BUILDING_BLOCKS, ...names]) captureShipped(name);
  for (const name of names) {
    const shipped = tf.getKernel(name, "wasm");
    if (shipped) tf.unregisterKernel(name, "wasm");
    const config: tf.KernelConfig = {
      kernelName: name,
      backendName: "wasm",
      kernelFunc: IMPLEMENTATIONS[name] as tf.KernelFunc,
    };
    if (shipped?.setupFunc) config.setupFunc = shipped.setupFunc;
    tf.registerKernel(config);
  }
  registered = true;
  return names;
}
