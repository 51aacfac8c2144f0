/**
 * Display vocabulary shared by the tables, the claims and the charts: setting names, model order and the
 * wording of a visual budget.
 *
 * @module
 */
import { visualPixelLabel } from "../attacks/budgets.ts";
import type { VisualUnits } from "../attacks/types.ts";
import type { AttackSetting, ReportRecord } from "./types.ts";

/** Display order of the settings. */
export const SETTING_ORDER: readonly AttackSetting[] = ["clean", "audio", "visual", "joint"];

/** Axis labels of the settings. */
export const SETTING_LABELS: Readonly<Record<AttackSetting, string>> = {
  clean: "clean",
  audio: "A-attack",
  visual: "V-attack",
  joint: "AV-attack",
};

/** Models in a stable order: unimodal first, then av models by name. */
export function modelOrder(records: readonly ReportRecord[]): string[] {
  const rank = (record: ReportRecord) => (record.kind === "audio" ? 0 : record.kind === "visual" ? 1 : 2);
  const first = new Map<string, number>();
  for (const record of records) if (!first.has(record.model)) first.set(record.model, rank(record));
  return [...first.entries()].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)).map(([model]) => model);
}

/**
 * A visual budget as the tables, charts and examples state it, with its pixel size for the model it applies
 * to ({@linkcode visualPixelLabel}: ε_v · std per channel for a normalised budget, as a fraction of 255):
 * `ε_v = 0.012 normalised = 1.53/255 per pixel`; a pixel-unit budget `ε_v = 0.012 = 3.06/255 per pixel`; a
 * normalised one whose model's std is unknown (records written before it was kept) `ε_v = 0.012 normalised`.
 *
 * @param epsVisual ε_v.
 * @param units Its units (`pixel` when undefined, as in `Budget`).
 * @param std The model's per-channel visual std, if known.
 * @returns The text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(visualBudgetText(0.012, "normalized", [0.5]), "ε_v = 0.012 normalised = 1.53/255 per pixel");
 * assert.equal(visualBudgetText(0.012, "normalized", [0.229, 0.224, 0.225]), "ε_v = 0.012 normalised = 0.69–0.70/255 per pixel");
 * assert.equal(visualBudgetText(0.012, "normalized"), "ε_v = 0.012 normalised");
 * ```
 */
export function visualBudgetText(
  epsVisual: number,
  units: VisualUnits | undefined,
  std?: readonly number[],
): string {
  const size = visualPixelSize(epsVisual, units, std);
  const unit = (units ?? "pixel") === "pixel" ? "" : " normalised";
  return `ε_v = ${epsVisual}${unit}${size ? ` = ${size} per pixel` : ""}`;
}

/** ε_v's size in [0, 255] pixels, or "" for a normalised ε_v whose std is unknown. */
/**
 * A visual budget's pixel size for the model it applies to, as {@linkcode visualBudgetText} states it
 * (`1.53/255`, or `0.69–0.70/255` when channels differ), or "" for a normalised budget whose std is unknown.
 *
 * @param epsVisual ε_v.
 * @param units Its units (`pixel` when undefined).
 * @param std The model's per-channel visual std, if known.
 * @returns The size, or "".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(visualPixelSize(0.006, "normalized", [0.5]), "0.77/255");
 * assert.equal(visualPixelSize(0.006, "normalized"), "");
 * ```
 */
export function visualPixelSize(
  epsVisual: number,
  units: VisualUnits | undefined,
  std?: readonly number[],
): string {
  const budget = { norm: "linf", audio: 0, visual: epsVisual, visualUnits: units ?? "pixel" } as const;
  const normalization = budget.visualUnits === "pixel" ? { std: [1] } : { std: std ?? [] };
  const channels = normalization.std.length;
  return channels === 0 ? "" : visualPixelLabel(budget, normalization, channels);
}

/** What {@linkcode visualBudgetList} reads of a record. */
export interface VisualBudgetOf {
  /** ε_v. */
  epsVisual: number;
  /** Its units. @default "pixel" */
  visualUnits?: VisualUnits;
  /** The model's per-channel visual std. @default unknown */
  visualStd?: readonly number[];
}

/**
 * The distinct visual budgets of some records, ascending, each with its pixel size as in
 * {@linkcode visualBudgetText}, for a chart's caption: `ε_v normalised: 0.006 = 0.77/255, 0.012 = 1.53/255
 * per pixel` (one group per units and std, joined by "; "), or "" when no record has ε_v > 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const row = { visualUnits: "normalized", visualStd: [0.5] } as const;
 * assert.equal(
 *   visualBudgetList([{ ...row, epsVisual: 0.012 }, { ...row, epsVisual: 0 }, { ...row, epsVisual: 0.006 }]),
 *   "ε_v normalised: 0.006 = 0.77/255, 0.012 = 1.53/255 per pixel",
 * );
 * ```
 */
export function visualBudgetList(records: readonly VisualBudgetOf[]): string {
  const groups = new Map<string, { units: VisualUnits; std?: readonly number[]; values: Set<number> }>();
  for (const r of records) {
    if (!(r.epsVisual > 0)) continue;
    const units = r.visualUnits ?? "pixel";
    const id = JSON.stringify([units, units === "pixel" ? null : r.visualStd ?? null]);
    const std = units === "normalized" ? r.visualStd : undefined;
    const group = groups.get(id) ?? { units, ...(std ? { std } : {}), values: new Set<number>() };
    group.values.add(r.epsVisual);
    groups.set(id, group);
  }
  return [...groups.values()].map(({ units, std, values }) => {
    const sizes = [...values].sort((a, b) => a - b).map((e) => {
      const size = visualPixelSize(e, units, std);
      return size ? `${e} = ${size}` : `${e}`;
    });
    const perPixel = units === "pixel" || std !== undefined ? " per pixel" : "";
    return `ε_v${units === "pixel" ? "" : " normalised"}: ${sizes.join(", ")}${perPixel}`;
  }).join("; ");
}
