/**
 * From the evaluation's records (lib/eval) to the report's flat records.
 *
 * @module
 */
import { changedOptions } from "../../attacks/spec_label.ts";
import type { EvalRecord } from "../../eval/mod.ts";
import type { ReportRecord } from "../types.ts";

function kindOf(record: EvalRecord): ReportRecord["kind"] {
  return record.modelKind === "audio" ? "audio" : record.modelKind === "visual" ? "visual" : "av";
}

/** Whether the budget attacks a modality the model does not read (such a cell repeats another one). */
function attacksUnread(record: EvalRecord): boolean {
  const reads = record.modalities.split("+");
  return (record.epsAudio > 0 && !reads.includes("audio")) ||
    (record.epsVisual > 0 && !reads.includes("visual"));
}

/** The non-default options of a record's resolved spec (`attackConfig`, `{ attack, options }` as JSON). */
function attackOptionsOf(record: EvalRecord): Record<string, unknown> {
  const config: unknown = JSON.parse(record.attackConfig);
  const options = typeof config === "object" && config !== null && "options" in config &&
      typeof config.options === "object" && config.options !== null
    ? config.options
    : {};
  return changedOptions({ attack: record.attack, options });
}

/**
 * Converts sweep records to report records for one study. Zero-budget cells become one clean record per
 * (dataset, model) with attack `none` (the first seen); others carry the attack's registry name and its
 * non-default options; cells that attack a modality the model does not
 * read are dropped (they repeat a unimodal cell). Per-sample audio-visual cosines come along for `av`
 * models: on clean inputs for clean records, on the attacked inputs otherwise.
 *
 * @param records Records of `runSweep`.
 * @param study `table` (the paper's four settings) or `grid` (the ε sweep).
 * @param visualStd Per dataset name, the visual std of its models (`visualStdOf`), kept in
 *   each record (`visualStd`) for the budgets' pixel sizes. @default none
 * @returns Report records in input order.
 *
 * @example
 * ```ts ignore
 * const rows = fromEvalRecords(await runSweep(options), "table");
 * ```
 */
export function fromEvalRecords(
  records: readonly EvalRecord[],
  study: ReportRecord["study"],
  visualStd: Readonly<Record<string, readonly number[]>> = {},
): ReportRecord[] {
  const out: ReportRecord[] = [];
  const clean = new Set<string>();
  for (const r of records) {
    const isClean = r.budgetKind === "clean";
    if (isClean) {
      const id = `${r.dataset}\u0000${r.model}`;
      if (clean.has(id)) continue;
      clean.add(id);
    } else if (attacksUnread(r)) continue;
    const accuracy = isClean ? r.cleanAccuracy : r.robustAccuracy;
    const cosine = isClean ? r.perSample.cosineAvClean : r.perSample.cosineAvAdversarial;
    const std = Object.hasOwn(visualStd, r.dataset) ? visualStd[r.dataset] : undefined;
    out.push({
      dataset: r.dataset,
      model: r.model,
      kind: kindOf(r),
      fusion: r.fusion,
      attack: isClean ? "none" : r.attack,
      attackOptions: isClean ? {} : attackOptionsOf(r),
      study,
      setting: r.budgetKind,
      norm: r.norm,
      epsAudio: r.epsAudio,
      epsVisual: r.epsVisual,
      visualUnits: r.visualUnits,
      ...(std ? { visualStd: [...std] } : {}),
      correct: Math.round(accuracy * r.n),
      total: r.n,
      accuracy,
      seed: r.seed,
      ...(cosine ? { cosine } : {}),
      seconds: r.seconds,
      flags: r.flags,
    });
  }
  return out;
}
