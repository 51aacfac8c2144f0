/**
 * Shared pieces of the chart specs.
 *
 * @module
 */
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

/** Panel size of faceted charts (pixels). */
export const PANEL = { width: 200, height: 150 } as const;

/** A y (or colour) encoding of accuracy in [0, 1], shown in percent. */
export function accuracyScale(title = "accuracy") {
  return {
    field: "accuracy",
    type: "quantitative" as const,
    title,
    scale: { domain: [0, 1] },
    axis: { format: "%" },
  };
}

/** Models in a stable order: unimodal first, then av models by name. */
export function modelOrder(records: readonly ReportRecord[]): string[] {
  const rank = (record: ReportRecord) => (record.kind === "audio" ? 0 : record.kind === "visual" ? 1 : 2);
  const first = new Map<string, number>();
  for (const record of records) if (!first.has(record.model)) first.set(record.model, rank(record));
  return [...first.entries()].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)).map(([model]) => model);
}

/** Distinct values in first-seen order. */
export function distinct<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

/**
 * The attack a chart shows when none is named: the first of `preferred` present in `records`, else the
 * first attack seen, else `"none"`.
 */
export function pickAttack(records: readonly ReportRecord[], preferred: readonly string[]): string {
  const attacks = distinct(records.filter((r) => r.attack !== "none").map((r) => r.attack));
  return preferred.find((name) => attacks.includes(name)) ?? attacks[0] ?? "none";
}
