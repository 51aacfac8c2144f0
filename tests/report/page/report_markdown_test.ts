import assert from "node:assert/strict";
import { reportMarkdown } from "../../../lib/report/page/report_markdown.ts";

const INPUT = {
  profile: "smoke",
  command: "x",
  records: [],
  charts: [],
  datasets: [],
  stages: [],
  seconds: 0,
};

function text(notebooks: string[]): string {
  return reportMarkdown({ ...INPUT, notebooks }).map((b) => (b.kind === "markdown" ? b.text : "")).join("\n");
}

Deno.test("reportMarkdown() links results.json, results.csv and provenance.json", () => {
  const markdown = text([]);
  for (const file of ["results.json", "results.csv", "provenance.json"]) {
    assert.ok(markdown.includes(`[${file}](${file})`), file);
  }
  assert.doesNotMatch(markdown, /Executed notebooks/);
});

Deno.test("reportMarkdown() links each executed notebook and its HTML export where there is one", () => {
  const markdown = text(["notebooks/01-data.html", "notebooks/01-data.ipynb", "notebooks/02-training.ipynb"]);
  assert.match(
    markdown,
    /- \[notebooks\/01\\-data\\\.ipynb\]\(notebooks\/01-data\.ipynb\) \(\[as HTML\]\(notebooks\/01-data\.html\)\)/,
  );
  assert.match(markdown, /- \[notebooks\/02\\-training\\\.ipynb\]\(notebooks\/02-training\.ipynb\)\n/);
  assert.equal(markdown.match(/as HTML/g)?.length, 1);
});
