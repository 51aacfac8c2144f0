import assert from "node:assert/strict";
import { codeVersion } from "../../../lib/report/pipeline/code_version.ts";

async function project(): Promise<string> {
  const root = await Deno.makeTempDir();
  await Deno.mkdir(`${root}/lib/a`, { recursive: true });
  await Deno.mkdir(`${root}/lib/b`, { recursive: true });
  await Deno.writeTextFile(`${root}/lib/a/x.ts`, "export const x = 1;");
  await Deno.writeTextFile(`${root}/lib/b/y.ts`, "export const y = 1;");
  await Deno.writeTextFile(`${root}/lib/a/notes.md`, "not code");
  return root;
}

Deno.test("codeVersion() is stable and changes with an edit, a new file or a rename", async () => {
  const root = await project();
  const first = await codeVersion(["lib/a"], { root });
  assert.equal(await codeVersion(["lib/a"], { root }), first);
  await Deno.writeTextFile(`${root}/lib/a/notes.md`, "edited");
  assert.equal(await codeVersion(["lib/a"], { root }), first, "non-source files do not count");
  await Deno.writeTextFile(`${root}/lib/a/z.ts`, "");
  const added = await codeVersion(["lib/a"], { root });
  assert.notEqual(added, first);
  await Deno.rename(`${root}/lib/a/z.ts`, `${root}/lib/a/w.ts`);
  assert.notEqual(await codeVersion(["lib/a"], { root }), added);
});

Deno.test("codeVersion() covers only the paths it is given", async () => {
  const root = await project();
  const a = await codeVersion(["lib/a"], { root });
  await Deno.writeTextFile(`${root}/lib/b/y.ts`, "export const y = 2;");
  assert.equal(await codeVersion(["lib/a"], { root }), a);
  assert.notEqual(await codeVersion(["lib/a", "lib/b/y.ts"], { root }), a);
});

Deno.test("codeVersion() names a missing path", async () => {
  const root = await project();
  await assert.rejects(codeVersion(["lib/nope"], { root }), { name: "RangeError", message: /lib\/nope/ });
});
