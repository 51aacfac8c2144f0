/**
 * House-style rules that a reader relies on, checked over the whole tree (recursively):
 * - every folder under `lib/` has a `mod.ts` face that exports each public file and each sub-folder's face;
 * - `_x.ts` files are private to their folder (and its sub-folders);
 * - imports between steps flow one way (data → models → train → attacks/eval → localize/defense → report;
 *   cache and engine open to all), `lib/` never imports `tests/` or `tasks/`, and no file imports itself
 *   through a circle;
 * - `tests/` mirrors `lib/` (every test folder names a folder of `lib/` or `tasks/`).
 */
import assert from "node:assert/strict";
import { dirname, join, normalize, relative } from "node:path";

const ROOT = decodeURIComponent(new URL("../", import.meta.url).pathname).replace(/\/$/, "");
const LEVEL: Record<string, number> = {
  engine: -1,
  cache: -1,
  text: -1,
  data: 0,
  models: 1,
  train: 2,
  attacks: 3,
  eval: 3.5, // eval runs attacks; attacks never import eval
  defense: 4,
  localize: 4,
  report: 5,
};

/** Every `.ts` file under `dir` (relative to the root), and every folder. */
async function walk(dir: string, files: string[] = [], folders: string[] = []) {
  folders.push(dir);
  for await (const entry of Deno.readDir(join(ROOT, dir))) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) await walk(path, files, folders);
    else if (entry.isFile && entry.name.endsWith(".ts")) files.push(path);
  }
  return { files: files.sort(), folders: folders.sort() };
}

/**
 * Relative import specifiers of a file (static, re-export and dynamic), resolved against the root; `docs`
 * selects the imports of its JSDoc examples instead of its code.
 */
async function importsOf(file: string, docs = false): Promise<string[]> {
  const text = await Deno.readTextFile(join(ROOT, file));
  const out: string[] = [];
  for (const line of text.split("\n")) {
    if (/^\s*\*/.test(line) !== docs) continue;
    for (const match of line.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)"(\.{1,2}\/[^"]+)"/g)) {
      out.push(normalize(join(dirname(file), match[1] as string)));
    }
  }
  return out;
}

const lib = await walk("lib");

Deno.test("every lib folder has a mod.ts that exports each public file and sub-folder", async () => {
  for (const folder of lib.folders.filter((f) => f !== "lib")) {
    const own = lib.files.filter((f) => dirname(f) === folder).map((f) => f.slice(folder.length + 1));
    assert.ok(own.includes("mod.ts"), `${folder} has no mod.ts`);
    const face = await Deno.readTextFile(join(ROOT, folder, "mod.ts"));
    for (const file of own) {
      if (file === "mod.ts" || file.startsWith("_")) continue;
      assert.ok(face.includes(`"./${file}"`), `${folder}/mod.ts does not export ./${file}`);
    }
    for (const sub of lib.folders.filter((f) => dirname(f) === folder)) {
      const name = sub.slice(folder.length + 1);
      assert.ok(face.includes(`"./${name}/mod.ts"`), `${folder}/mod.ts does not export ./${name}/mod.ts`);
    }
  }
});

Deno.test("the root mod.ts draws on every lib step, through its face only", async () => {
  const root = await Deno.readTextFile(join(ROOT, "mod.ts"));
  for (const step of lib.folders.filter((f) => dirname(f) === "lib")) {
    assert.ok(root.includes(`"./${step}/mod.ts"`), `mod.ts does not draw on ${step}`);
  }
  for (const target of await importsOf("mod.ts")) {
    assert.match(target, /^lib\/[a-z_]+\/mod\.ts$/, `mod.ts reaches past a face: ${target}`);
  }
});

Deno.test("private files are imported only from their own folder (and its sub-folders)", async () => {
  for (const file of lib.files) {
    for (const target of await importsOf(file)) {
      const name = target.split("/").pop() ?? "";
      if (!name.startsWith("_")) continue;
      const home = dirname(target);
      assert.ok(
        dirname(file) === home || dirname(file).startsWith(`${home}/`),
        `${file} imports ${target}, private to its folder`,
      );
    }
  }
});

Deno.test("imports between lib steps flow one way, and lib never imports tests or tasks", async () => {
  for (const file of lib.files) {
    const step = file.split("/")[1] as string;
    const level = LEVEL[step];
    assert.notEqual(level, undefined, `lib/${step} has no place in the import order; add it to this test`);
    for (const target of await importsOf(file, true)) {
      assert.ok(target.startsWith("lib/"), `an example in ${file} imports ${target}, outside lib/`);
    }
    for (const target of await importsOf(file)) {
      assert.ok(target.startsWith("lib/"), `${file} imports ${target}, outside lib/`);
      const targetStep = target.split("/")[1] as string;
      if (targetStep === step) continue;
      const targetLevel = LEVEL[targetStep];
      assert.notEqual(targetLevel, undefined, `${file} imports unknown step ${targetStep}`);
      if (targetLevel === -1) continue;
      assert.ok(
        (targetLevel as number) < (level as number),
        `${file} imports ${target}, against the one-way flow`,
      );
    }
  }
});

Deno.test("no import circles among lib files", async () => {
  const graph = new Map<string, string[]>();
  for (const file of lib.files) {
    graph.set(
      file,
      (await importsOf(file)).filter((t) => graph.has(t) || t.startsWith("lib/")),
    );
  }
  const state = new Map<string, "open" | "done">();
  const visit = (file: string, path: string[]) => {
    if (state.get(file) === "done") return;
    const at = path.indexOf(file);
    assert.ok(at < 0, `import circle: ${[...path.slice(at), file].join(" → ")}`);
    state.set(file, "open");
    for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
    state.set(file, "done");
  };
  for (const file of lib.files) visit(file, []);
});

Deno.test("tests mirror lib: every test folder names a folder of lib or tasks", async () => {
  const tests = await walk("tests");
  const tasks = await walk("tasks");
  const known = new Set([
    ...lib.folders.map((f) => relative("lib", f)),
    ...tasks.folders.map((f) => relative(".", f)),
  ]);
  for (const folder of tests.folders.filter((f) => f !== "tests")) {
    const mirrored = relative("tests", folder);
    assert.ok(known.has(mirrored), `${folder} mirrors no folder of lib/ or tasks/`);
  }
});
