/**
 * `Slice` for wasm that reads the input in place. As shipped it first copies the whole input out of the
 * wasm heap (`readSync`) and then copies one innermost row at a time with `subarray`/`set`, which is slow
 * when rows are short (cropping an image gradient with one channel costs about 1 µs per pixel). Here the
 * input is a view of the heap, trailing dimensions taken whole merge into one contiguous run, and short
 * runs are copied element by element. String tensors keep the shipped kernel.
 *
 * @module
 */
import { tf } from "./tf.ts";
import { runShipped, type WasmBackendLike, type WasmKernelArgs } from "./_kernel_util.ts";

/** Runs shorter than this are copied by a plain loop rather than `subarray`/`set`. */
const SHORT_RUN = 32;

/** Kernel function registered as `Slice` on wasm. */
export function slice(args: WasmKernelArgs): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as tf.TensorInfo;
  if (x.dtype === "string") return runShipped("Slice", backend, inputs, attrs);
  const { begin, size } = attrs as unknown as tf.SliceAttrs;
  const [start, extent] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size) as [number[], number[]];
  const shape = x.shape;
  const rank = shape.length;
  const out = backend.makeOutput(extent, x.dtype);
  const total = tf.util.sizeFromShape(extent);
  if (total === 0) return out;
  // Views after the allocation: makeOutput may grow the wasm heap, which detaches older views.
  const source = backend.typedArrayFromHeap(x);
  const target = backend.typedArrayFromHeap(out);
  if (rank === 0) {
    target.set(source);
    return out;
  }
  const strides = [...tf.util.computeStrides(shape), 1];
  // Dimensions from `split` on form one contiguous run per index of the dimensions before it.
  let split = rank - 1;
  while (split > 0 && extent[split] === shape[split]) split--;
  const run = (extent[split] as number) * (strides[split] as number);
  const index = new Array<number>(split).fill(0);
  let offset = start.reduce((sum, s, d) => sum + s * (strides[d] as number), 0);
  for (let written = 0; written < total; written += run) {
    if (run < SHORT_RUN) {
      for (let i = 0; i < run; i++) target[written + i] = source[offset + i] as number;
    } else {
      target.set(source.subarray(offset, offset + run), written);
    }
    // Odometer over the dimensions before `split`; the offset moves by their strides.
    for (let d = split - 1; d >= 0; d--) {
      const stride = strides[d] as number;
      index[d] = (index[d] as number) + 1;
      offset += stride;
      if ((index[d] as number) < (extent[d] as number)) break;
      offset -= stride * (extent[d] as number);
      index[d] = 0;
    }
  }
  return out;
}

/** Slices `x` (any rank) from `begin` with `size` with this module's kernel, as a new TensorInfo. */
export function sliceInfo(
  backend: WasmBackendLike,
  x: tf.TensorInfo,
  begin: number[],
  size: number[],
): tf.TensorInfo {
  return slice({ inputs: { x }, backend, attrs: { begin, size } });
}
