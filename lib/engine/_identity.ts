/**
 * `Identity` for wasm that shares the input's memory (as the cpu backend and the shipped wasm `Reshape`
 * do) instead of copying it. tfjs clones every tensor that a gradient saves for the backward pass, so the
 * shipped copy ran on most intermediate tensors of every attack step. Tensor data is immutable in tfjs
 * (a variable's `assign` swaps its data id), so sharing is safe; the reference count frees the memory
 * when the last holder is disposed.
 *
 * @module
 */
import type { tf } from "./tf.ts";
import { runShipped, type WasmKernelArgs } from "./_kernel_util.ts";

/** Kernel function registered as `Identity` on wasm. */
export function identity(args: WasmKernelArgs): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as tf.TensorInfo;
  if (x.dtype === "string") return runShipped("Identity", backend, inputs, attrs);
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}
