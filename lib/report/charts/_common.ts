/**
 * Shared pieces of the chart specs.
 *
 * @module
 */
import { attackKey, attackLabel, defaultAttack, findAttack } from "../attack_identity.ts";
import { wilsonInterval } from "../../eval/wilson_interval.ts";
import type { ReportRecord } from "../types.ts";
export { modelOrder, SETTING_LABELS, SETTING_ORDER, visualBudgetList } from "../labels.ts";

/** Panel size of faceted charts (pixels): large enough to read on a laptop screen. */
export const PANEL = { width: 360, height: 260 } as const;

/** The 95% Wilson interval of a record's accuracy, as data-row fields `low` and `high`. */
export function interval(record: Pick<ReportRecord, "correct" | "total">): { low: number; high: number } {
  if (record.total < 1) return { low: 0, high: 1 };
  const { low, high } = wilsonInterval(record.correct, record.total);
  return { low, high };
}

/**
 * A layer of 95% intervals from the rows' `low` and `high` fields: error bars (with caps) for points and
 * bars, or a translucent band for lines; coloured like `color`. `title` must match the y axis title of
 * the other layers (Vega-Lite joins different titles with a comma).
 */
export function intervalLayer(kind: "bars" | "band", color?: Record<string, unknown>, title = "accuracy") {
  return {
    mark: kind === "band"
      ? { type: "area" as const, opacity: 0.15 }
      : { type: "errorbar" as const, ticks: { size: 6 }, color: "#333" },
    encoding: {
      y: { field: "low", type: "quantitative" as const, title },
      y2: { field: "high" },
      // `fill`, not `color`: the band gets a scale of its own (same domain and scheme), merged in one legend.
      ...(kind === "band" && color ? { fill: color } : {}),
    },
  };
}

/** Tooltip entries of an interval. */
export const INTERVAL_TOOLTIP = [
  { field: "low", type: "quantitative" as const, format: ".1%", title: "95% low" },
  { field: "high", type: "quantitative" as const, format: ".1%", title: "95% high" },
];

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
 * The strongest attack of some records, as an attack key: the one with the lowest mean accuracy over its
 * records in `setting` (ties and an empty set go by {@linkcode defaultAttack}).
 */
export function strongestAttack(records: readonly ReportRecord[], setting: ReportRecord["setting"]): string {
  const sums = new Map<string, { sum: number; n: number }>();
  for (const r of records) {
    if (r.attack === "none" || r.setting !== setting) continue;
    const entry = sums.get(attackKey(r)) ?? { sum: 0, n: 0 };
    sums.set(attackKey(r), { sum: entry.sum + r.accuracy, n: entry.n + 1 });
  }
  const fallback = defaultAttack(records);
  let best = fallback, lowest = Infinity;
  for (const [key, { sum, n }] of sums) {
    const mean = sum / n;
    if (mean < lowest || (mean === lowest && key === fallback)) [best, lowest] = [key, mean];
  }
  return best;
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
