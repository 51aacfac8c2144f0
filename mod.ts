/**
 * avrobust: does fusing audio and vision make a model harder or easier to fool? A Deno + TensorFlow.js
 * reproduction and extension of Tian & Xu (CVPR 2021).
 *
 * @example Ready the engine
 * ```ts ignore
 * import { useBackend } from "./mod.ts";
 * await useBackend("wasm", { seed: 1 });
 * ```
 *
 * @module
 */
export * from "./lib/attacks/mod.ts";
export * from "./lib/cache/mod.ts";
export * from "./lib/data/mod.ts";
export * from "./lib/engine/mod.ts";
export * from "./lib/eval/mod.ts";
export * from "./lib/models/mod.ts";
export * from "./lib/report/mod.ts";
export * from "./lib/text/mod.ts";
export * from "./lib/train/mod.ts";
