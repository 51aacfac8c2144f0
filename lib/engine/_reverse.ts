/**
 * `Reverse` for wasm along the last axis (the log-mel front end's fold, and its gradient). As shipped it
 * walks every element through a generic index computation (about 17 ns each); here each row is copied and
 * reversed in place with the typed array's own `reverse`. Any other reversal keeps the shipped kernel.
 *
 * @module
 */
import { tf } from "./tf.ts";
import { runShipped, type WasmKernelArgs } from "./_kernel_util.ts";

/** Kernel function registered as `Reverse` on wasm. */
export function reverse(args: WasmKernelArgs): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as tf.TensorInfo;
  const { dims } = attrs as unknown as tf.ReverseAttrs;
  const rank = x.shape.length;
  const axes = rank === 0 ? [] : tf.util.parseAxisParam(dims, x.shape);
  const lastOnly = rank > 0 && axes.length > 0 && axes.every((a) => a === rank - 1);
  if (!lastOnly || x.dtype !== "float32") return runShipped("Reverse", backend, inputs, attrs);
  const columns = x.shape[rank - 1] as number;
  const out = backend.makeOutput(x.shape, "float32");
  // Views after the allocation: makeOutput may grow the wasm heap, which detaches older views.
  const values = backend.typedArrayFromHeap(x) as Float32Array;
  const target = backend.typedArrayFromHeap(out) as Float32Array;
  target.set(values);
  for (let start = 0; start < target.length; start += columns) {
    target.subarray(start, start + columns).reverse();
  }
  return out;
}
