/**
 * The paper's tables (clean, A-, V- and AV-attack accuracy per model) as Markdown.
 *
 * @module
 */
import { modelOrder, SETTING_LABELS, SETTING_ORDER, visualBudgetText } from "../labels.ts";
import { attackKey, findAttack } from "../attack_identity.ts";
import { escapeMarkdown } from "../../text/escape.ts";
import { publishedFootnote, type PublishedResult, publishedResult } from "../published_results.ts";
import { accuracyCell } from "./_accuracy_cell.ts";
import type { AttackSetting, ReportRecord } from "../types.ts";

/** Options of {@linkcode resultsTable}. */
export interface ResultsTableOptions {
  /** The dataset. */
  dataset: string;
  /** The attack: its name (the first spec of that name), label or `attackKey`. */
  attack: string;
  /** Which models form the rows (ids), in order. @default every model with records, unimodal first */
  models?: readonly string[];
}

function budgetText(record: ReportRecord | undefined, setting: AttackSetting): string {
  if (record === undefined || setting === "clean") return "";
  const visual = visualBudgetText(record.epsVisual, record.visualUnits, record.visualStd);
  if (setting === "audio") return ` (ε_a = ${record.epsAudio})`;
  if (setting === "visual") return ` (${visual})`;
  return ` (ε_a = ${record.epsAudio}, ${visual})`;
}

/**
 * A Markdown table of accuracies in percent with 95% Wilson intervals (`71.4 [68.5, 74.1]`): one row per
 * model, columns clean, A-attack, V-attack and AV-attack (the paper's Tables 1 and 2 layout), from the
 * `table` records of one dataset and attack; each column's header states its budget, a visual one with
 * its pixel size for the records' model (`visualBudgetText`). A cell with no record (e.g. a V-attack on an audio-only
 * model) shows "–". Where the paper published the cell's number for this dataset
 * ({@linkcode publishedResult}), it follows the measurement (`; paper 71.39†`) and a footnote under the
 * table names its source. Labels are escaped.
 *
 * @param records The report's records.
 * @param options Dataset, attack and rows.
 * @returns Markdown, or an empty string when there is no record to show.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const table = resultsTable([
 *   { dataset: "d", model: "audio", kind: "audio", fusion: "none", attack: "none", attackOptions: {}, study: "table",
 *     setting: "clean", norm: "linf", epsAudio: 0, epsVisual: 0, visualUnits: "normalized",
 *     correct: 9, total: 10, accuracy: 0.9, seed: 0 },
 * ], { dataset: "d", attack: "pgd" });
 * assert.match(table, /\| audio \| 90\.0 \[59\.6, 98\.2\] \| – \| – \| – \|/);
 * ```
 */
export function resultsTable(records: readonly ReportRecord[], options: ResultsTableOptions): string {
  const { dataset } = options;
  const inStudy = records.filter((r) => r.study === "table" && r.dataset === dataset);
  const attack = findAttack(inStudy, options.attack);
  const rows = inStudy.filter((r) => r.setting === "clean" || attackKey(r) === attack);
  const models = options.models ?? modelOrder(rows);
  const shown = models.filter((model) => rows.some((r) => r.model === model));
  if (shown.length === 0) return "";
  const example = (setting: AttackSetting) => rows.find((r) => r.setting === setting);
  const header = SETTING_ORDER.map((s) => escapeMarkdown(`${SETTING_LABELS[s]}${budgetText(example(s), s)}`));
  const lines = [`| model | ${header.join(" | ")} |`, `|---|${SETTING_ORDER.map(() => "---:").join("|")}|`];
  const published: PublishedResult[] = [];
  for (const model of shown) {
    const cells = SETTING_ORDER.map((setting) => {
      const record = rows.find((r) => r.model === model && r.setting === setting);
      if (record === undefined) return "–";
      const paper = publishedResult(dataset, { model, setting, attack: record.attack });
      if (paper) published.push(paper);
      return accuracyCell(record.accuracy, record.total, paper);
    });
    lines.push(`| ${escapeMarkdown(model)} | ${cells.join(" | ")} |`);
  }
  const footnote = publishedFootnote(published);
  return lines.join("\n") + "\n" + (footnote ? `\n${footnote}\n` : "");
}
