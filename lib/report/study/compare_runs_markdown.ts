/**
 * A comparison of two result sets as Markdown.
 *
 * @module
 */
import { SETTING_LABELS, visualPixelSize } from "../labels.ts";
import { escapeMarkdown } from "../../text/escape.ts";
import { type CellCount, type CellIdentity, compareRule, type RunComparison } from "./compare_runs.ts";

const IDENTITY_HEADER = "| study | dataset | model | attack | setting | ε_a | ε_v |";

/** ε_v with its pixel size for the model, e.g. `0.012 (1.53/255)`. */
function visualEpsilon(cell: CellIdentity): string {
  const size = cell.epsVisual > 0 ? visualPixelSize(cell.epsVisual, cell.visualUnits, cell.visualStd) : "";
  return size ? `${cell.epsVisual} (${size})` : String(cell.epsVisual);
}

function identityCells(cell: CellIdentity & { attackB?: string }): string {
  const attack = cell.attackB === undefined ? cell.attack : `${cell.attack} → ${cell.attackB}`;
  return [cell.study, cell.dataset, cell.subject, attack, SETTING_LABELS[cell.setting] ?? cell.setting]
    .map((text) => escapeMarkdown(text)).concat([String(cell.epsAudio), visualEpsilon(cell)]).join(" | ");
}

function percent(count: CellCount): string {
  return count.total > 0 ? `${(100 * count.correct / count.total).toFixed(1)} (${count.total})` : "–";
}

function onlyTable(title: string, cells: readonly CellIdentity[]): string[] {
  if (cells.length === 0) return [`### ${title} (0)`, "", "None."];
  return [
    `### ${title} (${cells.length})`,
    "",
    IDENTITY_HEADER,
    "|---|---|---|---|---|---:|---:|",
    ...cells.map((cell) => `| ${identityCells(cell)} |`),
  ];
}

/**
 * The comparison as Markdown: which sets, the rule, a one-line verdict, the matched cells (A and B in %
 * with their sample counts, B − A in points, p, beyond noise) and the cells only in A or only in B.
 *
 * @param comparison What {@linkcode compareRuns} returned.
 * @param names How to name A and B (their paths).
 * @returns Markdown.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const text = compareRunsMarkdown({ cells: [], onlyA: [], onlyB: [], alpha: 0.05 }, { a: "x", b: "y" });
 * assert.match(text, /0 of 0 matched cells differ beyond noise/);
 * ```
 */
export function compareRunsMarkdown(comparison: RunComparison, names: { a: string; b: string }): string {
  const { cells, onlyA, onlyB, alpha } = comparison;
  const beyond = cells.filter((c) => c.beyondNoise).length;
  const p = (value: number) => Number.isNaN(value) ? "–" : value < 0.001 ? "<0.001" : value.toFixed(3);
  const points = (value: number) => `${value > 0 ? "+" : ""}${(100 * value).toFixed(1)}`;
  return [
    "## Two result sets compared",
    "",
    `A: ${escapeMarkdown(names.a)}`,
    "",
    `B: ${escapeMarkdown(names.b)}`,
    "",
    compareRule(alpha),
    "",
    `**${beyond} of ${cells.length} matched cells differ beyond noise; ${onlyA.length} only in A, ` +
    `${onlyB.length} only in B.**`,
    "",
    ...(cells.length === 0 ? ["No cell is in both."] : [
      `${IDENTITY_HEADER} A % (n) | B % (n) | B − A | p | beyond noise |`,
      "|---|---|---|---|---|---:|---:|---:|---:|---:|---:|---|",
      ...cells.map((c) =>
        `| ${identityCells(c)} | ${percent(c.a)} | ${percent(c.b)} | ${points(c.difference)} | ${
          p(c.pValue)
        } | ${c.beyondNoise ? "**yes**" : "no"} |`
      ),
    ]),
    "",
    ...onlyTable("Only in A", onlyA),
    "",
    ...onlyTable("Only in B", onlyB),
  ].join("\n");
}
