/**
 * The text of the report page, as Markdown blocks with the charts between them.
 *
 * @module
 */
import { escapeMarkdown } from "../../text/escape.ts";
import {
  checksMarkdown,
  claimsMarkdown,
  datasetsMarkdown,
  table1Markdown,
  table2Markdown,
} from "./report_sections.ts";
import type {
  ChartSpec,
  CheckSummary,
  DatasetSummary,
  HtmlSection,
  ReportFile,
  ReportRecord,
  StageSummary,
} from "../types.ts";

/** Everything the page text is built from. */
export interface ReportInput {
  /** Profile name. */
  profile: string;
  /** The command that produced the report. */
  command: string;
  /** Every record. */
  records: ReportRecord[];
  /** The charts (those with 0 rows are left out). */
  charts: ChartSpec[];
  /** The datasets. */
  datasets: DatasetSummary[];
  /** Sanity checks. @default [] */
  checks?: CheckSummary[];
  /** Pipeline summary rows. */
  stages: StageSummary[];
  /** Seconds of the whole pipeline run. */
  seconds: number;
  /** Notes printed under the title (each a Markdown paragraph written by the project, not user text). */
  notes?: string[];
  /**
   * Executed notebooks (`.ipynb`) and their HTML exports (`.html` beside them), relative to the report
   * folder. @default []
   */
  notebooks?: string[];
  /** Extra sections from the stages (Markdown with labels escaped, or HTML), after the tables. @default [] */
  sections?: (string | HtmlSection)[];
  /** Files from the stages, written beside the page (paths relative to the report folder). @default [] */
  files?: ReportFile[];
  /** Further record lists by name, written to `results.json` beside `records`. @default {} */
  results?: Record<string, unknown[]>;
}

/** A piece of the page: Markdown, a chart, or a stage's HTML section (embedded as it is). */
export type ReportBlock =
  | { kind: "markdown"; text: string }
  | { kind: "chart"; chart: ChartSpec }
  | { kind: "html"; html: string };

const md = escapeMarkdown;

function runSection(input: ReportInput): string {
  const lines = [
    "## How this report was made",
    "",
    `Command: \`${input.command.replaceAll("`", "'")}\`. Pipeline time: ${input.seconds.toFixed(1)} s. ` +
    "Every stage is cached by the hash of its inputs, its code version and the results it reads; " +
    "see `provenance.json` for versions, seeds, hashes and the machine.",
    "",
    "| stage | status | cells cached | cells computed | seconds | key |",
    "|---|---|---:|---:|---:|---|",
  ];
  for (const s of input.stages) {
    lines.push(
      `| ${md(s.name)} | ${s.status} | ${s.cellsCached} | ${s.cellsComputed} | ${s.seconds.toFixed(1)} | ` +
        `\`${s.key.slice(0, 12)}\` |`,
    );
  }
  const notebooks = input.notebooks ?? [];
  const executed = notebooks.filter((n) => n.endsWith(".ipynb"));
  if (executed.length > 0) {
    const link = (path: string, label: string) => `[${md(label)}](${encodeURI(path)})`;
    lines.push(
      "",
      "Executed notebooks:",
      "",
      ...executed.map((n) => {
        const html = n.replace(/\.ipynb$/, ".html");
        return `- ${link(n, n)}${notebooks.includes(html) ? ` (${link(html, "as HTML")})` : ""}`;
      }),
    );
  }
  const examples = (input.files ?? []).some((f) => f.path.startsWith("examples/"));
  lines.push(
    "",
    "Files: [results.json](results.json) and [results.csv](results.csv) (every record), " +
      "`charts/*.vl.json` (the Vega-Lite spec of each figure, linked under it), `tables/*.tex` (each table " +
      "as LaTeX with booktabs, linked under it), [provenance.json](provenance.json) (versions, seeds, hashes, " +
      "machine)" +
      (examples
        ? ", [examples/](examples/index.html) (the adversarial examples as WAV, SVG and PNG files)."
        : "."),
  );
  return lines.join("\n");
}

/**
 * Builds the page text: title and notes, the paper's claims beside this run's verdicts, Tables 1 and 2
 * per dataset and attack, the charts, sanity checks, the data and how the report was made. Every label
 * that comes from data is escaped with {@linkcode escapeMarkdown}.
 *
 * @param input Records, charts, datasets and the pipeline summary.
 * @returns Markdown blocks with chart blocks between them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const blocks = reportMarkdown({ profile: "smoke", command: "deno task report", records: [], charts: [],
 *   datasets: [], stages: [], seconds: 0 });
 * assert.ok(blocks[0]?.kind === "markdown" && blocks[0].text.startsWith("# avrobust supplement"));
 * ```
 */
export function reportMarkdown(input: ReportInput): ReportBlock[] {
  const head = [
    `# avrobust supplement: profile \`${input.profile}\``,
    "",
    "Can audio-visual integration strengthen robustness under multimodal attacks? A reproduction of " +
    "Tian & Xu (CVPR 2021) with Deno and TensorFlow.js.",
    ...(input.notes ?? []).flatMap((note) => ["", note]),
  ].join("\n");
  const blocks: ReportBlock[] = [{ kind: "markdown", text: head }];
  const text = (markdown: string) => {
    if (markdown !== "") blocks.push({ kind: "markdown", text: markdown });
  };
  text(claimsMarkdown(input.records));
  text(table1Markdown(input.records));
  text(table2Markdown(input.records));
  for (const section of input.sections ?? []) {
    if (typeof section === "string") text(section);
    else if (section.html !== "") blocks.push({ kind: "html", html: section.html });
  }
  const charts = input.charts.filter((c) => c.rows > 0);
  if (charts.length > 0) text("## Figures");
  for (const chart of charts) blocks.push({ kind: "chart", chart });
  text(checksMarkdown(input.checks ?? []));
  text(datasetsMarkdown(input.datasets));
  text(runSection(input));
  return blocks;
}
