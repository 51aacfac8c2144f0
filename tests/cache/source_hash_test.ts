import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import { sourceHash } from "../../lib/cache/source_hash.ts";

/** A temp project: `files` by path relative to the root, plus a deno.json with `imports`. */
async function project(files: Record<string, string>, imports: Record<string, string> = {}) {
  const root = await Deno.makeTempDir({ prefix: "avrobust-source-hash-" });
  await Deno.writeTextFile(`${root}/deno.json`, JSON.stringify({ imports }));
  for (const [path, text] of Object.entries(files)) await write(root, path, text);
  return root;
}

async function write(root: string, path: string, text: string) {
  const dir = `${root}/${path}`.replace(/\/[^/]*$/, "");
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(`${root}/${path}`, text);
}

const FILES = {
  "lib/main.ts": [
    "/**",
    ' * import { ghost } from "./ghost.ts";',
    " */",
    'import { a } from "./a.ts";',
    "import {",
    "  b,",
    '} from "./sub/b.ts";',
    'export * from "./c.ts";',
    'import "./d.ts";',
    'const e = await import("./e.ts");',
    'import type { T } from "./types_only.ts";',
    'export type { U } from "./types_only_too.ts";',
    'import { type V } from "./inline_types.ts";',
    "export const main = [a, b, e];",
  ].join("\n"),
  "lib/a.ts": "export const a = 1;",
  "lib/sub/b.ts": 'import { a } from "../a.ts";\nexport const b = a + 1;',
  "lib/c.ts": "export const c = 3;",
  "lib/d.ts": "globalThis.d = 4;",
  "lib/e.ts": "export const e = 5;",
  "lib/ghost.ts": "export const ghost = 0;",
  "lib/types_only.ts": "export type T = number;",
  "lib/types_only_too.ts": "export type U = number;",
  "lib/inline_types.ts": "export type V = number;",
  "lib/outside.ts": "export const outside = 0;",
};

Deno.test("sourceHash() is stable and changes with an edit anywhere in the import closure", async (t) => {
  const root = await project(FILES);
  const first = await sourceHash(["lib/main.ts"], { root });
  assert.match(first, /^[0-9a-f]{64}$/);
  assert.equal(await sourceHash(["lib/main.ts"], { root }), first);
  for (const path of ["lib/main.ts", "lib/a.ts", "lib/sub/b.ts", "lib/c.ts", "lib/d.ts", "lib/e.ts"]) {
    await t.step(path, async () => {
      const text = await Deno.readTextFile(`${root}/${path}`);
      await write(root, path, `${text}\n// edited`);
      assert.notEqual(await sourceHash(["lib/main.ts"], { root }), first);
      await write(root, path, text);
      assert.equal(await sourceHash(["lib/main.ts"], { root }), first);
    });
  }
});

Deno.test("sourceHash() ignores files outside the closure, type-only imports and JSDoc examples", async (t) => {
  const root = await project(FILES);
  const first = await sourceHash(["lib/main.ts"], { root });
  for (
    const path of [
      "lib/outside.ts",
      "lib/ghost.ts",
      "lib/types_only.ts",
      "lib/types_only_too.ts",
      "lib/inline_types.ts",
    ]
  ) {
    await t.step(path, async () => {
      await write(root, path, "export const changed = true;");
      assert.equal(await sourceHash(["lib/main.ts"], { root }), first);
    });
  }
  await t.step("a new file", async () => {
    await write(root, "lib/new.ts", "export const n = 1;");
    assert.equal(await sourceHash(["lib/main.ts"], { root }), first);
  });
});

Deno.test("sourceHash() accepts file URLs, absolute paths and relative paths alike", async () => {
  const root = await project(FILES);
  const relative = await sourceHash(["lib/a.ts"], { root });
  assert.equal(await sourceHash([`${root}/lib/a.ts`], { root }), relative);
  assert.equal(await sourceHash([pathToFileURL(`${root}/lib/a.ts`)], { root }), relative);
  assert.equal(await sourceHash([pathToFileURL(`${root}/lib/a.ts`).href], { root }), relative);
  assert.notEqual(await sourceHash(["lib/a.ts", "lib/c.ts"], { root }), relative);
  assert.equal(
    await sourceHash(["lib/sub/b.ts"], { root }),
    await sourceHash(["lib/sub/b.ts", "lib/a.ts"], { root }),
  );
});

Deno.test("sourceHash() terminates on an import circle", async () => {
  const root = await project({
    "x.ts": 'import { y } from "./y.ts";\nexport const x = () => y;',
    "y.ts": 'import { x } from "./x.ts";\nexport const y = () => x;',
  });
  const first = await sourceHash(["x.ts"], { root });
  assert.equal(await sourceHash(["y.ts"], { root }), first, "both name the same two files");
  await write(root, "y.ts", 'import { x } from "./x.ts";\nexport const y = () => x();');
  assert.notEqual(await sourceHash(["x.ts"], { root }), first);
});

Deno.test("sourceHash() changes when an npm package the closure imports changes version", async () => {
  const files = {
    "main.ts": 'import * as tf from "@tensorflow/tfjs-core";\nimport { b } from "./b.ts";\nexport { b, tf };',
    "b.ts": 'export { default as vega } from "vega/build";',
  };
  const hashWith = async (imports: Record<string, string>) =>
    await sourceHash(["main.ts"], { root: await project(files, imports) });
  const base = {
    "@tensorflow/tfjs-core": "npm:@tensorflow/tfjs-core@4.22.0",
    "vega/": "npm:/vega@6.4.0/",
    "unused": "npm:unused@1.0.0",
  };
  const first = await hashWith(base);
  assert.equal(await hashWith(base), first);
  assert.notEqual(
    await hashWith({ ...base, "@tensorflow/tfjs-core": "npm:@tensorflow/tfjs-core@4.23.0" }),
    first,
  );
  assert.notEqual(await hashWith({ ...base, "vega/": "npm:/vega@6.5.0/" }), first, "a prefix mapping");
  assert.equal(await hashWith({ ...base, "unused": "npm:unused@2.0.0" }), first, "packages not imported");
});

Deno.test("sourceHash() names a missing entry module", async () => {
  const root = await project(FILES);
  await assert.rejects(sourceHash(["lib/nope.ts"], { root }), {
    name: "RangeError",
    message: /lib\/nope\.ts/,
  });
  await assert.rejects(sourceHash(["https://example.com/x.ts"], { root }), { name: "TypeError" });
});

Deno.test("sourceHash() of the project's own code is the same for a URL and its href", async () => {
  const entry = new URL("../../lib/cache/hash.ts", import.meta.url);
  const first = await sourceHash([entry]);
  assert.match(first, /^[0-9a-f]{64}$/);
  assert.equal(await sourceHash([entry.href]), first);
});
