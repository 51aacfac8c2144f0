import assert from "node:assert/strict";
import {
  buildBuiltin,
  BUILTIN_DATASETS,
  builtinCached,
  builtinHash,
  loadBuiltin,
} from "../../../lib/data/builtin/builtin.ts";
import type { AvSplit } from "../../../lib/data/types.ts";

const root = await Deno.makeTempDir({ prefix: "builtin_test_" });

async function splitBytes(split: AvSplit): Promise<number[]> {
  const values: number[] = [];
  for (let i = 0; i < split.size; i += 7) {
    const sample = await split.sample(i);
    values.push(sample.label, ...sample.audio.subarray(0, 4000), ...sample.visual);
  }
  return values;
}

function cacheEntry(cacheDir: string): string {
  const entries = [...Deno.readDirSync(`${cacheDir}/builtin`)].filter((e) => e.isDirectory);
  assert.equal(entries.length, 1);
  return `${cacheDir}/builtin/${entries[0]?.name}`;
}

Deno.test("BUILTIN_DATASETS describes av-digits and av-instruments with their sizes and defaults", async () => {
  assert.deepEqual(Object.keys(BUILTIN_DATASETS).sort(), ["av-digits", "av-instruments"]);
  for (const info of Object.values(BUILTIN_DATASETS)) {
    assert.ok(info.description.length > 40);
    assert.ok(info.classes.length >= 10);
    assert.ok(info.sizes.smoke.train + info.sizes.smoke.val + info.sizes.smoke.test <= 200);
    assert.ok(info.sizes.default.train > info.sizes.smoke.train);
  }
  assert.equal(BUILTIN_DATASETS["av-instruments"].styles?.length, 5);
  // What `deno task data list` says about colours is what _instruments_visual.ts draws.
  const visual = await Deno.readTextFile(
    new URL("../../../lib/data/builtin/_instruments_visual.ts", import.meta.url),
  );
  const natural = Number(/NATURAL_COLOUR_PROBABILITY = ([\d.]+)/.exec(visual)?.[1]);
  assert.match(
    BUILTIN_DATASETS["av-instruments"].description,
    new RegExp(
      `natural colours ${
        natural * 100
      }% of the time .*two-colour gradient map.*distractor instruments and clutter always`,
    ),
  );
});

Deno.test("loadBuiltin() builds once, then loads identical data from the cache", async () => {
  const cacheDir = `${root}/a`;
  const stages = new Set<string>();
  assert.equal(await builtinCached("av-digits", { size: "smoke", seed: 5, cacheDir }), false);
  const first = await loadBuiltin("av-digits", {
    size: "smoke",
    seed: 5,
    cacheDir,
    onProgress: (p) => stages.add(p.stage),
  });
  assert.equal(await builtinCached("av-digits", { size: "smoke", seed: 5, cacheDir }), true);
  assert.equal(await builtinCached("av-digits", { size: "smoke", seed: 6, cacheDir }), false, "another seed");
  const second = await loadBuiltin("av-digits", { size: "smoke", seed: 5, cacheDir });
  assert.equal(first.fromCache, false);
  assert.equal(second.fromCache, true);
  assert.equal(first.hash, second.hash);
  assert.match(first.hash, /^[0-9a-f]{64}$/);
  assert.deepEqual(await splitBytes(second.splits.train), await splitBytes(first.splits.train));
  assert.deepEqual(second.conditions.test.audioMode, first.conditions.test.audioMode);
  assert.ok(stages.has("write cache"), `stages seen: ${[...stages]}`);
  const sample = await second.splits.val.sample(0);
  assert.match(sample.id, /^av-digits\/val\/00000$/);
  assert.equal(sample.audio.length, second.audioLength);
});

Deno.test("loadBuiltin() detects a truncated or altered cache file and rebuilds the same data", async () => {
  const cacheDir = `${root}/a`;
  const reference = await loadBuiltin("av-digits", { size: "smoke", seed: 5, cacheDir });
  const expected = await splitBytes(reference.splits.train);
  const file = `${cacheEntry(cacheDir)}/train.audio.f32`;
  const bytes = await Deno.readFile(file);
  await Deno.writeFile(file, bytes.subarray(0, bytes.length - 100));
  const afterTruncation = await loadBuiltin("av-digits", { size: "smoke", seed: 5, cacheDir });
  assert.equal(afterTruncation.fromCache, false);
  assert.deepEqual(await splitBytes(afterTruncation.splits.train), expected);
  const altered = await Deno.readFile(file);
  altered[1000] = (altered[1000] as number) ^ 0xff;
  await Deno.writeFile(file, altered);
  const afterAlteration = await loadBuiltin("av-digits", { size: "smoke", seed: 5, cacheDir });
  assert.equal(afterAlteration.fromCache, false);
  assert.deepEqual(await splitBytes(afterAlteration.splits.train), expected);
  assert.equal((await loadBuiltin("av-digits", { size: "smoke", seed: 5, cacheDir })).fromCache, true);
});

Deno.test("av-digits: the same seed gives the same hash and bytes, another seed different ones", async () => {
  const cached = await loadBuiltin("av-digits", { size: "smoke", seed: 5, cacheDir: `${root}/a` });
  const fresh = await buildBuiltin("av-digits", { size: "smoke", seed: 5, cacheDir: `${root}/b` });
  const other = await buildBuiltin("av-digits", { size: "smoke", seed: 6, cacheDir: `${root}/b` });
  assert.equal(fresh.hash, cached.hash);
  assert.deepEqual(await splitBytes(fresh.splits.test), await splitBytes(cached.splits.test));
  assert.notEqual(other.hash, cached.hash);
  assert.notDeepEqual(await splitBytes(other.splits.test), await splitBytes(cached.splits.test));
});

Deno.test("av-instruments: the same seed gives the same hash and bytes, another seed different ones", async () => {
  const cacheDir = `${root}/c`;
  const first = await loadBuiltin("av-instruments", { size: "smoke", seed: 1, cacheDir });
  const again = await buildBuiltin("av-instruments", { size: "smoke", seed: 1 });
  const other = await buildBuiltin("av-instruments", { size: "smoke", seed: 2 });
  assert.equal(again.hash, first.hash);
  assert.deepEqual(await splitBytes(again.splits.train), await splitBytes(first.splits.train));
  assert.notEqual(other.hash, first.hash);
  assert.notDeepEqual(await splitBytes(other.splits.train), await splitBytes(first.splits.train));
  const visible = first.conditions.train.visualMode.findIndex((mode) => mode === 0);
  const sample = await first.splits.train.sample(visible);
  assert.ok(sample.box && sample.box[0] < sample.box[2], "a clean frame carries the instrument's box");
  assert.deepEqual(first.styles, BUILTIN_DATASETS["av-instruments"].styles);
});

Deno.test("loadBuiltin() puts degradation overrides into the hash and rejects bad ones", async () => {
  const cacheDir = `${root}/d`;
  const modes = { clean: 1, hard: 0, absent: 0, misleading: 0 };
  const clean = await buildBuiltin("av-digits", {
    size: "smoke",
    seed: 5,
    cacheDir,
    degradation: { audio: { modes } },
  });
  const plain = await buildBuiltin("av-digits", { size: "smoke", seed: 5, cacheDir });
  assert.notEqual(clean.hash, plain.hash);
  assert.ok(clean.conditions.train.audioMode.every((mode) => mode === 0));
  assert.equal(clean.degradation.audio.modes.clean, 1);
  await assert.rejects(
    loadBuiltin("av-digits", {
      cacheDir,
      degradation: { visual: { modes: { clean: 0.5, hard: 0, absent: 0, misleading: 0 } } },
    }),
    { name: "RangeError", message: /visual\.modes must sum to 1, current value is 0\.5/ },
  );
  await assert.rejects(
    loadBuiltin("av-digits", { cacheDir, degradation: { audio: { hardSnrDb: [5, -5] } } }),
    RangeError,
  );
});

Deno.test("loadBuiltin() caches the duet scene under its own hash and folder, and rejects it for av-digits", async () => {
  const cacheDir = `${root}/e`;
  const duet = await loadBuiltin("av-instruments", { size: "smoke", seed: 1, cacheDir, scene: "duet" });
  const solo = await builtinHash("av-instruments", { size: "smoke", seed: 1 });
  assert.equal(duet.scene, "duet");
  assert.equal(await builtinHash("av-instruments", { size: "smoke", seed: 1, scene: "duet" }), duet.hash);
  assert.notEqual(duet.hash, solo);
  assert.equal(await builtinHash("av-instruments", { size: "smoke", seed: 1, scene: "solo" }), solo);
  assert.match(cacheEntry(cacheDir), /av-instruments-smoke-duet-seed1-/);
  const again = await loadBuiltin("av-instruments", { size: "smoke", seed: 1, cacheDir, scene: "duet" });
  assert.equal(again.fromCache, true);
  await assert.rejects(
    loadBuiltin("av-digits", { size: "smoke", cacheDir, scene: "duet" }),
    { name: "RangeError", message: /scene must be "solo" for av-digits, current value is "duet"/ },
  );
});

Deno.test("loadBuiltin() rejects an unknown name, size or seed with a TypeError", async () => {
  // @ts-expect-error: testing a bad name from untyped callers
  await assert.rejects(loadBuiltin("av-music"), {
    name: "TypeError",
    message: /current value is "av-music"/,
  });
  // @ts-expect-error: testing a bad size from untyped callers
  await assert.rejects(loadBuiltin("av-digits", { size: "huge" }), TypeError);
  await assert.rejects(loadBuiltin("av-digits", { seed: 1.5 }), TypeError);
});

Deno.test("loadBuiltin() rebuilds an entry with a swapped array file or an edited manifest, and warns", async (t) => {
  const cacheDir = `${root}/swap`;
  const reference = await loadBuiltin("av-digits", { size: "smoke", seed: 5, cacheDir });
  const expected = await splitBytes(reference.splits.train);
  const entry = cacheEntry(cacheDir);
  const damage: [string, () => Promise<void>][] = [
    [
      "an array file swapped with another's",
      () => Deno.copyFile(`${entry}/val.audio.f32`, `${entry}/train.audio.f32`),
    ],
    ["a class name in the manifest edited, JSON still valid", async () => {
      const manifest = JSON.parse(await Deno.readTextFile(`${entry}/manifest.json`));
      manifest.classes[0] = "nought";
      await Deno.writeTextFile(`${entry}/manifest.json`, JSON.stringify(manifest));
    }],
    ["the manifest swapped with another entry's", async () => {
      const other = await Deno.makeTempDir({ dir: root });
      await loadBuiltin("av-digits", { size: "smoke", seed: 6, cacheDir: other });
      await Deno.copyFile(`${cacheEntry(other)}/manifest.json`, `${entry}/manifest.json`);
    }],
  ];
  for (const [name, corrupt] of damage) {
    await t.step(name, async () => {
      await corrupt();
      const warnings: string[] = [];
      const rebuilt = await loadBuiltin("av-digits", {
        size: "smoke",
        seed: 5,
        cacheDir,
        onWarning: (message) => warnings.push(message),
      });
      assert.equal(rebuilt.fromCache, false);
      assert.equal(rebuilt.classes[0], reference.classes[0]);
      assert.deepEqual(await splitBytes(rebuilt.splits.train), expected);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0] ?? "", /^built-in dataset cache .* failed its hash check \(.+\); rebuilding$/);
      assert.equal((await loadBuiltin("av-digits", { size: "smoke", seed: 5, cacheDir })).fromCache, true);
    });
  }
});

Deno.test("builtin tests clean up their cache folders", async () => {
  await Deno.remove(root, { recursive: true });
  assert.equal([...Deno.readDirSync("/tmp")].some((e) => `/tmp/${e.name}` === root), false);
});
