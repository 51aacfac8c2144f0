/**
 * Markdown as plain text for a terminal: tables aligned in columns, escapes, emphasis and code marks
 * removed. Tasks print with it, so Markdown escapes appear only inside Markdown files.
 *
 * @module
 */

function unescape(text: string): string {
  return text.replace(/\\([\\`*_{}\[\]()#+\-.!|<>~=])/g, "$1").replaceAll("**", "").replaceAll("`", "");
}

function cells(line: string): string[] {
  return line.trim().replace(/^\|/, "").replace(/(?<!\\)\|$/, "").split(/(?<!\\)\|/).map((c) => c.trim());
}

function table(lines: string[]): string[] {
  const rows = lines.map(cells);
  const separator = rows.findIndex((row) => row.every((c) => /^:?-+:?$/.test(c)));
  const right = separator >= 0 ? (rows[separator] ?? []).map((c) => c.endsWith(":")) : [];
  const body = rows.filter((_, i) => i !== separator).map((row) => row.map(unescape));
  const widths = body[0]?.map((_, col) => Math.max(...body.map((row) => (row[col] ?? "").length))) ?? [];
  const format = (row: string[]) =>
    row.map((c, col) => right[col] ? c.padStart(widths[col] ?? 0) : c.padEnd(widths[col] ?? 0)).join("  ")
      .trimEnd();
  const out = body.map(format);
  if (separator === 1) out.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  return out;
}

/**
 * Renders Markdown as plain text: tables become space-aligned columns (numbers right-aligned where the
 * table says so), headings lose their `#`, escapes and `**`/backticks disappear.
 *
 * @param markdown Markdown as the report's sections write it.
 * @returns Plain text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const text = markdownToText("## av\\-digits\n\n| model | clean |\n|---|---:|\n| av\\-concat | 84.7 |");
 * assert.equal(text, "av-digits\n\nmodel      clean\n---------  -----\nav-concat   84.7");
 * ```
 */
export function markdownToText(markdown: string): string {
  const lines = markdown.split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line.trimStart().startsWith("|")) {
      const start = i;
      while (i + 1 < lines.length && (lines[i + 1] ?? "").trimStart().startsWith("|")) i++;
      out.push(...table(lines.slice(start, i + 1)));
    } else out.push(unescape(line.replace(/^#+\s+/, "")));
  }
  return out.join("\n");
}
