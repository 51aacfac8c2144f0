import assert from "node:assert/strict";
import { openCache } from "../../lib/cache/store.ts";

/** A store with two entries, a compute counter per entry and the warnings it printed. */
async function setup() {
  const warnings: string[] = [];
  const store = openCache(await Deno.makeTempDir({ prefix: "avrobust-store-" }), {
    onWarning: (message) => warnings.push(message),
  });
  const computed = { a: 0, b: 0 };
  const values = { a: { accuracy: 0.5, cells: [1, 2] }, b: { accuracy: 0.25, cells: [3] } };
  const memo = (name: "a" | "b") =>
    store.memo("eval", { name }, () => {
      computed[name]++;
      return Promise.resolve(values[name]);
    });
  const keyA = (await memo("a")).key;
  const keyB = (await memo("b")).key;
  return { store, warnings, computed, memo, values, pathA: store.pathOf("eval", keyA), keyB };
}

Deno.test("openCache() serves an intact entry and files an envelope with key and content hash", async () => {
  const { store, warnings, computed, memo, pathA } = await setup();
  const again = await memo("a");
  assert.deepEqual([again.hit, again.value, computed.a], [true, { accuracy: 0.5, cells: [1, 2] }, 1]);
  const envelope = JSON.parse(await Deno.readTextFile(pathA));
  assert.deepEqual(Object.keys(envelope).sort(), ["hash", "key", "value"]);
  assert.match(envelope.hash, /^[0-9a-f]{64}$/);
  assert.equal(await store.get("eval", "0".repeat(64)), undefined, "a missing entry is a silent miss");
  assert.deepEqual(warnings, []);
});

Deno.test("openCache() recomputes an edited, truncated, swapped or unparseable entry and says so", async (t) => {
  const damage: Record<string, (path: string, otherPath: string) => Promise<void>> = {
    "a number changed, JSON still valid": async (path) => {
      const envelope = JSON.parse(await Deno.readTextFile(path));
      envelope.value.accuracy = 0.75;
      await Deno.writeTextFile(path, JSON.stringify(envelope));
    },
    "truncated": async (path) => {
      const text = await Deno.readTextFile(path);
      await Deno.writeTextFile(path, text.slice(0, text.length - 10));
    },
    "swapped with another entry's file": (path, otherPath) => Deno.copyFile(otherPath, path),
    "an envelope without a hash": async (path) => {
      const { key, value } = JSON.parse(await Deno.readTextFile(path));
      await Deno.writeTextFile(path, JSON.stringify({ key, value }));
    },
    "unparseable": (path) => Deno.writeTextFile(path, "not json"),
  };
  for (const [name, corrupt] of Object.entries(damage)) {
    await t.step(name, async () => {
      const { store, warnings, computed, memo, values, pathA, keyB } = await setup();
      await corrupt(pathA, store.pathOf("eval", keyB));
      const recomputed = await memo("a");
      assert.equal(recomputed.hit, false);
      assert.equal(computed.a, 2, "the value was computed again");
      assert.deepEqual(recomputed.value, values.a);
      assert.equal(warnings.length, 1);
      assert.match(
        warnings[0] ?? "",
        /^cache entry eval\/[0-9a-f]{12} failed its hash check \(.+\); recomputing$/,
      );
      const reread = await memo("a");
      assert.deepEqual([reread.hit, reread.value, computed.a], [true, values.a, 2], "rewritten whole");
      assert.deepEqual([(await memo("b")).hit, computed.b], [true, 1], "the other entry is untouched");
    });
  }
});
