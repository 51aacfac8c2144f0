/**
 * Training: SGD/Adam with per-module learning rates and a step schedule, seeded shuffling and
 * augmentation, best-validation checkpoints in the tfjs weights format, resumable runs, and clean
 * evaluation.
 *
 * @example
 * ```ts ignore
 * import { loadBuiltin } from "../data/mod.ts";
 * import { evaluateAccuracy, trainModel } from "./mod.ts";
 * const dataset = await loadBuiltin("av-digits");
 * const config = { model: { kind: "av", fusion: "concat" } } as const;
 * const { model } = await trainModel(dataset, config, { outDir: ".cache/checkpoints/demo" });
 * console.log((await evaluateAccuracy(model, dataset.splits.test, dataset)).accuracy);
 * ```
 *
 * @module
 */
export * from "./checkpoint.ts";
export * from "./checkpoint_integrity_error.ts";
export * from "./checkpoint_mismatch_error.ts";
export * from "./config.ts";
export * from "./evaluate.ts";
export * from "./optimizer.ts";
export * from "./progress.ts";
export * from "./step_memory.ts";
export * from "./train_model.ts";
export * from "./train_step.ts";
