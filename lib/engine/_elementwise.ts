/**
 * `Add` and `Sqrt` for wasm where the shipped kernels are slow: a bias added to every row ([..., C] + [C],
 * after each convolution; the shipped broadcasting loop took 1.0 ms on [64, 28, 28, 32], this 0.3–0.5)
 * and Adam's square root (0.74 → 0.2 ms on [3136, 128]); same-shape sums come along. They run on the
 * SIMD kernels of `_simd.wat`, bit-identical to the shipped kernels (the same correctly rounded float32
 * operations). Any other case (int32, general broadcasting, sizes not a multiple of 4, no SIMD) keeps
 * the shipped kernel. (Multiply was tried too: the shipped kernel is as fast.)
 *
 * @module
 */
import { tf } from "./tf.ts";
import { addressOf, runShipped, type WasmKernelArgs } from "./_kernel_util.ts";
import { simdKernels } from "./_simd.ts";

const sizeOf = (shape: number[]) => shape.reduce((p, d) => p * d, 1);

/** True when `small`'s shape is `[C]` or `[1, ..., 1, C]` and `large` is `[..., C]` (no larger rank). */
function isRowBroadcast(large: number[], small: number[]): boolean {
  const columns = small[small.length - 1];
  return small.length >= 1 && small.length <= large.length && columns === large[large.length - 1] &&
    small.slice(0, -1).every((d) => d === 1) && sizeOf(large) > sizeOf(small);
}

/** Kernel function registered as `Add` on wasm. */
export function add(args: WasmKernelArgs): tf.TensorInfo {
  const { inputs, backend } = args;
  const a = inputs.a as tf.TensorInfo, b = inputs.b as tf.TensorInfo;
  const simd = a.dtype === "float32" && b.dtype === "float32" ? simdKernels(backend) : undefined;
  if (simd) {
    const same = tf.util.arraysEqual(a.shape, b.shape);
    const [large, small] = same || isRowBroadcast(a.shape, b.shape)
      ? [a, b]
      : isRowBroadcast(b.shape, a.shape)
      ? [b, a]
      : [];
    const columns = same ? sizeOf(a.shape) : small ? sizeOf(small.shape) : 0;
    if (large && small && columns > 0 && columns % 4 === 0) {
      const out = backend.makeOutput(large.shape, "float32");
      const rows = sizeOf(large.shape) / columns;
      simd.add_rows(
        addressOf(backend, large),
        addressOf(backend, small),
        addressOf(backend, out),
        rows,
        columns,
      );
      return out;
    }
  }
  return runShipped("Add", backend, inputs);
}

/** Kernel function registered as `Sqrt` on wasm (float32 sizes a multiple of 4; correctly rounded either way). */
export function sqrt(args: WasmKernelArgs): tf.TensorInfo {
  const { inputs, backend } = args;
  const x = inputs.x as tf.TensorInfo;
  const size = sizeOf(x.shape);
  const simd = x.dtype === "float32" && size > 0 && size % 4 === 0 ? simdKernels(backend) : undefined;
  if (!simd) return runShipped("Sqrt", backend, inputs);
  const out = backend.makeOutput(x.shape, "float32");
  simd.sqrt(addressOf(backend, x), addressOf(backend, out), size);
  return out;
}
