import assert from "node:assert/strict";
import { escapeHtml, escapeLatex, escapeMarkdown } from "../../lib/text/escape.ts";
import { renderMarkdown } from "../../lib/report/page/render_markdown.ts";
import { HOSTILE } from "../report/_fixtures.ts";

function cellsOf(html: string): string[] {
  const body = html.slice(html.indexOf("<tbody>"));
  return [...body.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => m[1] ?? "");
}

Deno.test("escapeMarkdown() keeps each hostile label inside one table cell, as text", async (t) => {
  for (const label of HOSTILE) {
    await t.step(JSON.stringify(label), () => {
      const html = renderMarkdown(`| a | b |\n|---|---|\n| ${escapeMarkdown(label)} | x |\n`);
      const cells = cellsOf(html);
      assert.equal(cells.length, 2, html);
      assert.equal(cells[1], "x");
      assert.doesNotMatch(html, /<(script|img|a|code|em|strong)\b/i);
      const text = (cells[0] ?? "").replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&quot;", '"')
        .replaceAll("&amp;", "&");
      assert.equal(text, label.replaceAll("\n", " "), "renders as exactly the label");
    });
  }
});

Deno.test("escapeMarkdown() neutralises links, emphasis and headings outside tables", () => {
  const html = renderMarkdown(`${escapeMarkdown("# [x](javascript:alert(1)) *y*")}`);
  assert.doesNotMatch(html, /<h1|<a |<em/);
  assert.match(html, /^<p>/);
});

Deno.test("escapeHtml() escapes markup and attribute quotes", () => {
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
});

Deno.test("renderMarkdown() leaves raw HTML as text", () => {
  assert.doesNotMatch(renderMarkdown('<img src=x onerror="alert(1)">'), /<img/);
});

Deno.test("escapeMarkdown() leaves no raw HTML or math character for renderers that allow raw HTML", () => {
  for (const label of [...HOSTILE, "$x^2$ & 'q'"]) {
    assert.doesNotMatch(escapeMarkdown(label), /[<>"'$]|&(?![a-z#0-9]+;)/);
  }
});

Deno.test("escapeLatex() makes every LaTeX special character literal", async (t) => {
  const cases: [string, string][] = [
    ["50% & 10$", "50\\% \\& 10\\$"],
    ["a_b #1 {x}", "a\\_b \\#1 \\{x\\}"],
    ["~^\\", "\\textasciitilde{}\\textasciicircum{}\\textbackslash{}"],
    ["<script>|", "\\textless{}script\\textgreater{}\\textbar{}"],
    ["ε_a = 0.006 × 2", "$\\varepsilon$\\_a = 0.006 $\\times$ 2"],
    ["line\nbreak", "line break"],
  ];
  for (const [input, expected] of cases) {
    await t.step(JSON.stringify(input), () => assert.equal(escapeLatex(input), expected));
  }
});

Deno.test("escapeLatex() leaves no unescaped special character in hostile labels", () => {
  for (const label of HOSTILE) {
    const latex = escapeLatex(label);
    // Remove the escapes this function writes; what is left must hold no special character.
    const rest = latex.replace(/\\text[a-z]+\{\}|\\[&%$#_{}]|\$\\[a-z]+\$|\$[-|]\$/g, "");
    assert.doesNotMatch(rest, /[\\&%$#_{}~^]/, `${label} -> ${latex}`);
  }
});
