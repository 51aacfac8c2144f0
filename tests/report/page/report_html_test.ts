import assert from "node:assert/strict";
import { reportHtml } from "../../../lib/report/page/report_html.ts";
import type { ReportBlock } from "../../../lib/report/page/report_markdown.ts";

const CHART = {
  name: "fusion_bars",
  title: "Bars <b>",
  rows: 1,
  spec: { data: { values: [] }, mark: "point" as const },
};

function page(): string {
  const blocks: ReportBlock[] = [
    { kind: "markdown", text: "# Title\n\nNotes." },
    {
      kind: "markdown",
      text: "## Table 1\n\n### d1, pgd\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n| c |\n|---|\n| 3 |",
    },
    { kind: "markdown", text: "## Figures" },
    { kind: "chart", chart: CHART },
  ];
  return reportHtml(blocks, new Map([["fusion_bars", "<svg></svg>"]]), "t", {
    tables: [{ block: 1, name: "d1-pgd" }, { block: 1, name: "d1-pgd-2" }],
    files: ["results.json", "results.csv"],
  });
}

Deno.test("reportHtml() puts a table of contents after the title whose links all resolve", () => {
  const html = page();
  const nav = html.slice(html.indexOf("<nav"), html.indexOf("</nav>"));
  assert.ok(html.indexOf("<nav") > html.indexOf("<h1"), "after the title");
  const targets = [...nav.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(targets, ["table-1", "table-1-d1-pgd", "figures", "fusion_bars"]);
  for (const id of targets) assert.ok(html.includes(`id="${id}"`), id);
  assert.match(nav, /Bars &lt;b&gt;/);
  assert.match(nav, /<a href="results\.json">results\.json<\/a> · <a href="results\.csv">/);
});

Deno.test("reportHtml() links each table to its LaTeX file and each figure to its spec", () => {
  const html = page();
  assert.deepEqual([...html.matchAll(/href="(tables\/[^"]+)"/g)].map((m) => m[1]), [
    "tables/d1-pgd.tex",
    "tables/d1-pgd-2.tex",
  ]);
  assert.match(html, /<figure id="fusion_bars">[\s\S]*href="charts\/fusion_bars\.vl\.json"/);
});
