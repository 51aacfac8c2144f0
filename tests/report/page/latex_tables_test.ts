import assert from "node:assert/strict";
import { latexTables } from "../../../lib/report/page/latex_tables.ts";
import { claimsMarkdown, table1Markdown } from "../../../lib/report/page/report_sections.ts";
import { fakeRecords, HOSTILE } from "../_fixtures.ts";

Deno.test("latexTables() writes one booktabs table per Markdown table, named after its heading", () => {
  const records = fakeRecords({ datasets: ["d1"], fusions: ["concat"], attacks: ["pgd"] });
  const tables = latexTables([table1Markdown(records), claimsMarkdown(records)]);
  assert.deepEqual(
    tables.map((t) => t.block),
    [0, 1, 1, 1],
    "Table 1, the claims and two claims' comparisons",
  );
  assert.equal(tables[0]?.name, "table-1-unimodal-against-audio-visual-models-d1-pgd");
  assert.equal(
    tables[0]?.caption,
    "Table 1: unimodal against audio-visual models. d1, pgd (accuracy %, 95% Wilson interval)",
  );
  assert.equal(tables[2]?.caption, "The paper's claims beside this run: Comparisons for claim 1");
  assert.equal(new Set(tables.map((t) => t.name)).size, tables.length, "unique names");
  const latex = tables[0]?.latex ?? "";
  assert.match(latex, /\\begin\{tabular\}\{lrrrr\}\n {4}\\toprule\n {4}model & clean & A-attack/);
  assert.match(latex, /\\midrule\n {4}audio & [\d.]+ \[[\d.]+, [\d.]+\] & /);
  assert.match(latex, /\\bottomrule\n {2}\\end\{tabular\}\n\\end\{table\}\n$/);
  assert.match(latex, /\$\\varepsilon\$\\_a = 0\.012/, "ε and _ of the header escaped");
});

Deno.test("latexTables() escapes hostile labels and keeps each row's cell count", () => {
  const records = fakeRecords({ datasets: [HOSTILE[2]], fusions: ["concat", HOSTILE[0]], attacks: ["pgd"] });
  for (const table of latexTables([table1Markdown(records)])) {
    const body = table.latex.split("\n").filter((l) => l.endsWith("\\\\"));
    const counts = body.map((l) => l.split(/(?<!\\)&/).length);
    assert.equal(new Set(counts).size, 1, `ragged rows: ${counts}`);
    assert.doesNotMatch(table.latex.replace(/\\textbar\{\}|\\textless\{\}|\\textgreater\{\}/g, ""), /[<>|]/);
    assert.match(table.caption, /a \| b \| c/, "the caption is the heading's plain text");
  }
});

Deno.test("latexTables() keeps bold and code, and drops link targets", () => {
  const [table] = latexTables(["| a | b |\n|---|---|\n| **yes** | `x_y` [t](https://e.org) |"]);
  assert.match(table?.latex ?? "", /\\textbf\{yes\} & \\texttt\{x\\_y\} t \\\\/);
  assert.deepEqual([table?.name, table?.caption], ["table", "Table"]);
});
