/**
 * `BatchMatMul` for wasm that keeps every call on XNNPACK. The shipped kernel takes a naive loop whenever
 * a transpose is asked for (10-30x slower); here the transposed operand is made explicit first.
 *
 * @module
 */
import type { tf } from "./tf.ts";
import { release, reshape, runShipped, transpose, type WasmKernelArgs } from "./_kernel_util.ts";

/** Kernel function registered as `BatchMatMul` on wasm. */
export function batchMatMul(args: WasmKernelArgs): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
  if (!transposeA && !transposeB) return runShipped("BatchMatMul", backend, inputs, attrs);
  const pieces: tf.TensorInfo[] = [];
  const explicit = (x: tf.TensorInfo, flip: boolean): tf.TensorInfo => {
    if (!flip) return x;
    const rank = x.shape.length;
    const outer = x.shape.slice(0, -2).reduce((p, d) => p * d, 1);
    const rows = x.shape[rank - 2] as number, cols = x.shape[rank - 1] as number;
    const as3d = reshape(backend, x, [outer, rows, cols]);
    const flipped = transpose(backend, as3d, [0, 2, 1]);
    const back = reshape(backend, flipped, [...x.shape.slice(0, -2), cols, rows]);
    pieces.push(as3d, flipped, back);
    return back;
  };
  const a = explicit(inputs.a as tf.TensorInfo, transposeA);
  const b = explicit(inputs.b as tf.TensorInfo, transposeB);
  const out = runShipped("BatchMatMul", backend, { a, b }, { transposeA: false, transposeB: false });
  release(backend, ...pieces);
  return out;
}
