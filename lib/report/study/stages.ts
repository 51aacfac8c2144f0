/**
 * The ordered registry of the supplement's stages.
 *
 * @module
 */
import type { ReportConfig } from "./report_config.ts";
import { attackStage } from "./attack_stage.ts";
import { dataStage } from "./data_stage.ts";
import { defenseStage } from "./defense_stage.ts";
import { localizeStage } from "./localize_stage.ts";
import { trainStage } from "./train_stage.ts";
import type { Stage } from "../types.ts";

/**
 * The stages of `deno task report`, in order: `data` → `train` → `attack` → `localize` → `defense`.
 * Later steps plug in by appending a {@linkcode Stage} that `needs` the ones it reads and returns its
 * records through `report`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(REPORT_STAGES.map((s) => s.name), ["data", "train", "attack", "localize", "defense"]);
 * ```
 */
export const REPORT_STAGES: readonly Stage<ReportConfig, unknown>[] = Object.freeze([
  dataStage,
  trainStage,
  attackStage,
  localizeStage,
  defenseStage,
]);
