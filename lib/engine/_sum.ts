/**
 * `Sum` for wasm over leading axes (e.g. a conv bias gradient: [B, H, W, C] summed over B, H, W). As shipped
 * this transposes the whole tensor to put the reduced axes last; here one pass accumulates rows into float64
 * sums (also more precise), on the SIMD kernel of `_simd.wat` when the kept size is a multiple of 4 (the
 * same additions in the same order). Any other reduction keeps the shipped kernel.
 *
 * @module
 */
import { tf } from "./tf.ts";
import { release, runShipped, type WasmKernelArgs } from "./_kernel_util.ts";
import { simdKernels } from "./_simd.ts";

/** Kernel function registered as `Sum` on wasm. */
export function sum(args: WasmKernelArgs): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as tf.TensorInfo;
  const { axis, keepDims } = attrs as unknown as tf.SumAttrs;
  const rank = x.shape.length;
  const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
  const leading = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
  if (!leading || x.dtype !== "float32") return runShipped("Sum", backend, inputs, attrs);
  const rows = x.shape.slice(0, axes.length).reduce((p, d) => p * d, 1);
  const columns = x.shape.slice(axes.length).reduce((p, d) => p * d, 1);
  const shape = keepDims ? x.shape.map((d, i) => (i < axes.length ? 1 : d)) : x.shape.slice(axes.length);
  const out = backend.makeOutput(shape, "float32");
  const simd = columns % 4 === 0 ? simdKernels(backend) : undefined;
  if (simd) {
    const scratch = backend.makeOutput([2 * columns + 1], "float32"); // float64 sums, 8-byte aligned
    const from = backend.typedArrayFromHeap(scratch).byteOffset;
    const sums = from + (from % 8); // malloc aligns to at least 4
    const values = backend.typedArrayFromHeap(x) as Float32Array;
    simd.column_sums(values.byteOffset, rows, columns, sums);
    (backend.typedArrayFromHeap(out) as Float32Array).set(new Float64Array(values.buffer, sums, columns));
    release(backend, scratch);
    return out;
  }
  const values = backend.typedArrayFromHeap(x) as Float32Array;
  const totals = new Float64Array(columns);
  for (let row = 0; row < rows; row++) {
    const base = row * columns;
    for (let c = 0; c < columns; c++) totals[c] = (totals[c] as number) + (values[base + c] as number);
  }
  (backend.typedArrayFromHeap(out) as Float32Array).set(totals);
  return out;
}
