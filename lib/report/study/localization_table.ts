/**
 * The localization table and the verdict on the paper's localization claim, from `localize` records.
 *
 * @module
 */
import type { Interval } from "../../localize/mod.ts";
import { escapeMarkdown } from "../../text/escape.ts";
import { SETTING_LABELS, visualBudgetText } from "../labels.ts";
import type { LocalizeRecord as CellRecord } from "./_localize_cell.ts";

/**
 * One row of the localization study as the `localize` stage returns it: a cell's record (ε_v in normalised
 * units) with the std of the localizer's visual normalisation, per channel, for the budget's pixel size
 * (ε_v · std; absent in rows stored before it was kept).
 */
export type LocalizeRecord = CellRecord & { visualStd?: number[] };

/** A number as text, "–" where it is missing (NaN is stored as null in JSON). */
function fixed(value: number | null | undefined, digits: number, scale = 1): string {
  return typeof value === "number" && Number.isFinite(value) ? (value * scale).toFixed(digits) : "–";
}

function percent(value: Interval | undefined): string {
  if (value === undefined || !Number.isFinite(value.value)) return "–";
  return `${fixed(value.value, 1, 100)} [${fixed(value.low, 1, 100)}, ${fixed(value.high, 1, 100)}]`;
}

function plain(value: Interval | undefined, digits: number): string {
  return fixed(value?.value, digits);
}

/** The line under the table: each attacked setting's budget, a visual one with its pixel size. */
function budgetsLine(records: readonly LocalizeRecord[]): string {
  const texts = new Map<string, Set<string>>();
  for (const r of records) {
    if (r.setting === "clean") continue;
    const parts = [
      ...(r.epsAudio > 0 ? [`ε_a = ${r.epsAudio}`] : []),
      ...(r.epsVisual > 0 ? [visualBudgetText(r.epsVisual, "normalized", r.visualStd)] : []),
    ];
    const label = SETTING_LABELS[r.setting];
    texts.set(label, (texts.get(label) ?? new Set()).add(parts.join(", ")));
  }
  if (texts.size === 0) return "";
  const settings = [...texts].map(([label, budgets]) => `${label} ${[...budgets].join(" or ")}`);
  return `Budgets (L∞): ${settings.join("; ")}.`;
}

/**
 * A Markdown table: one row per dataset × localizer × attack × setting, with AP50, mean cIoU, AUC and
 * the pointing game (percent, 95% bootstrap interval), oracle-area AP50, the mass in the box, the peak's
 * displacement (pixels) and the rank correlation with the clean map; under it, each setting's budget (a
 * visual one with its pixel size for the localizer, `visualBudgetText`).
 *
 * @param records Rows of the `localize` stage.
 * @returns The table, or "" for no rows.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const i = (value: number) => ({ value, low: value, high: value });
 * const table = localizationTableMarkdown([{
 *   dataset: "d", localizer: "attention", attack: "none", attackLabel: "none", setting: "clean",
 *   epsAudio: 0, epsVisual: 0, samples: 2, boxed: 0, accuracy: 1, peakShift: i(0), rankCorrelation: i(1),
 * }]);
 * assert.match(table, /\| d \| attention \| none \| clean \|/);
 * ```
 */
export function localizationTableMarkdown(records: readonly LocalizeRecord[]): string {
  if (records.length === 0) return "";
  const header = [
    "dataset",
    "localizer",
    "attack",
    "setting",
    "n (boxed)",
    "acc %",
    "AP50 %",
    "mean cIoU %",
    "AUC %",
    "pointing %",
    "oracle AP50 %",
    "mass in box",
    "peak shift px",
    "rank ρ",
  ];
  const lines = [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`];
  for (const r of records) {
    lines.push(
      `| ${
        [
          escapeMarkdown(r.dataset),
          r.localizer,
          escapeMarkdown(r.attackLabel),
          r.setting,
          `${r.samples} (${r.boxed})`,
          (r.accuracy * 100).toFixed(1),
          percent(r.ap50),
          percent(r.meanCiou),
          percent(r.auc),
          percent(r.pointing),
          percent(r.oracleAp50),
          plain(r.massInBox, 3),
          plain(r.peakShift, 1),
          plain(r.rankCorrelation, 2),
        ].join(" | ")
      } |`,
    );
  }
  const budgets = budgetsLine(records);
  return [...lines, ...(budgets ? ["", budgets] : [])].join("\n");
}

/**
 * The verdict on the paper's claim that "even a weakly-supervised sound source visual localization
 * model can be successfully fooled", by a stated rule: on each dataset with boxes, the attention
 * localizer is **fooled** when some joint attack's AP50 interval lies entirely below the clean AP50
 * interval (no overlap); **not shown** otherwise. Without boxes: **not measurable** (map shifts only).
 *
 * @param records Rows of the `localize` stage.
 * @returns Markdown: the claim, the rule and one line per dataset.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.match(localizationVerdict([]), /Rule/);
 * ```
 */
export function localizationVerdict(records: readonly LocalizeRecord[]): string {
  const lines = [
    "**Claim** (Tian & Xu, CVPR 2021): even a weakly-supervised sound source localization model can be " +
    "fooled by the joint attack.",
    "",
    "**Rule**: fooled when a joint attack's AP50 interval lies entirely below the clean AP50 interval of the " +
    "attention localizer (95% bootstrap, no overlap).",
    "",
  ];
  for (const dataset of new Set(records.map((r) => r.dataset))) {
    const own = records.filter((r) => r.dataset === dataset && r.localizer === "attention");
    const clean = own.find((r) => r.attack === "none")?.ap50;
    if (clean === undefined) {
      lines.push(`- ${escapeMarkdown(dataset)}: not measurable (no boxes; map shifts only)`);
      continue;
    }
    const joint = own.filter((r) => r.setting === "joint" && r.ap50 !== undefined);
    const fooled = joint.filter((r) => (r.ap50?.high ?? Infinity) < clean.low);
    const worst = joint.reduce<LocalizeRecord | undefined>(
      (best, r) => (best === undefined || (r.ap50?.value ?? 1) < (best.ap50?.value ?? 1) ? r : best),
      undefined,
    );
    lines.push(
      `- ${escapeMarkdown(dataset)}: **${fooled.length > 0 ? "fooled" : "not shown"}** (clean AP50 ${
        percent(clean)
      }; lowest joint: ${worst ? `${escapeMarkdown(worst.attackLabel)} ${percent(worst.ap50)}` : "none"})`,
    );
  }
  return lines.join("\n");
}

const BASELINES: readonly LocalizeRecord["localizer"][] = [
  "centerPrior",
  "wholeFrame",
  "attentionSilent",
  "attentionShuffled",
];

/**
 * Whether sound steers the attention map, by a stated rule: on each dataset with boxes, the attention
 * localizer **beats** a baseline when its clean AP50 and AUC intervals both lie entirely above the
 * baseline's (95% bootstrap, no overlap); otherwise **does not beat** it.
 *
 * @param records Rows of the `localize` stage.
 * @returns Markdown: the rule and one line per dataset with boxes ("" when none has boxes).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const i = (value: number) => ({ value, low: value - 0.01, high: value + 0.01 });
 * const row = (localizer: "attention" | "centerPrior", v: number) => ({ dataset: "d", localizer,
 *   attack: "none", attackLabel: "none", setting: "clean" as const, epsAudio: 0, epsVisual: 0, samples: 9,
 *   boxed: 9, accuracy: 1, ap50: i(v), auc: i(v), peakShift: i(0), rankCorrelation: i(1) });
 * assert.match(localizationBaselineCheck([row("attention", 0.8), row("centerPrior", 0.5)]), /\*\*beats\*\* centerPrior/);
 * ```
 */
export function localizationBaselineCheck(records: readonly LocalizeRecord[]): string {
  const clean = records.filter((r) => r.attack === "none" && r.ap50 !== undefined);
  const datasets = [...new Set(clean.map((r) => r.dataset))];
  if (datasets.length === 0) return "";
  const lines = [
    "**Does sound steer the map?** Rule: the attention localizer beats a baseline when its clean AP50 and " +
    "AUC intervals both lie entirely above the baseline's (95% bootstrap, no overlap).",
    "",
  ];
  for (const dataset of datasets) {
    const own = (name: LocalizeRecord["localizer"]) =>
      clean.find((r) => r.dataset === dataset && r.localizer === name);
    const attention = own("attention");
    if (!attention?.ap50 || !attention.auc) continue;
    const verdicts = BASELINES.flatMap((name) => {
      const base = own(name);
      if (!base?.ap50 || !base.auc) return [];
      const beats = attention.ap50!.low > base.ap50.high && attention.auc!.low > base.auc.high;
      return [
        `${beats ? "**beats**" : "**does not beat**"} ${name} (AP50 ${percent(base.ap50)}, AUC ${
          percent(base.auc)
        })`,
      ];
    });
    lines.push(
      `- ${escapeMarkdown(dataset)}: attention (AP50 ${percent(attention.ap50)}, AUC ${
        percent(attention.auc)
      }) ${verdicts.join("; ")}`,
    );
  }
  return lines.join("\n");
}
