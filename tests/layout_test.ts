/**
 * House-style rules that a reader relies on: each `lib/<step>/` has a `mod.ts` face that exports every public
 * file, the root `mod.ts` re-exports every step, and imports flow one way
 * (data → models → train → attacks/eval → defense/localization → report; cache and engine open to all).
 */
import assert from "node:assert/strict";

const LIB = new URL("../lib/", import.meta.url);
const LEVEL: Record<string, number> = {
  engine: -1,
  cache: -1,
  data: 0,
  models: 1,
  train: 2,
  attacks: 3,
  eval: 3.5, // eval runs attacks; attacks never import eval
  defense: 4,
  localization: 4,
  report: 5,
};

async function steps(): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(LIB)) if (entry.isDirectory) names.push(entry.name);
  return names.sort();
}

async function files(step: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(new URL(`${step}/`, LIB))) {
    if (entry.isFile && entry.name.endsWith(".ts")) names.push(entry.name);
  }
  return names.sort();
}

Deno.test("every lib step has a mod.ts that exports each of its public files", async () => {
  for (const step of await steps()) {
    const list = await files(step);
    assert.ok(list.includes("mod.ts"), `lib/${step} has no mod.ts`);
    const face = await Deno.readTextFile(new URL(`${step}/mod.ts`, LIB));
    for (const file of list) {
      if (file === "mod.ts" || file.startsWith("_")) continue;
      assert.ok(face.includes(`"./${file}"`), `lib/${step}/mod.ts does not export ./${file}`);
    }
  }
});

Deno.test("the root mod.ts re-exports every lib step", async () => {
  const root = await Deno.readTextFile(new URL("../mod.ts", import.meta.url));
  for (const step of await steps()) {
    assert.ok(root.includes(`"./lib/${step}/mod.ts"`), `mod.ts does not re-export lib/${step}`);
  }
});

Deno.test("imports between lib steps flow one way", async () => {
  for (const step of await steps()) {
    const level = LEVEL[step];
    assert.notEqual(level, undefined, `lib/${step} has no place in the import order; add it to this test`);
    for (const file of await files(step)) {
      const text = await Deno.readTextFile(new URL(`${step}/${file}`, LIB));
      for (const match of text.matchAll(/from\s+"\.\.\/([a-z_]+)\//g)) {
        const target = match[1] as string;
        const targetLevel = LEVEL[target];
        assert.notEqual(targetLevel, undefined, `lib/${step}/${file} imports unknown step ${target}`);
        if (targetLevel === -1) continue;
        assert.ok(
          (targetLevel as number) < (level as number),
          `lib/${step}/${file} imports lib/${target}, against the one-way flow`,
        );
      }
    }
  }
});
