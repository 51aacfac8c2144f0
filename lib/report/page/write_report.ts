/**
 * Writes the report folder: page, records, chart specs and provenance.
 *
 * @module
 */
import { writeFileAtomic } from "../../cache/atomic.ts";
import { latexTables } from "./latex_tables.ts";
import { recordsToCsv } from "./records_csv.ts";
import { renderChartSvg } from "../charts/render_chart.ts";
import { reportHtml } from "./report_html.ts";
import { type ReportInput, reportMarkdown } from "./report_markdown.ts";
import type { Provenance } from "./provenance.ts";

/** What {@linkcode writeReport} wrote. */
export interface WrittenReport {
  /** The report folder. */
  dir: string;
  /** Paths written, relative to `dir`. */
  files: string[];
}

/** Removes files under `dir/folder` that are not in `keep` (paths relative to `dir`), then empty folders. */
async function prune(dir: string, folder: string, keep: ReadonlySet<string>): Promise<void> {
  const walk = async (relative: string): Promise<boolean> => {
    let empty = true;
    for await (const entry of Deno.readDir(`${dir}/${relative}`)) {
      const path = `${relative}/${entry.name}`;
      const gone = entry.isDirectory ? await walk(path) : !keep.has(path);
      if (gone) await Deno.remove(`${dir}/${path}`);
      else empty = false;
    }
    return empty;
  };
  await walk(folder).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
}

/**
 * Writes `dir/index.html` (self-contained: charts as inline SVG, the stages' media as data URIs, a table
 * of contents, every table followed by a link to its LaTeX), `results.json` and `results.csv` (every
 * record), `charts/<name>.vl.json` (each chart with data), `tables/<name>.tex` (each table of the page as
 * a booktabs `table`, {@linkcode latexTables}), `provenance.json` and the stages' files (`examples/…`).
 * Files are written atomically; a folder the stages' files go to keeps only this run's files; other
 * files in `dir` (executed notebooks) are left alone.
 *
 * @param dir The report folder, e.g. `reports/smoke`.
 * @param input The page content.
 * @param provenance What `provenance.json` holds.
 * @returns The files written.
 * @throws {RangeError} If a stage's file path is absolute or climbs out of `dir` (`..`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { collectProvenance } from "./provenance.ts";
 * const dir = await Deno.makeTempDir();
 * const pipeline = { results: {}, summary: [], seconds: 0 };
 * const provenance = await collectProvenance({ command: "x", profile: "smoke", config: {}, seeds: {}, pipeline });
 * await writeReport(dir, { profile: "smoke", command: "x", records: [], charts: [], datasets: [], stages: [],
 *   seconds: 0 }, provenance);
 * assert.match(await Deno.readTextFile(`${dir}/index.html`), /<!DOCTYPE html>/);
 * ```
 */
export async function writeReport(
  dir: string,
  input: ReportInput,
  provenance: Provenance,
): Promise<WrittenReport> {
  const blocks = reportMarkdown(input);
  const svgs = new Map<string, string>();
  const files: string[] = [];
  const write = async (path: string, data: string | Uint8Array) => {
    await writeFileAtomic(`${dir}/${path}`, data);
    files.push(path);
  };
  const stageFiles = input.files ?? [];
  for (const file of stageFiles) {
    if (file.path.startsWith("/") || file.path.split("/").some((part) => part === ".." || part === "")) {
      throw new RangeError(
        `Cannot write the report: file paths must stay inside it, current value is '${file.path}'`,
      );
    }
  }
  for (const file of stageFiles) await write(file.path, file.data);
  const folders = new Set(
    stageFiles.flatMap((f) => (f.path.includes("/") ? [f.path.split("/")[0] as string] : [])),
  );
  for (const folder of folders) await prune(dir, folder, new Set(stageFiles.map((f) => f.path)));
  for (const chart of input.charts) {
    await write(`charts/${chart.name}.vl.json`, JSON.stringify(chart.spec, null, 2) + "\n");
    if (chart.rows > 0) svgs.set(chart.name, await renderChartSvg(chart.spec));
  }
  const tables = latexTables(blocks.map((b) => (b.kind === "markdown" ? b.text : "")));
  for (const table of tables) await write(`tables/${table.name}.tex`, table.latex);
  await write("results.json", JSON.stringify({ records: input.records, ...input.results }, null, 1) + "\n");
  await write("results.csv", recordsToCsv(input.records));
  await write("provenance.json", JSON.stringify(provenance, null, 2) + "\n");
  const links = ["results.json", "results.csv", "provenance.json"];
  const title = `avrobust supplement (${input.profile})`;
  await write("index.html", reportHtml(blocks, svgs, title, { tables, files: links }));
  return { dir, files };
}
