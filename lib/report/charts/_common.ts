/**
 * Shared pieces of the chart specs.
 *
 * @module
 */
import { attackKey, attackLabel, defaultAttack, findAttack } from "../attack_identity.ts";
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
 * The attack a chart shows: the one `named` names (a name, label or key), else the registry's
 * preference ({@linkcode defaultAttack}); as its grouping key and its label.
 */
export function chooseAttack(
  records: readonly ReportRecord[],
  named?: string,
): { key: string; label: string } {
  const key = named === undefined ? defaultAttack(records) : findAttack(records, named);
  const record = records.find((r) => r.attack !== "none" && attackKey(r) === key);
  return { key, label: record ? attackLabel(record) : key };
}
