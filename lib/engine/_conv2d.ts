/**
 * `Conv2D` for wasm: stride 1, dilation 1, NHWC on the grid GEMM of `_grid_conv.ts` (no weight packing;
 * XNNPACK repacks the filter whenever it is a fresh tensor); everything else as shipped (XNNPACK).
 * A numeric pad with a non-square kernel stays on the shipped kernel too, so that tfjs 4.22's own output
 * shape for it is kept.
 *
 * @module
 */
import { tf } from "./tf.ts";
import { runShipped, type WasmKernelArgs } from "./_kernel_util.ts";
import { gridConv2D } from "./_grid_conv.ts";

/** Kernel function registered as `Conv2D` on wasm. */
export function conv2d(args: WasmKernelArgs): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as tf.TensorInfo;
  const filter = inputs.filter as tf.TensorInfo;
  const { strides, pad, dataFormat, dilations, dimRoundingMode } = attrs as unknown as tf.Conv2DAttrs;
  const filterShape = filter.shape as [number, number, number, number];
  const plain = (dataFormat === undefined || dataFormat === "NHWC") && x.dtype === "float32" &&
    (typeof pad !== "number" || filterShape[0] === filterShape[1]);
  if (plain) {
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      dilations,
      pad,
      dimRoundingMode,
    );
    const { top, bottom, left, right } = info.padInfo;
    const unit = info.strideHeight === 1 && info.strideWidth === 1 && info.dilationHeight === 1 &&
      info.dilationWidth === 1;
    const out = unit ? gridConv2D(backend, x, filter, [top, bottom, left, right]) : undefined;
    if (out) {
      if (out.shape.join() !== info.outShape.join()) throw new Error("Conv2D produced a wrong shape");
      return out;
    }
  }
  return runShipped("Conv2D", backend, inputs, attrs);
}
