/**
 * `Tile` for wasm. As shipped it is a per-element JS loop with index arithmetic (about 40 ns per output
 * element); tf's `where` broadcasts a per-sample condition with it, so keeping each sample's best
 * point in an attack tiled a `[batch, 1]` mask over the whole waveform. Here the input goes into its
 * corner of the output, then each dimension is replicated with `copyWithin`, innermost first (a single
 * column with `fill`). String tensors keep the shipped kernel.
 *
 * @module
 */
import { tf } from "./tf.ts";
import { runShipped, type WasmKernelArgs } from "./_kernel_util.ts";

/** Kernel function registered as `Tile` on wasm. */
export function tile(args: WasmKernelArgs): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as tf.TensorInfo;
  const { reps } = attrs as unknown as tf.TileAttrs;
  if (x.dtype === "string" || x.shape.length === 0) return runShipped("Tile", backend, inputs, attrs);
  const shape = x.shape;
  const rank = shape.length;
  const outShape = shape.map((d, i) => d * (reps[i] as number));
  const out = backend.makeOutput(outShape, x.dtype);
  if (tf.util.sizeFromShape(outShape) === 0) return out;
  // Views after the allocation: makeOutput may grow the wasm heap, which detaches older views.
  const source = backend.typedArrayFromHeap(x);
  const target = backend.typedArrayFromHeap(out);
  const inStrides = [...tf.util.computeStrides(shape), 1];
  const outStrides = [...tf.util.computeStrides(outShape), 1];
  // Fills the block of dimension `d` at `to` from the input at `from`, then repeats it reps[d] times.
  const fillBlock = (d: number, from: number, to: number): void => {
    const size = shape[d] as number, times = reps[d] as number;
    const block = size * (outStrides[d] as number);
    if (d === rank - 1) {
      if (size === 1) {
        target.fill(source[from] as number, to, to + times);
        return;
      }
      target.set(source.subarray(from, from + size), to);
    } else {
      for (let i = 0; i < size; i++) {
        fillBlock(d + 1, from + i * (inStrides[d] as number), to + i * (outStrides[d] as number));
      }
    }
    for (let t = 1; t < times; t++) target.copyWithin(to + t * block, to, to + block);
  };
  fillBlock(0, 0, 0);
  return out;
}
