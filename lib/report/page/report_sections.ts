/**
 * Sections of the report page as Markdown, shared by the page and the notebooks. Every label from data
 * is escaped with {@linkcode escapeMarkdown}.
 *
 * @module
 */
import { attackKey, attackLabel, distinctAttacks } from "../attack_identity.ts";
import { checkClaims, type ClaimCheck } from "../study/claims.ts";
import { escapeMarkdown } from "../../text/escape.ts";
import { resultsTable } from "../study/results_table.ts";
import type { CheckSummary, DatasetSummary, ReportRecord } from "../types.ts";

/** Distinct values in first-seen order. */
function distinct<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

const md = escapeMarkdown;

/** Options of {@linkcode claimsMarkdown}. */
export interface ClaimsMarkdownOptions {
  /** Only these claims. @default all three */
  only?: readonly ClaimCheck["id"][];
}

/**
 * The paper's headline findings beside this run's verdicts ({@linkcode checkClaims}), with every
 * comparison behind them.
 *
 * @param records The report's records.
 * @param options Which claims.
 * @returns Markdown starting with a `##` heading.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.match(claimsMarkdown([]), /not measured/);
 * ```
 */
export function claimsMarkdown(
  records: readonly ReportRecord[],
  options: ClaimsMarkdownOptions = {},
): string {
  const all = checkClaims(records);
  const claims = options.only ? all.filter((c) => options.only?.includes(c.id)) : all;
  const lines = [
    "## The paper's claims beside this run",
    "",
    "Each verdict is computed from the records of this run by the rule in the last column; none is written by hand.",
    "",
    "| # | The paper (Tian & Xu, CVPR 2021) | Measured here | Verdict | Rule |",
    "|---|---|---|---|---|",
  ];
  for (const c of claims) {
    const n = all.indexOf(c) + 1;
    lines.push(`| ${n} | ${md(c.claim)} | ${md(c.summary)} | **${c.verdict}** | ${md(c.rule)} |`);
  }
  for (const c of claims) {
    if (c.evidence.length === 0) continue;
    lines.push(
      "",
      `Comparisons for claim ${all.indexOf(c) + 1}:`,
      "",
      "| dataset | attack | compared | outcome |",
      "|---|---|---|---|",
    );
    for (const e of c.evidence) {
      const outcome = e.outcome === "holds" ? "**holds**" : e.outcome;
      lines.push(`| ${md(e.dataset)} | ${md(e.attack)} | ${md(e.text)} | ${outcome} |`);
    }
  }
  return lines.join("\n");
}

function tables(
  records: readonly ReportRecord[],
  title: string,
  rowsOf: (models: ReportRecord[]) => string[],
  minRows: number,
): string {
  const table = records.filter((r) => r.study === "table");
  const attacks = distinctAttacks(table);
  const parts: string[] = [];
  for (const dataset of distinct(table.map((r) => r.dataset))) {
    const models = rowsOf(table.filter((r) => r.dataset === dataset));
    if (models.length < minRows) continue;
    for (const attack of attacks) {
      const body = resultsTable(records, { dataset, attack: attackKey(attack), models });
      if (body) {
        parts.push(
          `### ${md(dataset)}, ${md(attackLabel(attack))} (accuracy %, 95% Wilson interval)`,
          "",
          body,
        );
      }
    }
  }
  return parts.length === 0 ? "" : [title, "", ...parts].join("\n");
}

/**
 * The paper's Table 1: unimodal models against the audio-visual one (`av-concat`, the paper's fusion, or
 * the first av model), clean and under A-, V- and AV-attacks, per dataset and attack.
 *
 * @param records The report's records.
 * @returns Markdown starting with a `##` heading, or "" without table records.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(table1Markdown([]), "");
 * ```
 */
export function table1Markdown(records: readonly ReportRecord[]): string {
  return tables(records, "## Table 1: unimodal against audio-visual models", (rows) => {
    const av = distinct(rows.filter((r) => r.kind === "av").map((r) => r.model));
    const main = av.includes("av-concat") ? "av-concat" : av[0];
    return [...distinct(rows.filter((r) => r.kind !== "av").map((r) => r.model)), ...(main ? [main] : [])];
  }, 1);
}

/**
 * The paper's Table 2: every audio-visual fusion, clean and under A-, V- and AV-attacks, per dataset and
 * attack (only where at least two fusions were evaluated).
 *
 * @param records The report's records.
 * @returns Markdown starting with a `##` heading, or "".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(table2Markdown([]), "");
 * ```
 */
export function table2Markdown(records: readonly ReportRecord[]): string {
  return tables(
    records,
    "## Table 2: fusion mechanisms",
    (rows) => distinct(rows.filter((r) => r.kind === "av").map((r) => r.model)),
    2,
  );
}

/**
 * The datasets: source, classes, split sizes, audio and frame format, hash, and skipped clips.
 *
 * @param datasets Summaries from the `data` stage.
 * @returns Markdown starting with a `##` heading.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.match(datasetsMarkdown([]), /^## Data/);
 * ```
 */
export function datasetsMarkdown(datasets: readonly DatasetSummary[]): string {
  const lines = [
    "## Data",
    "",
    "| dataset | source | classes | train / val / test | audio | frame | hash |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const d of datasets) {
    const sizes = ["train", "val", "test"].map((s) => d.sizes[s] ?? 0).join(" / ");
    lines.push(
      `| ${md(d.name)} | ${md(d.source)} | ${d.classes.map(md).join(", ")} | ${sizes} | ` +
        `${d.audioLength} samples at ${d.sampleRate} Hz | ${d.imageShape.join(" × ")} | ${
          md(d.hash.slice(0, 12))
        } |`,
    );
  }
  for (const d of datasets) {
    if (d.skipped.length === 0) continue;
    lines.push("", `Skipped clips of ${md(d.name)}:`, "");
    for (const s of d.skipped) lines.push(`- ${md(s.path)}: ${md(s.reason)}`);
  }
  return lines.join("\n");
}

/**
 * The sanity checks of lib/eval over every cell: passed and raised counts, what each means, and where
 * it was raised.
 *
 * @param checks Tallies (`summarizeChecks`).
 * @returns Markdown starting with a `##` heading, or "" without checks.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(checksMarkdown([]), "");
 * ```
 */
export function checksMarkdown(checks: readonly CheckSummary[]): string {
  if (checks.length === 0) return "";
  const lines = [
    "## Sanity checks",
    "",
    "Every attacked cell runs the checks of lib/eval (in the spirit of AutoAttack's flags). A raised flag does " +
    "not stop the run; it is counted here with what it means.",
    "",
    "| check | passed | raised | raised if | what to do |",
    "|---|---:|---:|---|---|",
  ];
  for (const c of checks) {
    lines.push(
      `| ${md(c.title)} (${md(c.id)}) | ${c.passed} | ${c.flagged > 0 ? `**${c.flagged}**` : "0"} | ` +
        `${md(c.raisedIf)} | ${md(c.whatToDo)} |`,
    );
  }
  for (const c of checks.filter((c) => c.examples.length > 0)) {
    lines.push("", `Where ${md(c.id)} was raised:`, "", ...c.examples.map((e) => `- ${md(e)}`));
  }
  return lines.join("\n");
}
