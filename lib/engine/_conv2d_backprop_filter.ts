/**
 * `Conv2DBackpropFilter` for wasm (missing as shipped): the filter gradient is itself a convolution of
 * the input with the output gradient, run on the fast XNNPACK `Conv2D` kernel.
 *
 * dW[kh, kw, ci, co] = Σ_{b,i,j} xPad[b, i·s + kh·d, j·s + kw·d, ci] · dy[b, i, j, co]. Treating `ci` as the
 * batch and `b` as the channel, this is a stride-1 convolution of xᵀ [Ci, H, W, B] with dyᵀ [Ho, Wo, B, Co]
 * at dilation `s`.
 *
 * @module
 */
import { tf } from "./tf.ts";
import { release, runShipped, slice4, transpose, type WasmBackendLike } from "./_kernel_util.ts";

/** Kernel function registered as `Conv2DBackpropFilter` on wasm. */
export function conv2dBackpropFilter(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: WasmBackendLike;
  attrs: tf.NamedAttrMap;
}): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as tf.TensorInfo;
  const dy = inputs.dy as tf.TensorInfo;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (dataFormat !== undefined && dataFormat !== "NHWC") {
    throw new Error(`Cannot run Conv2DBackpropFilter on wasm: dataFormat must be 'NHWC', current value is '${dataFormat}'`);
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const [batch, height, width, inChannels] = x.shape as [number, number, number, number];
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, outHeight, outWidth } = info;
  const { top, left } = info.padInfo;
  // Rows and columns of the padded input that the forward pass actually read.
  const neededH = (outHeight - 1) * sh + kh;
  const neededW = (outWidth - 1) * sw + kw;
  const bottom = neededH - height - top;
  const right = neededW - width - left;

  const pieces: tf.TensorInfo[] = [];
  let xUsed = x;
  if (bottom < 0 || right < 0) {
    xUsed = slice4(backend, x, [0, 0, 0, 0], [batch, height + Math.min(0, bottom), width + Math.min(0, right), inChannels]);
    pieces.push(xUsed);
  }
  const xT = transpose(backend, xUsed, [3, 1, 2, 0]); // [Ci, H, W, B]
  const dyT = transpose(backend, dy, [1, 2, 0, 3]); // [Ho, Wo, B, Co]
  pieces.push(xT, dyT);
  const conv = runShipped("Conv2D", backend, { x: xT, filter: dyT }, {
    strides: [1, 1],
    dilations: [sh, sw],
    pad: [[0, 0], [top, Math.max(0, bottom)], [left, Math.max(0, right)], [0, 0]],
    dataFormat: "NHWC",
    dimRoundingMode: undefined as unknown as string,
  } as unknown as tf.NamedAttrMap); // [Ci, kh, kw, Co]
  pieces.push(conv);
  const dw = transpose(backend, conv, [1, 2, 0, 3]);
  release(backend, ...pieces);
  return dw;
}
