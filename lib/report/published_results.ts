/**
 * The paper's published numbers as data, each with its source and whether it was checked against the
 * paper itself, so that the report can print them beside the measured cells of the same dataset.
 *
 * @module
 */
import type { AttackSetting } from "./types.ts";

/** The paper's datasets (Tian & Xu, CVPR 2021, Sec. 4). */
export type PaperDataset = "ave" | "music" | "kinetics-sounds";

const PAPER_DATASETS: readonly PaperDataset[] = ["ave", "music", "kinetics-sounds"];

/** One number of the paper, as published. */
export interface PublishedResult {
  /** The paper's dataset. */
  dataset: PaperDataset;
  /** Model id in this project's terms (`audio`, `visual`, `av-concat`, …). */
  model: string;
  /** The attacked modalities (`clean` for clean accuracy). */
  setting: AttackSetting;
  /** The attack's registry name, `none` for clean accuracy. */
  attack: string;
  /** Top-1 test accuracy in percent, with the digits published. */
  accuracy: number;
  /** Where the number was read (a citation with its address). */
  source: string;
  /** Whether the number was checked against the paper (its PDF) itself. */
  verified: boolean;
  /** What is assumed about the number, for the footnote. */
  note: string;
}

/**
 * Names a user dataset may carry for each paper dataset (compared case-insensitively, with `_` and
 * spaces read as `-`). The report shows published numbers only for these names: a built-in dataset
 * (`av-digits`, `av-instruments`) never matches.
 */
export const PAPER_DATASET_NAMES: Readonly<Record<PaperDataset, readonly string[]>> = Object.freeze({
  ave: ["ave", "ave-eccv18", "avevents"],
  music: ["music", "mit-music", "music-solo", "music-21-solo", "music21-solo"],
  "kinetics-sounds": ["kinetics-sounds", "kineticssounds", "ks"],
});

const AGGREGATOR = "wizwand.com benchmark listing of arXiv 2104.02000 " +
  "(https://www.wizwand.com/paper/68fa69ac1e209131cea233f2), a secondary source";
const AGGREGATOR_NOTE = "listed as 'AV accuracy' on the test split without a column label; taken as the " +
  "clean accuracy of the audio-visual concat model (the released code's only fusion); not checked " +
  "against the paper's PDF";

function fromAggregator(dataset: PaperDataset, accuracy: number): PublishedResult {
  const source = AGGREGATOR, note = AGGREGATOR_NOTE;
  return Object.freeze({
    dataset,
    model: "av-concat",
    setting: "clean",
    attack: "none",
    accuracy,
    source,
    verified: false,
    note,
  });
}

/**
 * Every number of the paper known to this project. Only the three clean audio-visual accuracies could be
 * recovered so far, from a benchmark aggregator (the copies of the paper at hand hold only its first
 * page); the values of Tables 1–3 need the PDF and are left out rather than guessed.
 */
export const PUBLISHED_RESULTS: readonly PublishedResult[] = Object.freeze([
  fromAggregator("ave", 71.39),
  fromAggregator("music", 91.35),
  fromAggregator("kinetics-sounds", 72.71),
]);

/**
 * The paper dataset a dataset name stands for ({@linkcode PAPER_DATASET_NAMES}), or undefined.
 *
 * @param name A dataset name as the report shows it.
 * @returns The paper dataset, or undefined.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(paperDataset("MIT_MUSIC"), "music");
 * assert.equal(paperDataset("av-digits"), undefined);
 * ```
 */
export function paperDataset(name: string): PaperDataset | undefined {
  const key = name.trim().toLowerCase().replace(/[\s_]+/g, "-");
  return PAPER_DATASETS.find((dataset) => PAPER_DATASET_NAMES[dataset].includes(key));
}

/**
 * The published number of one cell of a dataset: same paper dataset, model and setting, and for attacked
 * settings the same attack name.
 *
 * @param dataset A dataset name as the report shows it.
 * @param cell The model, setting and attack name (`none` for clean).
 * @param results The published numbers. @default PUBLISHED_RESULTS
 * @returns The published result, or undefined.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(publishedResult("AVE", { model: "av-concat", setting: "clean", attack: "none" })?.accuracy, 71.39);
 * assert.equal(publishedResult("av-digits", { model: "av-concat", setting: "clean", attack: "none" }), undefined);
 * ```
 */
export function publishedResult(
  dataset: string,
  cell: { model: string; setting: AttackSetting; attack: string },
  results: readonly PublishedResult[] = PUBLISHED_RESULTS,
): PublishedResult | undefined {
  const paper = paperDataset(dataset);
  if (paper === undefined) return undefined;
  return results.find((r) =>
    r.dataset === paper && r.model === cell.model && r.setting === cell.setting &&
    (cell.setting === "clean" || r.attack === cell.attack)
  );
}

/**
 * A published number as a table cell suffix: `paper 71.39` with `†` when it is not verified against the
 * paper.
 *
 * @param result The published number.
 * @returns Plain text (no Markdown specials).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const [ave] = PUBLISHED_RESULTS;
 * assert.ok(ave);
 * assert.equal(publishedText(ave), "paper 71.39†");
 * ```
 */
export function publishedText(result: PublishedResult): string {
  return `paper ${result.accuracy.toFixed(2)}${result.verified ? "" : "†"}`;
}

/**
 * The footnote under a table that shows published numbers: one line per distinct source.
 *
 * @param results The published numbers shown.
 * @returns Markdown paragraphs ("" for none), plain text without links (the page loads nothing from the
 *   network).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.match(publishedFootnote(PUBLISHED_RESULTS), /^† Unverified/);
 * ```
 */
export function publishedFootnote(results: readonly PublishedResult[]): string {
  const lines = new Set(
    results.map((r) => `${r.verified ? "Published" : "† Unverified"}: ${r.source}; ${r.note}.`),
  );
  return [...lines].join("\n\n");
}
