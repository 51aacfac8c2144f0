/**
 * Helpers for kernels that are built from other wasm kernels. Every intermediate `TensorInfo` they
 * create must be released with {@linkcode release}; the tests check that the heap stays flat.
 *
 * @module
 */
import { tf } from "./tf.ts";

/** The slice of the wasm backend's surface that the kernel completions use. */
export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): tf.backend_util.TypedArray;
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
}

type KernelArgs = Parameters<tf.KernelFunc>[0];

/** What tf passes a wasm kernel function. */
export interface WasmKernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: WasmBackendLike;
  attrs: tf.NamedAttrMap;
}

/** The kernel implementations as shipped, captured before the completions replace any of them. */
const shipped = new Map<string, tf.KernelFunc>();

/** Remembers the shipped kernel function for `name` on wasm (once, before it is replaced). */
export function captureShipped(name: string): tf.KernelFunc | undefined {
  if (!shipped.has(name)) {
    const config = tf.getKernel(name, "wasm");
    if (config) shipped.set(name, config.kernelFunc);
  }
  return shipped.get(name);
}

/** Runs the shipped wasm kernel `name` (never a replacement) and returns its single output. */
export function runShipped(
  name: string,
  backend: WasmBackendLike,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap = {},
): tf.TensorInfo {
  const kernel = captureShipped(name);
  if (!kernel) throw new Error(`Cannot run kernel '${name}': it is not registered for the wasm backend`);
  const args = { inputs, attrs, backend } as unknown as KernelArgs;
  const out = kernel(args);
  return Array.isArray(out) ? (out[0] as tf.TensorInfo) : out as tf.TensorInfo;
}

/**
 * Byte address of a tensor's data in the wasm backend's memory (what the project's own WebAssembly
 * kernels take). Addresses stay valid when the heap grows; typed-array views do not.
 */
export function addressOf(backend: WasmBackendLike, info: tf.TensorInfo): number {
  return backend.typedArrayFromHeap(info).byteOffset;
}

/** Frees intermediate results made inside a kernel. */
export function release(backend: WasmBackendLike, ...infos: tf.TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** Transposes `x` by `perm`. */
export function transpose(backend: WasmBackendLike, x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
  return runShipped("Transpose", backend, { x }, { perm });
}

/** Reshapes `x` (shares data; release the result as usual). */
export function reshape(backend: WasmBackendLike, x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  return runShipped("Reshape", backend, { x }, { shape });
}
