/**
 * Table 3 (the defense study) and the verdict on the paper's defense claim, from `defense` records.
 *
 * @module
 */
import type { Interval } from "../../localize/mod.ts";
import { escapeMarkdown } from "../../text/escape.ts";
import { visualBudgetText } from "../labels.ts";
import type { DefenseRecord as CellRecord } from "./_defense_cell.ts";

/**
 * One row of the defense study as the `defense` stage returns it: a cell's record (ε_v in normalised units)
 * with the std of its model's visual normalisation, per channel, for the budget's pixel size (ε_v · std;
 * absent in rows stored before it was kept).
 */
export type DefenseRecord = CellRecord & { visualStd?: number[] };

/** The largest clean-accuracy drop (points) that the verdict calls "not significant". */
export const CLEAN_COST_TOLERANCE = 2;

function percent(value: Interval | undefined): string {
  if (value === undefined || !Number.isFinite(value.value)) return "–";
  const p = (x: number) => (x * 100).toFixed(1);
  return `${p(value.value)} [${p(value.low)}, ${p(value.high)}]`;
}

function budgetHeader(r: DefenseRecord): string {
  const visual = visualBudgetText(r.epsVisual, "normalized", r.visualStd);
  if (r.setting === "audio") return `A (ε_a = ${r.epsAudio})`;
  if (r.setting === "visual") return `V (${visual})`;
  return `AV (ε_a = ${r.epsAudio}, ${visual})`;
}

const cellId = (r: DefenseRecord) => `${r.setting}|${r.epsAudio}|${r.epsVisual}`;

/** The joint budget the verdict reads: the smallest joint ε of the rows (the sanity point left out). */
function verdictBudget(records: readonly DefenseRecord[]): string | undefined {
  const joint = records.filter((r) => r.study !== "sanity" && r.setting === "joint");
  joint.sort((a, b) => a.epsAudio + a.epsVisual - (b.epsAudio + b.epsVisual));
  return joint[0] ? cellId(joint[0]) : undefined;
}

function table(rows: readonly DefenseRecord[], withCost: boolean): string {
  const budgets = [...new Map(rows.filter((r) => r.setting !== "clean").map((r) => [cellId(r), r])).values()];
  const target = verdictBudget(rows);
  const header = [
    "defense",
    "clean %",
    ...budgets.map((b) => `${budgetHeader(b)} %`),
    ...(withCost ? ["clean cost (points)"] : []),
    "worst attack (AV)",
    "flags",
  ];
  const lines = [`| ${header.map(escapeMarkdown).join(" | ")} |`, `|${header.map(() => "---").join("|")}|`];
  const vanilla = rows.find((r) => r.variant === "vanilla" && r.study === "table" && r.setting === "clean");
  for (const defense of new Set(rows.map((r) => r.defense))) {
    const own = rows.filter((r) => r.defense === defense);
    const clean = own.find((r) => r.setting === "clean");
    const at = (id: string) => own.find((r) => cellId(r) === id);
    const cost = clean && vanilla ? ((vanilla.accuracy.value - clean.accuracy.value) * 100).toFixed(1) : "–";
    const flags = [...new Set(own.flatMap((r) => r.flags))];
    lines.push(
      `| ${
        [
          escapeMarkdown(defense),
          percent(clean?.accuracy),
          ...budgets.map((b) => percent(at(cellId(b))?.accuracy)),
          ...(withCost ? [cost] : []),
          escapeMarkdown((target && at(target)?.worst) ?? "–"),
          flags.length > 0 ? flags.join(", ") : "none",
        ].join(" | ")
      } |`,
    );
  }
  return lines.join("\n");
}

function diagnosticsLine(rows: readonly DefenseRecord[]): string {
  const parts = rows.flatMap((r) =>
    r.diagnostics && r.setting === "clean"
      ? Object.entries(r.diagnostics).map(([m, d]) =>
        `${escapeMarkdown(r.defense)} ${m}: ${(d.zeroShare * 100).toFixed(1)}% zero codes, ${d.iterations} ` +
        `iterations, ‖S(u) − u‖/‖u‖ = ${d.shrinkage.toExponential(1)}`
      )
      : []
  );
  return parts.length > 0 ? `ISTA on clean inputs: ${parts.join("; ")}.` : "";
}

/**
 * Markdown per dataset: Table 3 (clean accuracy, then the worst-case adaptive robust accuracy at each
 * budget, a visual one with its pixel size for the row's model (`visualBudgetText`), % with 95% bootstrap
 * intervals; the clean-accuracy cost against the vanilla fine-tune; the attack
 * with the lowest accuracy of its own at the verdict's joint budget; sanity flags), the ablations at the
 * joint budget, and ISTA's diagnostics.
 *
 * @param records Rows of the `defense` stage.
 * @returns The tables, or "" for no rows.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const i = (value: number) => ({ value, low: value, high: value });
 * const table = defenseTableMarkdown([{
 *   dataset: "d", defense: "vanilla", variant: "vanilla", study: "table", ablation: null, setting: "clean",
 *   epsAudio: 0, epsVisual: 0, samples: 2, accuracy: i(1), attacks: [], worst: null, flags: [],
 * }]);
 * assert.match(table, /\| vanilla \| 100\.0 \[100\.0, 100\.0\] \| 0\.0 \|/);
 * ```
 */
export function defenseTableMarkdown(records: readonly DefenseRecord[]): string {
  const parts: string[] = [];
  for (const dataset of new Set(records.map((r) => r.dataset))) {
    const own = records.filter((r) => r.dataset === dataset);
    const main = own.filter((r) => r.study === "table");
    parts.push(`### ${escapeMarkdown(dataset)}: Table 3 (accuracy %, ${main[0]?.samples ?? 0} test samples)`);
    parts.push("", table(main, true));
    const ablation = own.filter((r) => r.study === "ablation");
    if (ablation.length > 0) {
      parts.push("", `Ablations of the paper's defense at test time (${ablation[0]?.samples ?? 0} samples):`);
      parts.push("", table(ablation, false));
    }
    const diagnostics = diagnosticsLine(main);
    if (diagnostics) parts.push("", diagnostics);
    parts.push("");
  }
  return parts.join("\n").trim();
}

/**
 * The verdict on the paper's claim that its defense "can improve the invulnerability of audio-visual
 * networks without significantly sacrificing clean model performance", by a stated rule at the smallest
 * joint budget: **supported** when the worst-case adaptive robust accuracy interval of the paper's defense
 * (dissimilarity + memory) lies entirely above the vanilla fine-tune's and its clean accuracy is at most
 * {@linkcode CLEAN_COST_TOLERANCE} points below vanilla's; **not supported** otherwise (the reason is
 * given). Each line also compares it with PGD adversarial training.
 *
 * @param records Rows of the `defense` stage.
 * @returns Markdown: the claim, the rule and one line per dataset.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.match(defenseVerdict([]), /Rule/);
 * ```
 */
export function defenseVerdict(records: readonly DefenseRecord[]): string {
  const lines = [
    "**Claim** (Tian & Xu, CVPR 2021): the defense (dissimilarity constraint + external memory banks) " +
    '"can improve the invulnerability of audio-visual networks without significantly sacrificing clean ' +
    'model performance".',
    "",
    "**Rule**: supported when, at the smallest joint budget, the paper's defense's worst-case adaptive " +
    "robust accuracy interval lies entirely above the vanilla fine-tune's (95% bootstrap, no overlap) and its " +
    `clean accuracy is at most ${CLEAN_COST_TOLERANCE} points below vanilla's; otherwise not supported.`,
    "",
  ];
  for (const dataset of new Set(records.map((r) => r.dataset))) {
    const own = records.filter((r) => r.dataset === dataset && r.study === "table");
    const target = verdictBudget(own);
    const find = (variant: string, id: string | undefined) =>
      own.find((r) => r.variant === variant && (id === undefined ? r.setting === "clean" : cellId(r) === id));
    const [paper, vanilla, adversarial] = ["dissimilarityMemory", "vanilla", "adversarial"].map((v) =>
      find(v, target)
    );
    const [paperClean, vanillaClean] = ["dissimilarityMemory", "vanilla"].map((v) => find(v, undefined));
    if (!paper || !vanilla || !paperClean || !vanillaClean) {
      lines.push(`- ${escapeMarkdown(dataset)}: not measured (the paper's defense or vanilla is missing)`);
      continue;
    }
    const robuster = paper.accuracy.low > vanilla.accuracy.high;
    const cost = (vanillaClean.accuracy.value - paperClean.accuracy.value) * 100;
    const cheap = cost <= CLEAN_COST_TOLERANCE;
    const verdict = robuster && cheap
      ? "supported"
      : `not supported (${!robuster ? "no robustness gain beyond the intervals" : ""}${
        !robuster && !cheap ? "; " : ""
      }${!cheap ? `clean cost ${cost.toFixed(1)} points` : ""})`;
    const versus = adversarial
      ? `; PGD adversarial training ${percent(adversarial.accuracy)} (worst: ${
        escapeMarkdown(adversarial.worst ?? "–")
      })`
      : "";
    lines.push(
      `- ${escapeMarkdown(dataset)}: **${verdict}**: robust ${percent(paper.accuracy)} (worst: ${
        escapeMarkdown(paper.worst ?? "–")
      }) against vanilla ${percent(vanilla.accuracy)}, clean cost ${cost.toFixed(1)} points${versus}`,
    );
  }
  return lines.join("\n");
}
