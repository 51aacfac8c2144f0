/**
 * Gathers what the stages of a pipeline run contribute into the report's content.
 *
 * @module
 */
import { accuracyEpsilonChart } from "../charts/accuracy_epsilon.ts";
import { budgetHeatmapChart } from "../charts/budget_heatmap.ts";
import { cosineHistogramChart } from "../charts/cosine_histogram.ts";
import { fusionBarsChart } from "../charts/fusion_bars.ts";
import type { ReportInput } from "./report_markdown.ts";
import type {
  ChartSpec,
  CheckSummary,
  HtmlSection,
  PipelineResult,
  ReportFile,
  ReportRecord,
  Stage,
} from "../types.ts";

/** Options of {@linkcode assembleReport}. */
export interface AssembleReportOptions {
  /** Profile name. */
  profile: string;
  /** The command line, as printed on the page. */
  command: string;
  /** Paragraphs under the title (project text, not user data). @default [] */
  notes?: string[];
  /** Executed notebooks (`.ipynb`) and their HTML exports (`.html`), relative to the report. @default [] */
  notebooks?: string[];
}

/**
 * The charts of the report, from its records: accuracy against ε (Fig. 3), bars per fusion, the ε grid heat
 * map and the cosine histograms.
 *
 * @param records The report's records.
 * @returns The four charts (some may have 0 rows).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(reportCharts([]).length, 4);
 * ```
 */
export function reportCharts(records: readonly ReportRecord[]): ChartSpec[] {
  return [
    accuracyEpsilonChart(records),
    fusionBarsChart(records),
    budgetHeatmapChart(records),
    cosineHistogramChart(records),
  ];
}

function mergeChecks(lists: readonly CheckSummary[][]): CheckSummary[] {
  const byId = new Map<string, CheckSummary>();
  for (const check of lists.flat()) {
    const seen = byId.get(check.id);
    if (!seen) byId.set(check.id, { ...check, examples: [...check.examples] });
    else {
      seen.passed += check.passed;
      seen.flagged += check.flagged;
      seen.examples.push(...check.examples);
    }
  }
  return [...byId.values()];
}

/**
 * Builds the page content from a pipeline run: each stage that ran (or came from the cache) and has a
 * `report` hook adds records, check tallies, datasets, sections or files; the charts are computed from the
 * records.
 *
 * @param stages The registry the pipeline ran.
 * @param pipeline The run.
 * @param options Profile, command, notes, notebooks.
 * @returns What {@linkcode writeReport} writes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const input = assembleReport([], { results: {}, summary: [], seconds: 0 }, { profile: "smoke", command: "x" });
 * assert.deepEqual(input.records, []);
 * ```
 */
export function assembleReport<C>(
  stages: readonly Stage<C, unknown>[],
  pipeline: PipelineResult,
  options: AssembleReportOptions,
): ReportInput {
  const records: ReportRecord[] = [];
  const checks: CheckSummary[][] = [];
  const datasets: ReportInput["datasets"] = [];
  const sections: (string | HtmlSection)[] = [];
  const files: ReportFile[] = [];
  const charts: ChartSpec[] = [];
  const results: Record<string, unknown[]> = {};
  for (const stage of stages) {
    if (!(stage.name in pipeline.results) || !stage.report) continue;
    const part = stage.report(pipeline.results[stage.name]);
    records.push(...(part.records ?? []));
    checks.push(part.checks ?? []);
    datasets.push(...(part.datasets ?? []));
    sections.push(...(part.sections ?? []));
    files.push(...(part.files ?? []));
    charts.push(...(part.charts ?? []));
    for (const [name, rows] of Object.entries(part.results ?? {})) {
      results[name] = [...(results[name] ?? []), ...rows];
    }
  }
  return {
    profile: options.profile,
    command: options.command,
    records,
    charts: [...charts, ...reportCharts(records)],
    datasets,
    checks: mergeChecks(checks),
    stages: pipeline.summary,
    seconds: pipeline.seconds,
    notes: options.notes ?? [],
    notebooks: options.notebooks ?? [],
    sections,
    files,
    results,
  };
}
