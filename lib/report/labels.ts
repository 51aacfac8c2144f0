/**
 * Display vocabulary shared by the tables, the claims and the charts: setting names and model order.
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

/** Models in a stable order: unimodal first, then av models by name. */
export function modelOrder(records: readonly ReportRecord[]): string[] {
  const rank = (record: ReportRecord) => (record.kind === "audio" ? 0 : record.kind === "visual" ? 1 : 2);
  const first = new Map<string, number>();
  for (const record of records) if (!first.has(record.model)) first.set(record.model, rank(record));
  return [...first.entries()].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)).map(([model]) => model);
}
