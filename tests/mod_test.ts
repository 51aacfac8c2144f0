/**
 * The public face stays small and serves the notebooks.
 */
import assert from "node:assert/strict";
import * as avrobust from "../mod.ts";

Deno.test("mod.ts exposes at most 150 runtime names", () => {
  const names = Object.keys(avrobust);
  assert.ok(names.length <= 150, `mod.ts exports ${names.length} runtime names`);
});

Deno.test("every name a notebook imports from mod.ts is exported", async () => {
  const dir = new URL("../notebooks/", import.meta.url);
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.name.endsWith(".ipynb")) continue;
    const notebook = JSON.parse(await Deno.readTextFile(new URL(entry.name, dir)));
    const source = notebook.cells.map((cell: { source: string[] }) => cell.source.join("")).join("\n");
    for (const match of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*"\.\.\/mod\.ts"/g)) {
      for (const raw of (match[1] as string).split(",")) {
        const name = raw.trim();
        if (name === "" || name.startsWith("type ")) continue;
        assert.ok(name in avrobust, `${entry.name} imports ${name}, which mod.ts does not export`);
      }
    }
  }
});
