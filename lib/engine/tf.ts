/**
 * The one place the project imports TensorFlow.js from: the `@tensorflow/tfjs` 4.22 bundle (core with
 * gradients and chained ops, the `cpu` reference backend). The `wasm` backend is loaded by
 * `useBackend("wasm")`, which also registers the project's kernel completions.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

export { tf };
