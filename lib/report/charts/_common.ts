/**
 * Shared pieces of the chart specs.
 *
 * @module
 */
import type { ReportRecord } from "../types.ts";
export { modelOrder, SETTING_LABELS, SETTING_ORDER } from "../labels.ts";

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
