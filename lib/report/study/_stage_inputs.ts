/**
 * The config fields that determine a stage which trains its own models and attacks them (`localize`,
 * `defense`), beside its own plan.
 *
 * @module
 */
import type { ReportConfig } from "./report_config.ts";

/**
 * The attack settings, model and training settings, seeds and backend of a config.
 *
 * @param config The resolved config.
 * @returns The JSON part of a stage's `inputs`.
 */
export function trainingStudyInputs(config: ReportConfig) {
  return {
    settings: config.attack.settings,
    model: config.model,
    train: config.train,
    seed: config.seed,
    attackSeed: config.attack.seed ?? config.seed,
    backend: config.backend,
  };
}
