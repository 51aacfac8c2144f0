/**
 * The tensor engine: TensorFlow.js 4.22 on the wasm backend with the project's kernel completions,
 * seeded randomness, and backend selection.
 *
 * @example Ready the default backend
 * ```ts ignore
 * import { useBackend, tf } from "./mod.ts";
 * await useBackend("wasm", { seed: 1 });
 * tf.tidy(() => tf.ones([2, 2]).sum().print());
 * ```
 *
 * @module
 */
export * from "./backend.ts";
export * from "./check_backend.ts";
export * from "./random.ts";
export * from "./tf.ts";
export * from "./wasm_kernels.ts";
export * from "./reference_cnn.ts";
