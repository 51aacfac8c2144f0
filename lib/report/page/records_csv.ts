/**
 * Records as CSV.
 *
 * @module
 */
import { attackLabel } from "../attack_identity.ts";
import { stableStringify } from "../../cache/hash.ts";
import { visualPixelEpsilon } from "../../attacks/budgets.ts";
import type { ReportRecord } from "../types.ts";

/** ε_v as the largest per-channel pixel change in [0, 255] units for the record's model, if known. */
function epsVisual255(record: ReportRecord): number | undefined {
  const normalized = record.visualUnits === "normalized";
  if (normalized && record.visualStd === undefined) return undefined;
  const std = normalized ? record.visualStd! : [1];
  const budget = { norm: record.norm, audio: 0, visual: record.epsVisual, visualUnits: record.visualUnits };
  return 255 * Math.max(...visualPixelEpsilon(budget, { std }, std.length));
}

/** Columns of `results.csv`, in order. */
export const CSV_COLUMNS = [
  "dataset",
  "model",
  "kind",
  "fusion",
  "attack",
  "attackOptions",
  "attackLabel",
  "study",
  "setting",
  "norm",
  "epsAudio",
  "epsVisual",
  "visualUnits",
  "epsVisual255",
  "correct",
  "total",
  "accuracy",
  "seed",
  "cosineMean",
  "seconds",
  "flags",
] as const;

function cell(value: string | number | undefined): string {
  if (value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  // A leading = + - @ would make spreadsheets evaluate a label as a formula.
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Serialises records as RFC 4180 CSV with a header row ({@linkcode CSV_COLUMNS}). Per-sample cosines
 * become their mean (`cosineMean`); `results.json` keeps them all. `epsVisual255` is ε_v's size in pixels
 * for the record's model (ε_v · std for a normalised budget, the largest channel's, in [0, 255] units; empty
 * where the model's std was not recorded). `attackOptions` is stable JSON and
 * `attackLabel` the derived label. Text that a spreadsheet would run as
 * a formula is prefixed with `'`.
 *
 * @param records The records.
 * @returns CSV text ending in a newline.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const csv = recordsToCsv([{ dataset: 'a,"b"', model: "audio", kind: "audio", fusion: "none", attack: "none",
 *   attackOptions: {}, study: "table", setting: "clean", norm: "linf", epsAudio: 0, epsVisual: 0, visualUnits: "pixel",
 *   correct: 1, total: 2, accuracy: 0.5, seed: 0 }]);
 * assert.equal(csv.split("\n")[1]?.slice(0, 16), '"a,""b""",audio,');
 * ```
 */
export function recordsToCsv(records: readonly ReportRecord[]): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const record of records) {
    const cosine = record.cosine;
    const cosineMean = cosine && cosine.length > 0
      ? cosine.reduce((a, b) => a + b, 0) / cosine.length
      : undefined;
    const row = {
      ...record,
      attackOptions: stableStringify(record.attackOptions ?? {}),
      attackLabel: attackLabel(record),
      cosineMean,
      epsVisual255: epsVisual255(record),
      flags: record.flags?.join(";"),
    };
    lines.push(CSV_COLUMNS.map((column) => cell(row[column])).join(","));
  }
  return lines.join("\n") + "\n";
}
