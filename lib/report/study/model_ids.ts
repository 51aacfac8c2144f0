/**
 * Model ids of the study: `audio`, `visual` and `av-<fusion>`, the names that records, checkpoints,
 * tables and command lines share.
 *
 * @module
 */
import { FUSIONS, isFusionName } from "../../models/mod.ts";
import type { FusionName, ModelKind } from "../../models/mod.ts";

/** One model of the study. */
export interface ModelSpec {
  /** Id in records and reports: `audio`, `visual` or `av-<fusion>`. */
  id: string;
  /** Which encoders. */
  kind: ModelKind;
  /** Fusion (`none` for unimodal models). */
  fusion: FusionName | "none";
}

/** Every model id the study knows: both unimodal models, then one per registered fusion. */
export function knownModelIds(): string[] {
  return ["audio", "visual", ...Object.keys(FUSIONS).map((fusion) => `av-${fusion}`)];
}

/**
 * The model an id names.
 *
 * @param id `audio`, `visual` or `av-<fusion>` with a registered fusion.
 * @returns Its kind and fusion.
 * @throws {RangeError} If the id names no model (the message lists the known ids).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseModelId("av-film"), { id: "av-film", kind: "av", fusion: "film" });
 * assert.throws(() => parseModelId("av-nope"), /known: audio, visual, av-concat/);
 * ```
 */
export function parseModelId(id: string): ModelSpec {
  if (id === "audio" || id === "visual") return { id, kind: id, fusion: "none" };
  const fusion = id.startsWith("av-") ? id.slice(3) : "";
  if (!isFusionName(fusion)) {
    throw new RangeError(`Unknown model '${id}', known: ${knownModelIds().join(", ")}`);
  }
  return { id, kind: "av", fusion };
}
