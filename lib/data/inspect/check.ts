/**
 * Validation of a user dataset: opens it with the matching loader, reads every clip once, and summarises
 * sizes, class balance and every problem found.
 *
 * @module
 */
import { type AveFeatureOptions, openAveFeatures } from "../loaders/ave_features.ts";
import { type CsvLayoutOptions, openCsvLayout } from "../loaders/csv_layout.ts";
import { DataFormatError } from "../errors.ts";
import type { SkippedClip, SplitName } from "../types.ts";
import { openVideoFolder, type VideoFolderOptions } from "../loaders/video_folder.ts";
import type { LoaderProgress } from "../types.ts";

/** The user-data layouts avrobust reads. */
export type DatasetLayout = "csv" | "videos" | "ave";

/** Options of {@linkcode checkDataset}. */
export interface CheckDatasetOptions {
  /** Which loader to use. */
  layout: DatasetLayout;
  /** Options for the CSV-layout loader (`skipBroken` and `onProgress` are set by the check). */
  csv?: Omit<CsvLayoutOptions, "skipBroken" | "onProgress">;
  /** Options for the video-folder loader. */
  videos?: Omit<VideoFolderOptions, "skipBroken" | "onProgress">;
  /** Options for the AVE feature reader. */
  ave?: Omit<AveFeatureOptions, "skipBroken" | "onProgress">;
  /** Progress callback (stages `index`, `verify`). */
  onProgress?: LoaderProgress;
}

/** Size and class balance of one split. */
export interface CheckedSplit {
  /** Usable clips. */
  size: number;
  /** Usable clips per class index. */
  classCounts: number[];
}

/** What {@linkcode checkDataset} found. */
export interface CheckReport {
  /** The dataset's folder. */
  path: string;
  /** The layout checked. */
  layout: DatasetLayout;
  /** True when nothing is wrong and at least one clip is usable. */
  ok: boolean;
  /** Class names (empty if the dataset could not be opened). */
  classes: string[];
  /** Usable clips per split. */
  splits: Record<SplitName, CheckedSplit>;
  /** Every broken clip or row, with the reason. */
  problems: SkippedClip[];
  /** A problem that kept the dataset from opening at all (missing CSV, wrong HDF5 shape, …). */
  fatal?: SkippedClip;
}

function summarise(labels: ArrayLike<number>, classCount: number): CheckedSplit {
  const classCounts = new Array<number>(classCount).fill(0);
  for (let i = 0; i < labels.length; i++) {
    classCounts[labels[i] as number] = (classCounts[labels[i] as number] ?? 0) + 1;
  }
  return { size: labels.length, classCounts };
}

/**
 * Opens a dataset with `skipBroken` so that every clip is read once, and reports what is usable and what is
 * broken. A problem that prevents opening (e.g. a missing CSV) is reported as `fatal`, not thrown.
 *
 * @param path The dataset folder.
 * @param options Layout and loader options.
 * @returns The report; `ok` is false if any problem was found.
 * @throws {Error} If a required program is missing (ffmpeg for videos) or on an unexpected failure.
 *
 * @example
 * ```ts ignore
 * const report = await checkDataset("/data/MUSIC", { layout: "csv" });
 * console.log(formatCheckReport(report));
 * ```
 */
export async function checkDataset(path: string, options: CheckDatasetOptions): Promise<CheckReport> {
  const { layout, onProgress } = options;
  const empty: CheckedSplit = { size: 0, classCounts: [] };
  const report: CheckReport = {
    path,
    layout,
    ok: false,
    classes: [],
    splits: { train: empty, val: empty, test: empty },
    problems: [],
  };
  const common = { skipBroken: true, ...(onProgress ? { onProgress } : {}) };
  try {
    if (layout === "ave") {
      const ave = await openAveFeatures(path, { ...options.ave, ...common });
      ave.close();
      report.classes = ave.classes;
      report.problems = ave.skipped;
      for (const s of ["train", "val", "test"] as const) {
        report.splits[s] = summarise(ave.splits[s].labels, 29);
      }
    } else {
      const data = layout === "csv"
        ? await openCsvLayout(path, { ...options.csv, ...common })
        : await openVideoFolder(path, { ...options.videos, ...common });
      report.classes = data.classes;
      report.problems = data.skipped;
      for (const s of ["train", "val", "test"] as const) {
        report.splits[s] = summarise(data.splits[s].labels, data.classes.length);
      }
    }
  } catch (error) {
    if (!(error instanceof DataFormatError)) throw error;
    report.fatal = { path: error.path, reason: error.message };
    report.problems = [report.fatal];
  }
  const usable = report.splits.train.size + report.splits.val.size + report.splits.test.size;
  report.ok = report.problems.length === 0 && usable > 0;
  return report;
}

/**
 * Formats a {@linkcode CheckReport} as plain text: sizes, class balance, problems.
 *
 * @param report The report.
 * @param maxProblems Problems listed before "… and N more".
 * @returns Lines of text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const split = { size: 1, classCounts: [1] };
 * const text = formatCheckReport({
 *   path: "d", layout: "csv", ok: true, classes: ["a"], splits: { train: split, val: split, test: split }, problems: [],
 * });
 * assert.match(text, /OK/);
 * ```
 */
export function formatCheckReport(report: CheckReport, maxProblems = 50): string {
  const lines = [`${report.ok ? "OK" : "PROBLEMS"}: ${report.layout} dataset at ${report.path}`];
  if (!report.fatal) {
    lines.push(`classes (${report.classes.length}): ${report.classes.join(", ")}`);
    for (const s of ["train", "val", "test"] as const) {
      const { size, classCounts } = report.splits[s];
      const nonEmpty = classCounts.filter((c) => c > 0);
      const balance = nonEmpty.length
        ? `per class ${Math.min(...nonEmpty)}-${Math.max(...nonEmpty)}`
        : "no clips";
      const missing = classCounts.filter((c) => c === 0).length;
      lines.push(`${s}: ${size} clips, ${balance}${missing ? `, ${missing} classes without clips` : ""}`);
    }
  }
  if (report.problems.length) {
    lines.push(
      `${report.problems.length} broken clip(s)${report.fatal ? " (the dataset could not be opened)" : ""}:`,
    );
    for (const p of report.problems.slice(0, maxProblems)) lines.push(`  ${p.reason}`);
    if (report.problems.length > maxProblems) {
      lines.push(`  … and ${report.problems.length - maxProblems} more`);
    }
  }
  return lines.join("\n");
}
